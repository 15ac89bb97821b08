// Package baseline records the findings a team has already seen, so that a
// later scan reports only new ones. A baseline holds rule ids, keyed
// fingerprints and item paths: never a value, not even masked.
package baseline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/jsonlist"
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
	Version int    `json:"version"`
	Note    string `json:"note"`
	// KeyCheck names the installation key the fingerprints were made with
	// (keyed.Hasher.Check, never the key). A baseline of another key
	// matches no finding: Load refuses it rather than hide nothing. Older
	// baselines have none and are taken as they are.
	KeyCheck string  `json:"key_check,omitempty"`
	Entries  []Entry `json:"entries"`
}

// Set is a loaded baseline.
type Set map[Entry]bool

// Contains reports whether f was known when the baseline was made.
func (s Set) Contains(f finding.Finding) bool { return s[Of(f)] }

// Load reads a baseline file made with the key whose check is keyCheck.
func Load(path, keyCheck string) (Set, error) {
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
	if d.KeyCheck != "" && keyCheck != "" && d.KeyCheck != keyCheck {
		return nil, fmt.Errorf("baseline %s was made with another installation key: none of its fingerprints can match; "+
			"scan with that key (LEAKGUARD_KEY) or make the baseline again", path)
	}
	s := make(Set, len(d.Entries))
	for _, e := range d.Entries {
		s[e] = true
	}
	return s, nil
}

// Write writes a baseline of the findings fs yields, de-duplicated and
// sorted, made with the key whose check is keyCheck. Only the entries are held (three strings each, not whole
// findings), and the document is written an entry at a time (see
// jsonlist): a baseline of
// a share's 448k findings took 470 MiB as a slice of findings and one
// indented document.
func Write(w io.Writer, fs iter.Seq[finding.Finding], keyCheck string) error {
	var entries []Entry
	for f := range fs {
		entries = append(entries, Of(f))
	}
	slices.SortFunc(entries, func(a, b Entry) int {
		return cmp.Or(strings.Compare(a.Where, b.Where), strings.Compare(a.Rule, b.Rule), strings.Compare(a.Fingerprint, b.Fingerprint))
	})
	entries = slices.Compact(entries)
	var frame bytes.Buffer
	enc := json.NewEncoder(&frame)
	enc.SetIndent("", "  ")
	if err := enc.Encode(document{Version: Version, Note: note, KeyCheck: keyCheck, Entries: []Entry{}}); err != nil {
		return err
	}
	l := jsonlist.New(w, frame.Bytes(), "entries")
	for i := range entries {
		if err := l.AddValue(&entries[i]); err != nil {
			return err
		}
	}
	return l.End(frame.Bytes())
}

// note is the document's word to whoever opens it.
const note = "leakguard baseline: keyed fingerprints of known findings; valid with the same installation key"
