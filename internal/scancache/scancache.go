// Package scancache lets a rescan skip files that have not changed. It
// remembers, per file, what the last scan reported (findings with their
// masked preview and keyed fingerprint, item errors, counts) together with
// the file's size and modification time, under a digest of everything that
// shapes results: the rules, the options, the installation key and the
// program version. A file whose size and modification time (to the
// nanosecond) are unchanged is not read again; its results are replayed.
//
// This is the check git's index and rsync make. A file rewritten with the
// same size within the file system's timestamp granularity would be missed;
// --cache is therefore opt-in, and a digest change (new rules, new version)
// discards the whole cache.
//
// The cache never holds a plaintext value: scans that show secrets do not
// use it.
package scancache

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// format is bumped when the file layout changes.
const format = 1

// Record is what one file produced.
type Record struct {
	Size     int64               `json:"size"`
	ModNS    int64               `json:"mod_ns"`
	Ident    string              `json:"ident,omitempty"`
	Findings []finding.Finding   `json:"findings,omitempty"`
	Errors   []finding.ItemError `json:"errors,omitempty"`
	Stats    finding.Stats       `json:"stats"`
}

// Cache is a loaded cache file. It is safe for concurrent use.
type Cache struct {
	path   string
	digest string

	mu   sync.Mutex
	old  map[string]Record // from the file
	seen map[string]Record // looked up or stored in this scan: what Save writes
}

type header struct {
	Format int    `json:"format"`
	Digest string `json:"digest"`
}

type line struct {
	Path string `json:"path"`
	Record
}

// Open loads the cache at path for a scan whose configuration has digest.
// A missing file, another digest or another format give an empty cache; a
// damaged file is an error the caller can report (and then remove).
func Open(path, digest string) (*Cache, error) {
	c := &Cache{path: path, digest: digest, old: map[string]Record{}, seen: map[string]Record{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	var h header
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("scan cache %s: %w", path, err)
	}
	if h.Format != format || h.Digest != digest {
		return c, nil // results of another configuration: start over
	}
	for dec.More() {
		var l line
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("scan cache %s: %w", path, err)
		}
		c.old[l.Path] = l.Record
	}
	return c, nil
}

// Len is the number of files remembered from the previous scan.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.old)
}

// Lookup returns the record of path if the file still has this size and
// modification time.
func (c *Cache) Lookup(path string, size int64, mod time.Time, ident string) (Record, bool) {
	if size < 0 || mod.IsZero() {
		return Record{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.old[path]
	if !ok || r.Size != size || r.ModNS != mod.UnixNano() || r.Ident != ident {
		return Record{}, false
	}
	c.seen[path] = r
	return r, true
}

// Store remembers what path produced in this scan. Findings must not carry
// plaintext values; Store drops any it is given.
func (c *Cache) Store(path string, size int64, mod time.Time, ident string, r Record) {
	if size < 0 || mod.IsZero() {
		return
	}
	r.Size, r.ModNS, r.Ident = size, mod.UnixNano(), ident
	for i := range r.Findings {
		r.Findings[i].Secret = ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[path] = r
}

// Save writes the records of this scan (files not seen are dropped) to the
// cache file atomically: a crash leaves the old file or the new one.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	dir := filepath.Dir(c.path)
	tmp, err := os.CreateTemp(dir, ".leakguard-cache-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	enc := json.NewEncoder(w)
	if err := enc.Encode(header{Format: format, Digest: c.digest}); err != nil {
		tmp.Close()
		return err
	}
	for _, p := range slices.Sorted(maps.Keys(c.seen)) {
		if err := enc.Encode(line{Path: p, Record: c.seen[p]}); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), c.path)
}
