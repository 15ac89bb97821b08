// Package scancache lets a rescan skip files that have not changed. It
// remembers, per file, what the last scan reported (findings with their
// masked preview and keyed fingerprint, item errors, counts) together with
// the file's size, modification time and identity (device and inode), under
// a digest of everything that shapes results: the rules, the options, the
// installation key and the program version. A file whose size,
// modification time (to the nanosecond) and identity are unchanged is not
// read again; its results are replayed.
//
// This is the check git's index and rsync make, and it has git's "racy"
// hole: a file rewritten with the same size within the file system's
// timestamp granularity of the moment it was read keeps its modification
// time. A file is therefore in doubt when it is read less than Granularity
// after its modification time (or before it: a time in the future): it
// was, or could still be, changed in the same tick. The scan hashes the
// content of a file in doubt when it reads it (Record.Hash), and a later
// lookup of a record with a hash hashes the file again and replays only when
// the two agree; once that lookup happens past the window, the record is
// trusted without a hash from then on, as any later write must give the
// file a new time. Files last modified well before they were read — nearly
// all of them — are never hashed. Identity unknown (no inode, as on some
// sources) is not a doubt: it narrows nothing that size and time leave open
// for a file rewritten in place, and hashing every such file would make
// every rescan read everything.
//
// The cache never holds a plaintext value: scans that show secrets do not
// use it.
package scancache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// format is bumped when the file layout changes (2: content hashes).
const format = 2

// Granularity is the coarsest timestamp resolution of the file systems a
// scan may meet (FAT's two seconds; ext3, HFS+ and many network file
// systems keep whole seconds; others a clock tick). A file read within it
// of its modification time may change again without a new time.
const Granularity = 2 * time.Second

// Record is what one file produced.
type Record struct {
	Size  int64  `json:"size"`
	ModNS int64  `json:"mod_ns"`
	Ident string `json:"ident,omitempty"`
	// Hash is the content hash (ContentHash) of a file that was in doubt
	// when it was read; empty for the others.
	Hash     string              `json:"hash,omitempty"`
	Findings []finding.Finding   `json:"findings,omitempty"`
	Errors   []finding.ItemError `json:"errors,omitempty"`
	Stats    finding.Stats       `json:"stats"`
}

// Cache is a loaded cache file. It is safe for concurrent use.
//
// Records are held as their encoded lines, decoded only when looked up: a
// share's records hold millions of findings, and as Go values (strings,
// slices) they were a heap the garbage collector walked over and over for
// the whole scan; as bytes it never looks inside them.
type Cache struct {
	path   string
	digest string
	now    func() time.Time

	mu   sync.Mutex
	old  map[string][]byte // from the file: path → its line
	seen map[string][]byte // looked up or stored in this scan: what Save writes
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
	c := &Cache{path: path, digest: digest, now: time.Now, old: map[string][]byte{}, seen: map[string][]byte{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The whole file in one allocation: lines are slices of it, and a
	// block of bytes costs the garbage collector nothing to walk.
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	first, rest, _ := bytes.Cut(data, []byte{'\n'})
	var h header
	if err := json.Unmarshal(first, &h); err != nil {
		return nil, fmt.Errorf("scan cache %s: %w", path, err)
	}
	if h.Format != format || h.Digest != digest {
		return c, nil // results of another configuration: start over
	}
	// One record a line (JSON escapes every newline in a value), its path
	// first: the rest of the line is read when the file is looked up.
	for len(rest) > 0 {
		var l []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i+1:i+1], rest[i+1:]
		} else {
			l, rest = append(rest[:len(rest):len(rest)], '\n'), nil // Save writes lines whole
		}
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		p, err := linePath(l)
		if err != nil {
			return nil, fmt.Errorf("scan cache %s: %w", path, err)
		}
		c.old[p] = l
	}
	return c, nil
}

// linePath reads the path a record line starts with: {"path":"…",…
func linePath(l []byte) (string, error) {
	const head = `{"path":"`
	if !bytes.HasPrefix(l, []byte(head)) {
		return "", fmt.Errorf("record line does not start with its path")
	}
	// The string ends at the first quote not escaped; without escapes
	// (nearly every path) its bytes are the path.
	for i := len(head); i < len(l); i++ {
		switch l[i] {
		case '"':
			return string(l[len(head):i]), nil
		case '\\':
			var p string
			dec := json.NewDecoder(bytes.NewReader(l[len(head)-1:]))
			if err := dec.Decode(&p); err != nil {
				return "", fmt.Errorf("record path: %w", err)
			}
			return p, nil
		}
	}
	return "", fmt.Errorf("record path not terminated")
}

// Len is the number of files remembered from the previous scan.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.old)
}

// Lookup returns the record of path if the file still has this size,
// modification time and identity and, when the record has a content hash
// (the file was in doubt when read), if hash (which reads the file's
// content now, see ContentHash) gives the same; a file that cannot be
// hashed is not replayed but read again.
func (c *Cache) Lookup(path string, size int64, mod time.Time, ident string, hash func() (string, error)) (Record, bool) {
	if size < 0 || mod.IsZero() {
		return Record{}, false
	}
	c.mu.Lock()
	raw, ok := c.old[path]
	c.mu.Unlock()
	if !ok {
		return Record{}, false
	}
	var l line
	if err := json.Unmarshal(raw, &l); err != nil {
		return Record{}, false // a damaged line: read the file again
	}
	r := l.Record
	if r.Size != size || r.ModNS != mod.UnixNano() || r.Ident != ident {
		return Record{}, false
	}
	if r.Hash != "" {
		doubt := c.InDoubt(mod) // before hashing: what the hash proves holds from then on
		if hash == nil {
			return Record{}, false
		}
		if h, err := hash(); err != nil || h != r.Hash {
			return Record{}, false
		}
		if !doubt {
			// Past the window: a later write would change the time.
			l.Hash = ""
			if raw, ok = encodeLine(l); !ok {
				return r, true // replayed, not remembered
			}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[path] = raw
	return r, true
}

// encodeLine encodes a record line, newline included.
func encodeLine(l line) ([]byte, bool) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(l); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// InDoubt tells whether a file with this modification time, read now,
// could change without its time changing: its record then needs a content
// hash (Record.Hash) of what was read.
func (c *Cache) InDoubt(mod time.Time) bool {
	return !mod.Before(c.now().Add(-Granularity))
}

// ContentHash hashes what r yields, in the form Record.Hash holds.
func ContentHash(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// Store remembers what path produced in this scan. Findings must not carry
// plaintext values; Store drops any it is given. A file in doubt (InDoubt)
// is remembered only with its content hash in r.Hash, taken before the
// file was read (InDoubt asked then, too).
func (c *Cache) Store(path string, size int64, mod time.Time, ident string, r Record) {
	if size < 0 || mod.IsZero() || r.Hash == "" && c.InDoubt(mod) {
		return
	}
	r.Size, r.ModNS, r.Ident = size, mod.UnixNano(), ident
	for i := range r.Findings {
		r.Findings[i].Secret = ""
	}
	raw, ok := encodeLine(line{Path: path, Record: r})
	if !ok {
		return // not remembered: read again next time
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[path] = raw
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
	if err := json.NewEncoder(w).Encode(header{Format: format, Digest: c.digest}); err != nil {
		tmp.Close()
		return err
	}
	for _, p := range slices.Sorted(maps.Keys(c.seen)) {
		if _, err := w.Write(c.seen[p]); err != nil {
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
