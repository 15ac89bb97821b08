package scancache

import (
	"errors"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/cursor"
	"github.com/leakguard/leakguard/internal/finding"
)

// A Replay is the record of an unchanged file for a caller that hands its
// findings on at once and keeps no slice of them: Recall checks the whole
// record but leaves its findings encoded, and Each decodes them one at a
// time into one variable. A rescan replaying two million findings spent
// most of its time writing them into slices of finding.Finding (fresh
// memory, pointers the collector had to follow) only to copy each one
// out again.
type Replay struct {
	// Record is the record without its findings (Findings is nil) but
	// for one that had a content hash, which Recall reads as Lookup does.
	Record
	// Len is the number of findings Each hands on.
	Len int

	path       string
	c          *Cache
	start, end int        // the encoded findings in c.data
	hexed      string     // their fingerprints' hex digits, made by Recall
	buf        *replayBuf // nil once Each ran, or when Record holds the findings
}

// replayBuf is what a Replay decodes with; the cache keeps them for reuse.
type replayBuf struct {
	strs []string        // the record's string table
	hexs strings.Builder // an arena for fingerprints' hex digits
}

// maxReplayTable is the largest string table a kept replayBuf may hold.
const maxReplayTable = 1 << 16

var errClosed = errors.New("scan cache closed")

// Recall is Lookup for a caller that replays the findings at once (see
// Replay): the same checks, the same results, the findings handed on by
// Replay.Each.
func (c *Cache) Recall(path string, size int64, mod time.Time, ident string, hash func() (string, error)) (Replay, bool) {
	if size < 0 || mod.IsZero() {
		return Replay{}, false
	}
	r, i, hashed, ok := c.recall(path, size, mod.UnixNano(), ident)
	if !ok {
		return Replay{}, false
	}
	if hashed {
		// A file that was in doubt when read: rare enough to take
		// Lookup's way, findings decoded whole.
		rec, ok := c.Lookup(path, size, mod, ident, hash)
		return Replay{Record: rec, Len: len(rec.Findings)}, ok
	}
	c.mark(i)
	return r, true
}

// recall checks path's record as decode does and returns it with its
// findings left encoded, unless the record has a content hash (hashed):
// then it returns nothing else.
func (c *Cache) recall(path string, size, modNS int64, ident string) (r Replay, i int, hashed, ok bool) {
	c.live.RLock()
	defer c.live.RUnlock()
	d, h, i, ok := c.head(path, size, modNS, ident)
	if !ok {
		return Replay{}, 0, false, false
	}
	if len(h.hash) > 0 {
		return Replay{}, i, true, true
	}
	buf, _ := c.replays.Get().(*replayBuf)
	if buf == nil {
		buf = &replayBuf{}
	}
	d.strs = buf.strs[:0]
	r = Replay{Record: Record{Size: size, ModNS: modNS, Ident: ident}, path: path, c: c, buf: buf}
	d.hexs = &buf.hexs
	n, left, enc, hexed, err := d.readReplay(path, &r.Record)
	buf.strs = d.strs
	if err != nil {
		c.replays.Put(buf)
		return Replay{}, 0, false, false // a damaged record: read the file again
	}
	// The record ends its frame: the findings' place in c.data follows
	// from how much of it was left where they begin.
	r.start = c.frames[i].end - left
	r.end = r.start + len(enc)
	r.Len, r.hexed = n, hexed
	return r, i, false, true
}

// readReplay reads the rest of a record (after readHead) as Recall does:
// the table into d.strs, the findings only checked, what follows them
// into r. It returns the number of findings, how many bytes of the record
// were left where they begin, and their encoding.
func (d *decoder) readReplay(path string, r *Record) (n, left int, enc []byte, hexed string, err error) {
	d.readTable()
	n, _ = d.count(minFinding)
	left, enc = d.Left(), d.Rest()
	at := 0
	if d.hexs != nil {
		// Room for every fingerprint, so that they lie in one piece.
		if d.hexs.Cap()-d.hexs.Len() < 32*n {
			d.hexs.Reset() // what it handed out stays valid
			d.hexs.Grow(max(hexArena, 32*n))
		}
		at = d.hexs.Len()
	}
	// Every finding is checked now: a damaged record is read again,
	// never half replayed.
	d.dry = true
	var f finding.Finding
	for range n {
		d.finding(&f, path)
	}
	d.dry = false
	enc = enc[:len(enc)-d.Left()]
	if d.hexs != nil {
		hexed = d.hexs.String()[at:]
	}
	return n, left, enc, hexed, d.readEnd(path, r)
}

// eachFinding decodes n findings, one at a time into one variable, and
// hands each to fn.
func (d *decoder) eachFinding(n int, path string, fn func(f finding.Finding) error) error {
	var f finding.Finding
	for range n {
		d.finding(&f, path)
		if d.Failed() {
			return errDamaged
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// Each hands the record's findings to fn in order and stops at the first
// error fn returns. What fn is given is its own (the strings are never
// reused), but Each may run only once: it hands its buffers back to the
// cache for the next Recall.
func (r *Replay) Each(fn func(f finding.Finding) error) error {
	if r.buf == nil {
		for _, f := range r.Findings {
			if err := fn(f); err != nil {
				return err
			}
		}
		return nil
	}
	buf := r.buf
	r.buf = nil
	defer func() {
		if cap(buf.strs) <= maxReplayTable {
			r.c.replays.Put(buf)
		}
	}()
	// Decoded where Recall found them, in the mapping: it stays until
	// Close, which waits for this.
	r.c.live.RLock()
	defer r.c.live.RUnlock()
	if r.c.data == nil {
		return errClosed
	}
	d := decoder{Reader: cursor.New(r.c.data[r.start:r.end]), strs: buf.strs, hexed: r.hexed, useHexed: true}
	return d.eachFinding(r.Len, r.path, fn) // Recall checked them: errDamaged is not seen
}
