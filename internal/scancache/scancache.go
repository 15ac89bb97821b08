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
//
// A share's cache holds millions of findings, and a rescan that replays
// them all must not spend its time loading them. The file is binary (see
// file.go): Open maps it read-only (elsewhere than unix, reads it into
// one block) and indexes its records by path without decoding them;
// Lookup compares a record's size, time and identity before it decodes
// the findings, whose strings are places in a table of the record's own.
// A rescan replays with Recall instead (replay.go): the findings are
// checked but left encoded until Replay.Each hands them on one at a time,
// and strings come from one table for the whole cache (intern.go).
// No record is held on the Go heap, neither old nor new: Store writes its
// record to the next file at once, a lookup that replays a record marks
// it, and Save copies the marked records' bytes after the new ones and
// renames the file into place.
package scancache

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/leakguard/leakguard/internal/cursor"
	"github.com/leakguard/leakguard/internal/finding"
)

// Granularity is the coarsest timestamp resolution of the file systems a
// scan may meet (FAT's two seconds; ext3, HFS+ and many network file
// systems keep whole seconds; others a clock tick). A file read within it
// of its modification time may change again without a new time.
const Granularity = 2 * time.Second

// Record is what one file produced.
type Record struct {
	Size  int64
	ModNS int64
	Ident string
	// Hash is the content hash (ContentHash) of a file that was in doubt
	// when it was read; empty for the others.
	Hash     string
	Findings []finding.Finding
	Errors   []finding.ItemError
	Stats    finding.Stats
}

// Cache is a loaded cache file and the next one being written. It is safe
// for concurrent use. Close releases it.
type Cache struct {
	path   string
	digest string
	now    func() time.Time
	encs   sync.Pool // of *encoder

	// live guards the mapping: readers of data hold it shared, Close
	// holds it alone to unmap.
	live   sync.RWMutex
	data   []byte         // the file, mapped
	unmap  func() error   // releases data
	paths  map[string]int // a path → its record in frames
	frames []span         // the file's records
	n      int            // len(paths) when opened

	// What decoding reuses: one copy of each string; a Replay's
	// buffers (of *replayBuf).
	intern  interner
	replays sync.Pool

	mu    sync.Mutex
	hit   []bool // by frame: replayed in this scan, to copy into the next file
	tmp   *os.File
	w     *bufio.Writer
	err   error // the first error writing tmp
	ended bool  // saved or closed: nothing more is written
	// written is the next file once Write closed it, until Commit.
	written string
}

// Open loads the cache at path for a scan whose configuration has digest.
// A missing or empty file, another digest or another format give an empty
// cache; a damaged file is an error the caller can report (and then
// remove).
func Open(path, digest string) (*Cache, error) {
	c := &Cache{path: path, digest: digest, now: time.Now}
	c.encs.New = func() any { return newEncoder() }
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	data, unmap, err := mapFile(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("scan cache %s: %w", path, err)
	}
	paths, frames, current, err := parse(data, digest)
	if err != nil || !current {
		unmap()
		if err != nil {
			return nil, fmt.Errorf("scan cache %s: %w", path, err)
		}
		return c, nil // results of another configuration: start over
	}
	c.data, c.unmap, c.paths, c.frames, c.n = data, unmap, paths, frames, len(paths)
	c.hit = make([]bool, len(frames))
	return c, nil
}

// Len is the number of files remembered from the previous scan.
func (c *Cache) Len() int { return c.n }

// Lookup returns the record of path if the file still has this size,
// modification time and identity and, when the record has a content hash
// (the file was in doubt when read), if hash (which reads the file's
// content now, see ContentHash) gives the same; a file that cannot be
// hashed is not replayed but read again.
func (c *Cache) Lookup(path string, size int64, mod time.Time, ident string, hash func() (string, error)) (Record, bool) {
	if size < 0 || mod.IsZero() {
		return Record{}, false
	}
	r, i, ok := c.decode(path, size, mod.UnixNano(), ident)
	if !ok {
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
			// Past the window: a later write would change the time,
			// so the next file holds the record without its hash.
			w := r
			w.Hash = ""
			e := c.encs.Get().(*encoder)
			prefix, rec := e.encode(path, &w)
			c.write(path, prefix, rec)
			c.release(e)
			return r, true
		}
	}
	c.mark(i)
	return r, true
}

