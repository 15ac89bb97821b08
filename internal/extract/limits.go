package extract

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// Limits bound the work one top-level item may cause. Zero fields take the
// defaults of DefaultLimits.
type Limits struct {
	// MaxBytes is the total of bytes expanded from all containers of one
	// top-level item (the top-level bytes themselves are not counted).
	MaxBytes int64
	// MaxRatio is the largest expansion ratio (declared or measured
	// uncompressed size over compressed size) a compressed member may have
	// once it is larger than RatioFloor. Deflate cannot exceed about
	// 1032:1, so the default refuses only what no ordinary zip holds, while
	// a tar of sparse files (measured at over 200:1 in Tika's corpus) still
	// opens; deeper bombs are stopped by MaxBytes on their declared sizes.
	MaxRatio float64
	// RatioFloor is the size below which a high ratio is tolerated: a
	// small file of zeros compresses well and is no bomb.
	RatioFloor int64
	// MaxDepth is the deepest container nesting followed; 0 is the item.
	MaxDepth int
	// MaxEntries is the number of members one top-level item may have.
	MaxEntries int
	// Timeout is the time one top-level item may take.
	Timeout time.Duration
	// MaxBuffer is the largest member held in memory for formats that need
	// random access (a zip inside a tar, a PDF attachment).
	MaxBuffer int64
	// DedupMax is the largest member hashed for dedup; larger ones are
	// scanned every time they appear.
	DedupMax int64
}

// DefaultLimits are the limits of a scan that sets none.
var DefaultLimits = Limits{
	MaxBytes:   1 << 30,
	MaxRatio:   1000,
	RatioFloor: 1 << 20,
	MaxDepth:   8,
	MaxEntries: 100_000,
	Timeout:    10 * time.Minute,
	MaxBuffer:  128 << 20,
	DedupMax:   32 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes > 0 {
		d.MaxBytes = l.MaxBytes
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.RatioFloor > 0 {
		d.RatioFloor = l.RatioFloor
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	if l.MaxBuffer > 0 {
		d.MaxBuffer = l.MaxBuffer
	}
	if l.DedupMax > 0 {
		d.DedupMax = l.DedupMax
	}
	return d
}

// LimitError says which limit stopped extraction. Limits of the whole item
// (bytes, entries, time) stop it; limits of one member (ratio, depth,
// buffer) stop only that member.
type LimitError struct {
	Limit string // "bytes", "ratio", "depth", "entries", "time", "buffer", "bomb"
	Msg   string
	// Item is true when the whole top-level item must stop.
	Item bool
}

func (e *LimitError) Error() string { return e.Msg }

// Reason is the item-error reason for a limit hit.
func (e *LimitError) Reason() string { return finding.ReasonLimit }

// IsItemLimit reports whether err stops the whole top-level item.
func IsItemLimit(err error) bool {
	var le *LimitError
	return errors.As(err, &le) && le.Item
}

// budget is the shared account of one top-level item.
type budget struct {
	lim      Limits
	bytes    atomic.Int64
	entries  atomic.Int64
	deadline time.Time
}

func (b *budget) entry() error {
	if n := b.entries.Add(1); n > int64(b.lim.MaxEntries) {
		return &LimitError{Limit: "entries", Item: true,
			Msg: fmt.Sprintf("more than %d members: entry limit reached, the rest is not scanned", b.lim.MaxEntries)}
	}
	if !b.deadline.IsZero() && time.Now().After(b.deadline) {
		return &LimitError{Limit: "time", Item: true,
			Msg: fmt.Sprintf("took longer than %s: time limit reached, the rest is not scanned", b.lim.Timeout)}
	}
	return nil
}

// meter counts the bytes expanded from one member against the item's
// budget and the member's ratio limit.
type meter struct {
	r          io.Reader
	b          *budget
	n          int64 // bytes of this member so far
	compressed int64 // stored size, or -1
	free       bool  // a slice of its parent: not charged against MaxBytes
	err        error
}

func (m *meter) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.r.Read(p)
	m.n += int64(n)
	if m.free {
		return n, err
	}
	if total := m.b.bytes.Add(int64(n)); total > m.b.lim.MaxBytes {
		m.err = &LimitError{Limit: "bytes", Item: true,
			Msg: fmt.Sprintf("expanded more than %d bytes: size limit reached, the rest is not scanned", m.b.lim.MaxBytes)}
		return n, m.err
	}
	if m.compressed > 0 && m.n > m.b.lim.RatioFloor && float64(m.n)/float64(m.compressed) > m.b.lim.MaxRatio {
		m.err = ratioError(m.n, m.compressed, m.b.lim.MaxRatio)
		return n, m.err
	}
	return n, err
}

func ratioError(size, compressed int64, max float64) error {
	return &LimitError{Limit: "ratio",
		Msg: fmt.Sprintf("expands %d bytes to at least %d (ratio over %.0f): refused as a compression bomb", compressed, size, max)}
}
