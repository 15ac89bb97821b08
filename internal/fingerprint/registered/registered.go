// Package registered puts the organisation's registered data to work in a
// scan. It owns where each kind of set lives in the state directory
// (records for exact data matching, documents, files), loads every set into
// one Library, and matches the content of one item at a time against all of
// them, turning matches into findings of kind "registered". The matching
// itself is the job of the edm, docs and media packages.
package registered

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/leakguard/leakguard/internal/fingerprint/docs"
	"github.com/leakguard/leakguard/internal/fingerprint/edm"
	"github.com/leakguard/leakguard/internal/fingerprint/media"
	"github.com/leakguard/leakguard/internal/fingerprint/setfile"
	"github.com/leakguard/leakguard/internal/keyed"
)

// The types of registered set, as users name them ("register records").
const (
	Records = "records"
	Docs    = "docs"
	Files   = "files"
)

// Layout is where the sets of one state directory live: one folder per
// records set (an edm index), one folder for every document set and one
// for every file set (one file per set in each).
type Layout struct{ Root string }

// LayoutOf returns the layout inside the state directory state.
func LayoutOf(state string) Layout { return Layout{Root: filepath.Join(state, "registered")} }

// RecordsDir is the folder of the records set name.
func (l Layout) RecordsDir(name string) string { return filepath.Join(l.Root, Records, name) }

// DocsDir is the folder of every document set.
func (l Layout) DocsDir() string { return filepath.Join(l.Root, Docs) }

// FilesDir is the folder of every file set.
func (l Layout) FilesDir() string { return filepath.Join(l.Root, Files) }

// CheckName reports whether name can name a set: a plain file name on
// every system, the same rule for the three types.
func CheckName(name string) error { return setfile.CheckName(name) }

// SetInfo describes one registered set for listings.
type SetInfo struct {
	Type string `json:"type"`
	Name string `json:"name"`
	// Entries counts records (rows), document versions or file versions.
	Entries int64 `json:"entries"`
	// Columns are a records set's registered columns, primary ones marked
	// with '*'.
	Columns []string `json:"columns,omitempty"`
}

// RecordSets returns the names of the records sets, sorted.
func (l Layout) RecordSets() ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(l.Root, Records))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// List describes every registered set, records first, then documents,
// then files, each by name. Reading the lists needs no key.
func (l Layout) List(h *keyed.Hasher) ([]SetInfo, error) {
	var out []SetInfo
	recs, err := l.RecordSets()
	if err != nil {
		return nil, err
	}
	for _, name := range recs {
		m, err := edm.ReadMeta(l.RecordsDir(name))
		if err != nil {
			return nil, fmt.Errorf("records set %s: %w", name, err)
		}
		var cols []string
		for _, c := range m.Columns {
			s := c.Name + ":" + string(c.Kind)
			if c.Primary {
				s += "*"
			}
			cols = append(cols, s)
		}
		out = append(out, SetInfo{Type: Records, Name: name, Entries: m.Rows, Columns: cols})
	}
	if h == nil {
		return out, nil
	}
	dk, err := docs.NewKeys(h)
	if err != nil {
		return nil, err
	}
	names, err := docs.ListSets(l.DocsDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, name := range names {
		s, err := docs.OpenSet(l.DocsDir(), name, dk, docs.DefaultParams())
		if err != nil {
			return nil, fmt.Errorf("document set %s: %w", name, err)
		}
		out = append(out, SetInfo{Type: Docs, Name: name, Entries: int64(len(s.Docs()))})
	}
	mk, err := media.NewKeys(h)
	if err != nil {
		return nil, err
	}
	names, err = media.ListSets(l.FilesDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, name := range names {
		s, err := media.OpenSet(l.FilesDir(), name, mk, media.DefaultParams())
		if err != nil {
			return nil, fmt.Errorf("file set %s: %w", name, err)
		}
		out = append(out, SetInfo{Type: Files, Name: name, Entries: int64(len(s.Files()))})
	}
	return out, nil
}

// Remove deletes the set name of type typ.
func (l Layout) Remove(typ, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	switch typ {
	case Records:
		dir := l.RecordsDir(name)
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("no records set %q", name)
		}
		if err := edm.Remove(dir); err != nil {
			return err
		}
		return os.Remove(dir)
	case Docs:
		return docs.RemoveSet(l.DocsDir(), name)
	case Files:
		return media.RemoveSet(l.FilesDir(), name)
	}
	return fmt.Errorf("unknown set type %q (want %s)", typ, strings.Join(Types(), ", "))
}

// Types lists the set types.
func Types() []string { return slices.Clone([]string{Records, Docs, Files}) }
