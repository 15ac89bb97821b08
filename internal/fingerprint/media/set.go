package media

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

// Set is one named group of registered files (e.g. "screeners"), persisted
// as one file in the index directory. It is not safe for concurrent use.
type Set struct {
	dir, name string
	keys      Keys
	params    Params
	files     []*file // in registration order
}

// file is one registered version of a file.
type file struct {
	name       string
	version    int
	registered time.Time
	size       int64
	nchunks    int        // all chunks, flat ones included
	flat       int64      // bytes in flat chunks, which are not indexed
	chunks     []chunkRec // the indexed chunks, in file order
}

type chunkRec struct {
	sum sum
	n   uint32
}

// FileInfo describes one registered version of a file.
type FileInfo struct {
	Set        string    `json:"set"`
	Name       string    `json:"name"`
	Version    int       `json:"version"`
	Registered time.Time `json:"registered"`
	Size       int64     `json:"size"`
	Chunks     int       `json:"chunks"`
	// Unchanged is set by Add when the content was the latest version's:
	// no version was added.
	Unchanged bool `json:"unchanged,omitempty"`
}

// CheckName reports whether name can name a set: letters, digits, '.',
// '_' and '-', starting with a letter or digit.
func CheckName(name string) error {
	if err := setfile.CheckName(name); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	return nil
}

// OpenSet loads the set name from dir, or starts an empty one. An existing
// set must have been made with the same keys and params.
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
		return nil, fmt.Errorf("media: set %q was made with chunk parameters %+v, not %+v", name, s.params, p)
	}
	return s, nil
}

// ListSets returns the names of the media sets in dir, sorted.
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

// Add registers the content read from r under name (its path at
// registration). Registering a name again adds a version, unless the
// content is unchanged. The content is read once and never kept.
func (s *Set) Add(name string, r io.Reader) (FileInfo, error) {
	if name == "" {
		return FileInfo{}, errors.New("media: empty file name")
	}
	f := &file{name: name, version: 1}
	size, err := newChunkReader(s.keys, s.params).each(r, func(c chunk) {
		f.nchunks++
		if c.flat {
			f.flat += int64(c.n)
			return
		}
		f.chunks = append(f.chunks, chunkRec{sum: c.sum, n: c.n})
	})
	if err != nil {
		return FileInfo{}, fmt.Errorf("media: %s: %w", name, err)
	}
	if size == 0 {
		return FileInfo{}, fmt.Errorf("media: %s: empty", name)
	}
	f.size = size
	var latest *file
	for _, g := range s.files {
		if g.name == name && (latest == nil || g.version > latest.version) {
			latest = g
		}
	}
	if latest != nil && latest.size == f.size && slices.Equal(latest.chunks, f.chunks) {
		info := s.info(latest)
		info.Unchanged = true
		return info, nil
	}
	if latest != nil {
		f.version = latest.version + 1
	}
	f.registered = time.Now().UTC().Truncate(time.Second)
	s.files = append(s.files, f)
	return s.info(f), nil
}

func (s *Set) info(f *file) FileInfo {
	return FileInfo{Set: s.name, Name: f.name, Version: f.version, Registered: f.registered, Size: f.size, Chunks: f.nchunks}
}

// Files describes every registered version, by name then version.
func (s *Set) Files() []FileInfo {
	out := make([]FileInfo, 0, len(s.files))
	for _, f := range s.files {
		out = append(out, s.info(f))
	}
	slices.SortFunc(out, func(a, b FileInfo) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return a.Version - b.Version
	})
	return out
}

// Save writes the set to its file atomically, readable by the owner only.
func (s *Set) Save() error {
	if err := format.Save(s.dir, s.name, s.encode); err != nil {
		return fmt.Errorf("media: save %s: %w", s.name, err)
	}
	return nil
}