// mark notes that the record at frames[i] was replayed, for Save to copy.
func (c *Cache) mark(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ended {
		c.hit[i] = true
	}
}

// decode returns path's record, and its place in frames, if its head
// has this size, time and identity.
func (c *Cache) decode(path string, size, modNS int64, ident string) (Record, int, bool) {
	c.live.RLock()
	defer c.live.RUnlock()
	d, h, i, ok := c.head(path, size, modNS, ident)
	if !ok {
		return Record{}, 0, false
	}
	r := Record{Size: size, ModNS: modNS, Ident: ident, Hash: string(h.hash)}
	if err := d.readRest(path, &r); err != nil {
		return Record{}, 0, false // a damaged record: read the file again
	}
	return r, i, true
}

// head finds path's record and reads its head, reporting whether the file
// still has this size, time and identity; d is left at the rest of the
// record. c.live is held.
func (c *Cache) head(path string, size, modNS int64, ident string) (d decoder, h head, i int, ok bool) {
	i, ok = c.paths[path]
	if !ok {
		return decoder{}, head{}, 0, false
	}
	d = decoder{Reader: cursor.New(record(c.data[c.frames[i].start:c.frames[i].end])), in: &c.intern}
	h = d.readHead()
	if d.Failed() || h.size != size || h.modNS != modNS || string(h.ident) != ident {
		return decoder{}, head{}, 0, false
	}
	return d, h, i, true
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
	en := c.entryOf(path, &r)
	defer en.Close()
	en.Store(size, mod, ident, r.Hash, r.Stats)
}

// entryOf returns the entry of path with r's findings and errors, empty
// lists kept apart from none.
func (c *Cache) entryOf(path string, r *Record) *Entry {
	en := c.Entry(path)
	for i := range r.Findings {
		en.Finding(&r.Findings[i])
	}
	en.empty = r.Findings != nil && len(r.Findings) == 0
	en.errors = r.Errors
	return en
}

// An Entry builds the record of one item while the item is scanned: each
// finding is encoded as it comes, into the compact form the cache file
// holds, rather than kept whole until the item ends. A log file with tens
// of thousands of findings had its findings copied again and again as
// their slice grew, a second of a first scan of the benchmark corpus.
// An Entry is used by one goroutine; Close releases it, stored or not.
type Entry struct {
	c      *Cache
	e      *encoder
	path   string
	n      int  // findings encoded
	empty  bool // no finding, but an empty list rather than none (Store)
	errors []finding.ItemError
	stored bool
}

// Entry begins the record of path.
func (c *Cache) Entry(path string) *Entry {
	e := c.encs.Get().(*encoder)
	e.reset()
	return &Entry{c: c, e: e, path: path}
}

// Finding adds a finding; its plaintext value, if any, is not written.
func (en *Entry) Finding(f *finding.Finding) {
	en.e.finding(f, en.path)
	en.n++
}

// Error adds an item error.
func (en *Entry) Error(e finding.ItemError) { en.errors = append(en.errors, e) }

// Store remembers the entry as what its path, of the given size,
// modification time and identity, produced in this scan, under the rules
// of Cache.Store. An entry is stored at most once.
func (en *Entry) Store(size int64, mod time.Time, ident, hash string, stats finding.Stats) {
	c := en.c
	if en.stored || size < 0 || mod.IsZero() || hash == "" && c.InDoubt(mod) {
		return
	}
	en.stored = true
	// Outside the lock: workers encode in parallel.
	prefix, rec := en.frame(&Record{Size: size, ModNS: mod.UnixNano(), Ident: ident, Hash: hash, Stats: stats})
	c.write(en.path, prefix, rec)
}

// frame frames the entry's record: its findings and errors, and the rest
// of r.
func (en *Entry) frame(r *Record) (prefix, rec []byte) {
	r.Errors = en.errors
	return en.e.frame(en.path, r, en.n, en.n == 0 && !en.empty)
}

