package rules

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// file is the shape of a rules YAML file.
type file struct {
	Rules []Rule `yaml:"rules"`
}

// Builtin returns the rules shipped with leakguard, normalised and ordered
// by id, as new values the caller may change. They are written in
// builtin/*.yaml and compiled into the binary as Go (builtin_rules.go, made
// by go generate): decoding the half megabyte of YAML took 80 ms of CPU at
// every start, 40-60 ms before a scan could begin, a twentieth of an
// unchanged rescan of the benchmark corpus. TestBuiltinRulesGenerated fails
// when the two differ, and checks each rule as Parse does.
//
//go:generate go test -run TestBuiltinRulesGenerated -update
func Builtin() []Rule { return builtinRules() }

// LoadFile reads the user's rules: YAML in leakguard's schema, or a gitleaks
// TOML configuration (by extension .toml), converted.
func LoadFile(name string) ([]Rule, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var rs []Rule
	if strings.EqualFold(filepath.Ext(name), ".toml") {
		rs, err = ImportGitleaks(b, name)
	} else {
		rs, err = Parse(b, name)
	}
	if err != nil {
		return nil, err
	}
	return finish(rs)
}

// Parse decodes one YAML rules document; name is used in errors.
func Parse(b []byte, name string) ([]Rule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for i := range f.Rules {
		f.Rules[i].Normalize()
		if err := f.Rules[i].Check(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return f.Rules, nil
}

// finish sorts rules by id and rejects duplicate ids.
func finish(rs []Rule) ([]Rule, error) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	for i := 1; i < len(rs); i++ {
		if rs[i].ID == rs[i-1].ID {
			return nil, fmt.Errorf("duplicate rule id %q", rs[i].ID)
		}
	}
	return rs, nil
}
