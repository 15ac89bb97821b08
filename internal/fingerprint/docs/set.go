package docs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/fingerprint/setfile"
)

// Set is one named group of registered documents (e.g. "scripts-2014"),
// persisted as one file in the index directory. A Set is not safe for
// concurrent use; register documents from one goroutine, then Save.
type Set struct {
	dir, name string
	keys      Keys
	params    Params
	docs      []*document // in registration order
}

// document is one registered version of a document.
type document struct {
	path       string
	version    int
	registered time.Time
	words      int64
	fps        []fp // distinct hashes, ascending position
}

// DocInfo describes one registered version of a document.
type DocInfo struct {
	Set          string    `json:"set"`
	Path         string    `json:"path"`
	Version      int       `json:"version"`
	Registered   time.Time `json:"registered"`
	Words        int64     `json:"words"`
	Fingerprints int       `json:"fingerprints"`
	// Unchanged is set by Add when the text had the same fingerprints as
	// the latest version of the same path: no version was added.
	Unchanged bool `json:"unchanged,omitempty"`
}

// CheckName reports whether name can name a set: letters, digits, '.',
// '_' and '-', starting with a letter or digit, so that it is a plain file
// name on every system.
func CheckName(name string) error {
	if err := setfile.CheckName(name); err != nil {
		return fmt.Errorf("docs: %w", err)
	}
	return nil
}

// OpenSet loads the set name from dir, or starts an empty one if it does
// not exist yet. An existing set must have been made with the same keys
// and params.
func OpenSet(dir, name string, keys Keys, p Params) (*Set, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	s, err := loadSet(dir, name, keys)
	if errors.Is(err, fs.ErrNotExist) {
		return &Set{dir: dir, name: name, keys: keys, params: p}, nil
	}
	if err != nil {
		return nil, err
	}
	if s.params != p {
		return nil, fmt.Errorf("docs: set %q was made with K=%d W=%d, not K=%d W=%d", name, s.params.K, s.params.W, p.K, p.W)
	}
	return s, nil
}

// ListSets returns the names of the document sets in dir, sorted.
func ListSets(dir string) ([]string, error) { return format.List(dir) }

// RemoveSet deletes the set name from dir.
func RemoveSet(dir, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	return format.Remove(dir, name)
}

// Name returns the set's name.
func (s *Set) Name() string { return s.name }

// Params returns the set's shingling parameters.
func (s *Set) Params() Params { return s.params }

// Add registers the text read from r as the document path (its path at
// registration, reported in matches). Registering a path again adds a new
// version, unless the text has the same fingerprints as the latest one.
// The text is read once and never kept. A text too short to give a single
// shingle (fewer than K words) is refused.
func (s *Set) Add(path string, r io.Reader) (DocInfo, error) {
	if path == "" {
		return DocInfo{}, errors.New("docs: empty document path")
	}
	fps, words, err := fingerprint(s.keys, s.params, r)
	if err != nil {
		return DocInfo{}, fmt.Errorf("docs: %s: %w", path, err)
	}
	if words < int64(s.params.K) {
		return DocInfo{}, fmt.Errorf("docs: %s: %d words, too short to fingerprint (need %d)", path, words, s.params.K)
	}
	var latest *document
	for _, d := range s.docs {
		if d.path == path && (latest == nil || d.version > latest.version) {
			latest = d
		}
	}
	if latest != nil && slices.Equal(latest.fps, fps) {
		info := s.info(latest)
		info.Unchanged = true
		return info, nil
	}
	d := &document{path: path, version: 1, registered: time.Now().UTC().Truncate(time.Second), words: words, fps: fps}
	if latest != nil {
		d.version = latest.version + 1
	}
	s.docs = append(s.docs, d)
	return s.info(d), nil
}

func (s *Set) info(d *document) DocInfo {
	return DocInfo{Set: s.name, Path: d.path, Version: d.version, Registered: d.registered, Words: d.words, Fingerprints: len(d.fps)}
}

// Docs describes every registered version, by path then version.
func (s *Set) Docs() []DocInfo {
	out := make([]DocInfo, 0, len(s.docs))
	for _, d := range s.docs {
		out = append(out, s.info(d))
	}
	slices.SortFunc(out, func(a, b DocInfo) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return a.Version - b.Version
	})
	return out
}

// Save writes the set to its file, atomically (a new file renamed over
// the old), readable by the owner only.
func (s *Set) Save() error {
	if err := format.Save(s.dir, s.name, s.encode); err != nil {
		return fmt.Errorf("docs: save %s: %w", s.name, err)
	}
	return nil
}