// write appends path's record, framed, to the next file; it supersedes
// any record of path this scan replayed, as a later record of a path does
// on load.
func (c *Cache) write(path string, prefix, rec []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i, ok := c.paths[path]; ok && !c.ended {
		c.hit[i] = false
	}
	if !c.begin() {
		return
	}
	c.w.Write(prefix)
	if _, err := c.w.Write(rec); err != nil {
		c.err = err
	}
}

// Close releases the entry's buffers.
func (en *Entry) Close() {
	if en.e == nil {
		return
	}
	en.c.release(en.e)
	en.e = nil
}

// release returns an encoder to the pool, unless a huge record grew its
// buffers: those are not kept.
func (c *Cache) release(e *encoder) {
	if cap(e.rec) <= 1<<20 && cap(e.rest) <= 1<<20 {
		c.encs.Put(e)
	}
}

// begin creates the next file, beside the cache file, if this scan has
// not yet, and tells whether records can be written to it. c.mu is held.
func (c *Cache) begin() bool {
	if c.ended || c.err != nil {
		return false
	}
	if c.tmp != nil {
		return true
	}
	c.tmp, c.err = os.CreateTemp(filepath.Dir(c.path), ".leakguard-cache-*")
	if c.err != nil {
		return false
	}
	c.w = bufio.NewWriterSize(c.tmp, 1<<20)
	_, c.err = c.w.Write(appendHeader(nil, c.digest))
	return c.err == nil
}

// Save writes the records of this scan (files not seen are dropped) to the
// cache file atomically: a crash leaves the old file or the new one. The
// records replayed are copied from the old file as they were. Save ends
// the cache's writing: records stored after it are not remembered. It is
// Write, then Commit.
func (c *Cache) Save() error {
	if err := c.Write(); err != nil {
		return err
	}
	return c.Commit()
}

// Write is Save but for the last step: it writes the next file whole,
// beside the cache file, and ends the cache's writing; Commit puts the file
// in place, and Close without Commit removes it. The scan command writes it
// while the inventory settles, which decides whether it is kept: a file
// whose results the inventory did not record must not stand.
func (c *Cache) Write() error {
	c.live.RLock()
	defer c.live.RUnlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return errors.New("scan cache: saved or closed already")
	}
	ok := c.begin()
	c.ended = true
	if !ok {
		c.discard()
		return c.err
	}
	for i, h := range c.hit {
		if h {
			c.w.Write(c.data[c.frames[i].start:c.frames[i].end])
		}
	}
	c.w.WriteByte(0) // the end
	err := c.w.Flush()
	if cerr := c.tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(c.tmp.Name())
	} else {
		c.written = c.tmp.Name()
	}
	c.tmp, c.w = nil, nil
	return err
}

// Commit replaces the cache file with the next file Write wrote.
func (c *Cache) Commit() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.written == "" {
		return errors.New("scan cache: nothing written to commit")
	}
	err := os.Rename(c.written, c.path)
	if err != nil {
		os.Remove(c.written)
	}
	c.written = ""
	return err
}

// discard removes the next file, if there is one. c.mu is held.
func (c *Cache) discard() {
	if c.tmp != nil {
		c.tmp.Close()
		os.Remove(c.tmp.Name())
		c.tmp, c.w = nil, nil
	}
	if c.written != "" {
		os.Remove(c.written)
		c.written = ""
	}
}

// Close releases the cache: it unmaps the file and, if Save or Commit did
// not run (a scan that failed or was interrupted), removes the next file. It may
// be called more than once; lookups after it find nothing.
func (c *Cache) Close() error {
	c.live.Lock()
	defer c.live.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ended = true
	c.discard()
	c.paths, c.frames, c.data = nil, nil, nil
	c.intern.mu.Lock()
	c.intern.m = nil
	c.intern.mu.Unlock()
	if c.unmap == nil {
		return nil
	}
	err := c.unmap()
	c.unmap = nil
	return err
}
