package rules

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// file is the shape of a rules YAML file.
type file struct {
	Rules []Rule `yaml:"rules"`
}

// Builtin returns the rules embedded in the binary, normalised, ordered by id.
func Builtin() ([]Rule, error) {
	names, err := fs.Glob(builtinFS, "builtin/*.yaml")
	if err != nil {
		return nil, err
	}
	// A file per goroutine: YAML decoding was a third of the start of
	// every run, and the files are independent.
	parsed := make([][]Rule, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() {
			b, err := builtinFS.ReadFile(n)
			if err == nil {
				parsed[i], err = Parse(b, path.Base(n))
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return finish(slices.Concat(parsed...))
}

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
