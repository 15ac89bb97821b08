package registered

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"github.com/leakguard/leakguard/internal/fingerprint/docs"
	"github.com/leakguard/leakguard/internal/fingerprint/edm"
	"github.com/leakguard/leakguard/internal/fingerprint/media"
	"github.com/leakguard/leakguard/internal/keyed"
)

// Library is every registered set of a state directory, loaded for
// matching. It is immutable and safe for concurrent use; each worker
// matches through its own Session.
type Library struct {
	h       *keyed.Hasher
	records []*edm.Index
	docs    *docs.Index // nil without document sets
	// docWords is each document version's length in words.
	docWords map[docKey]int64
	files    *media.Index
	digest   string
}

// Open loads every set under the state directory state. A state directory
// with no sets gives an empty library, which matches nothing and costs
// nothing.
func Open(state string, h *keyed.Hasher) (*Library, error) {
	l := LayoutOf(state)
	lib := &Library{h: h}
	d := sha256.New()
	// The digest names what is loaded (set files, their sizes and times),
	// so that a scan cache made with other sets is not replayed.
	err := filepath.WalkDir(l.Root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == l.Root {
				return filepath.SkipDir
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(d, "%s\x00%d\x00%d\x00", p, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("registered sets: %w", err)
	}
	lib.digest = hex.EncodeToString(d.Sum(nil))

	names, err := l.RecordSets()
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		ix, err := edm.Open(l.RecordsDir(name), h)
		if err != nil {
			lib.Close()
			return nil, fmt.Errorf("records set %s: %w", name, err)
		}
		lib.records = append(lib.records, ix)
	}
	if err := lib.loadDocs(l); err != nil {
		lib.Close()
		return nil, err
	}
	if names, err := media.ListSets(l.FilesDir()); err == nil && len(names) > 0 {
		keys, err := media.NewKeys(h)
		if err != nil {
			lib.Close()
			return nil, err
		}
		if lib.files, err = media.LoadIndex(l.FilesDir(), keys, media.DefaultParams()); err != nil {
			lib.Close()
			return nil, fmt.Errorf("file sets: %w", err)
		}
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		lib.Close()
		return nil, err
	}
	return lib, nil
}

// loadDocs opens the document sets and indexes them together, keeping
// each version's length in words so that matches can say how much of a
// document several items hold between them.
func (lib *Library) loadDocs(l Layout) error {
	names, err := docs.ListSets(l.DocsDir())
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(names) == 0 {
		return nil
	}
	if err != nil {
		return err
	}
	keys, err := docs.NewKeys(lib.h)
	if err != nil {
		return err
	}
	var sets []*docs.Set
	lib.docWords = map[docKey]int64{}
	for _, name := range names {
		set, err := docs.OpenSet(l.DocsDir(), name, keys, docs.DefaultParams())
		if err != nil {
			return fmt.Errorf("document set %s: %w", name, err)
		}
		for _, d := range set.Docs() {
			lib.docWords[docKey{d.Set, d.Path, d.Version}] = d.Words
		}
		sets = append(sets, set)
	}
	lib.docs, err = docs.NewIndex(sets, keys, docs.DefaultParams(), docs.IndexOptions{})
	if err != nil {
		return fmt.Errorf("document sets: %w", err)
	}
	return nil
}

type docKey struct {
	set, path string
	version   int
}

// words returns the registered length of a matched document.
func (lib *Library) words(d docs.DocMatch) int64 {
	return lib.docWords[docKey{d.Set, d.Path, d.Version}]
}

// Empty reports whether the library has no set at all.
func (lib *Library) Empty() bool {
	return lib == nil || len(lib.records) == 0 && lib.docs == nil && lib.files == nil
}

// Digest identifies the loaded sets' files, for caches of scan results.
func (lib *Library) Digest() string {
	if lib == nil {
		return ""
	}
	return lib.digest
}

// Summary says what is loaded, for a scan's log line: "2 records sets
// (1200000 rows), 14 documents, 3 files".
func (lib *Library) Summary() string {
	if lib.Empty() {
		return "no registered sets"
	}
	var rows int64
	for _, ix := range lib.records {
		rows += ix.Meta().Rows
	}
	s := strconv.Itoa(len(lib.records)) + " records sets (" + strconv.FormatInt(rows, 10) + " rows)"
	if lib.docs != nil {
		s += ", " + strconv.Itoa(lib.docs.Stats().Documents) + " documents"
	}
	if lib.files != nil {
		s += ", " + strconv.Itoa(lib.files.Stats().Files) + " files"
	}
	return s
}

// Close releases the records indexes' mappings. No Session may run after.
func (lib *Library) Close() error {
	if lib == nil {
		return nil
	}
	var errs []error
	for _, ix := range lib.records {
		errs = append(errs, ix.Close())
	}
	lib.records = nil
	return errors.Join(errs...)
}
