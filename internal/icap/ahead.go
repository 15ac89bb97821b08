package icap

import (
	"errors"
	"io"
	"strconv"
	"sync"
)

// readAhead reads the rest of an upload off the connection as fast as the
// proxy sends it, into a spool, while Check reads it at its own pace.
//
// Squid 5.7 (Debian 12) kills an upload when its request buffer
// (client_request_buffer_max_size, 512 KB, plus a 64 KB pipe) has filled
// because the REQMOD service reads more slowly than the client sends, and
// the service then reads a few bytes more (Squid bug 5405, fixed upstream
// in 2024 by squid-cache/squid pull 1887). A scanner reads tens of MB/s and
// a client on a LAN sends faster, so any upload larger than that buffer was
// at risk, and Squid answers the client with nothing at all. Reading ahead
// keeps Squid's buffer drained whatever Check's speed.
//
// At most limit bytes are read ahead: what Check and the drain after a
// block may consume. What follows, if anything, the body reads from the
// wire itself once the reader has taken the spool's last byte.
type readAhead struct {
	mu      sync.Mutex
	more    sync.Cond // bytes arrived or the reading ended
	sp      spool
	off     int64 // spooled bytes delivered to the reader
	ended   bool  // fill returned: err says why, nil when limit was reached
	err     error
	dropped bool // the reader is gone: spool no more
	done    chan struct{}
}

// aheadFrom is the longest declared upload read at Check's pace instead:
// a body that short cannot fill Squid's buffer, and it is most uploads
// (forms, API calls). Reading those ahead cost a fifth of the requests per
// second with 10 KB bodies, in the goroutine and its hand-offs.
const aheadFrom = 64 << 10

// readsAhead reports whether wr's body is read ahead: an upload (REQMOD)
// whose HTTP request declares no length, or a longer one than aheadFrom.
func readsAhead(wr *wireRequest) bool {
	if wr.method != methodREQMOD {
		return false
	}
	if wr.reqHead != nil {
		n, err := strconv.ParseInt(wr.reqHead.Header.Get("Content-Length"), 10, 64)
		if err == nil && n >= 0 && n <= aheadFrom {
			return false
		}
	}
	return true
}

// errAheadLimit is readAhead's end when it stopped at its limit with more
// of the body on the wire.
var errAheadLimit = errors.New("icap: read-ahead limit reached")

// startReadAhead reads up to limit bytes of src in a goroutine of its own;
// src must not be touched by anyone else until done is closed.
func startReadAhead(src io.Reader, dir string, limit int64) *readAhead {
	a := &readAhead{sp: spool{dir: dir}, done: make(chan struct{})}
	a.more.L = &a.mu
	go a.fill(src, limit)
	return a
}

// aheadBuffer is how much one read off the wire takes at most.
const aheadBuffer = 64 << 10

// aheadBuffers keep fill's buffers between uploads.
var aheadBuffers = sync.Pool{New: func() any { return new([aheadBuffer]byte) }}

func (a *readAhead) fill(src io.Reader, limit int64) {
	defer close(a.done)
	pooled := aheadBuffers.Get().(*[aheadBuffer]byte)
	defer aheadBuffers.Put(pooled)
	buf := pooled[:]
	var n int64
	var err error
	for err == nil && n < limit {
		var k int
		k, err = src.Read(buf[:min(int64(len(buf)), limit-n)])
		n += int64(k)
		a.mu.Lock()
		if k > 0 && !a.dropped {
			if _, werr := a.sp.Write(buf[:k]); werr != nil && err == nil {
				err = werr // the disk, not the client: answered 500
			}
		}
		a.more.Broadcast()
		stop := a.dropped
		a.mu.Unlock()
		if stop {
			break
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ended, a.err = true, err
	if a.dropped {
		a.sp.close()
	}
	a.more.Broadcast()
}

// Read delivers the spooled bytes in order, waiting for more while the
// wire is still being read; then the wire's end (io.EOF at the body's),
// its error, or errAheadLimit.
func (a *readAhead) Read(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for a.off == a.sp.size && !a.ended {
		a.more.Wait()
	}
	if a.off < a.sp.size {
		k, err := a.sp.readAt(p, a.off)
		a.off += int64(k)
		if a.off == a.sp.size && err == nil {
			// Caught up: start the spool over, so that a Check keeping
			// pace with the wire reads from memory, not the disk.
			err = a.sp.reset()
			a.off = 0
		}
		return k, err
	}
	if a.err != nil {
		return 0, a.err
	}
	return 0, errAheadLimit
}

// drop ends the reader's interest: nothing more is spooled, and the spool
// goes once the goroutine has stopped. It reports whether the goroutine had
// already stopped; if not, it still reads the wire until the body ends, an
// error, or the connection's read deadline.
func (a *readAhead) drop() (ended bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.dropped = true
	if a.ended {
		a.sp.close()
	}
	return a.ended
}
