// Package baseline records the findings a team has already seen, so that a
// later scan reports only new ones. A baseline holds rule ids, keyed
// fingerprints and item paths: never a value, not even masked.
package baseline

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/leakguard/leakguard/internal/finding"
)

// Version of the file format.
const Version = 1

// Entry identifies one known finding: the same value, found by the same
// rule, in the same item. Line numbers are left out on purpose, so that
// editing a file above a known secret does not make it new again.
type Entry struct {
	Rule        string `json:"rule"`
	Fingerprint string `json:"fingerprint"`
	Where       string `json:"where"`
}

// Of returns the entry of a finding.
func Of(f finding.Finding) Entry {
	return Entry{Rule: f.Rule, Fingerprint: f.Fingerprint, Where: f.Location.Where()}
}

type document struct {
	Version int     `json:"version"`
	Note    string  `json:"note"`
	Entries []Entry `json:"entries"`
}

// Set is a loaded baseline.
type Set map[Entry]bool

// Contains reports whether f was known when the baseline was made.
func (s Set) Contains(f finding.Finding) bool { return s[Of(f)] }

// Load reads a baseline file.
func Load(path string) (Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	if d.Version != Version {
		return nil, fmt.Errorf("baseline %s: version %d, this leakguard reads version %d", path, d.Version, Version)
	}
	s := make(Set, len(d.Entries))
	for _, e := range d.Entries {
		s[e] = true
	}
	return s, nil
}

// Write writes a baseline of findings, de-duplicated and sorted.
func Write(w io.Writer, fs []finding.Finding) error {
	seen := map[Entry]bool{}
	d := document{Version: Version, Note: "leakguard baseline: keyed fingerprints of known findings; valid with the same installation key", Entries: []Entry{}}
	for _, f := range fs {
		e := Of(f)
		if !seen[e] {
			seen[e] = true
			d.Entries = append(d.Entries, e)
		}
	}
	sort.Slice(d.Entries, func(i, j int) bool {
		a, b := d.Entries[i], d.Entries[j]
		if a.Where != b.Where {
			return a.Where < b.Where
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Fingerprint < b.Fingerprint
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}
