package extract

import (
	"slices"
	"sync"

	"github.com/leakguard/leakguard/internal/finding"
)

// dedupCache remembers what members with a given content hash produced, for
// the life of one registry (one scan). It is bounded by entries; the oldest
// is forgotten first.
type dedupCache struct {
	mu    sync.Mutex
	m     map[[32]byte]*dedupEntry
	order [][32]byte // insertion order, a ring once full
	next  int
	max   int
}

type dedupEntry struct {
	// findings and problems with Path cleared and Container relative to
	// the member.
	findings []finding.Finding
	problems []finding.ItemError
}

func newDedupCache(max int) *dedupCache {
	return &dedupCache{m: map[[32]byte]*dedupEntry{}, max: max}
}

func (c *dedupCache) get(k [32]byte) (*dedupEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	return e, ok
}

func (c *dedupCache) put(k [32]byte, e *dedupEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	if len(c.order) < c.max {
		c.order = append(c.order, k)
	} else {
		delete(c.m, c.order[c.next])
		c.order[c.next] = k
		c.next = (c.next + 1) % c.max
	}
	c.m[k] = e
}

// recordMax is the most findings one member may have and still be cached;
// a member that noisy is rescanned rather than held in memory.
const recordMax = 10_000

// recorder collects what one member's subtree reports, relative to it.
type recorder struct {
	dedupEntry
	prefix   int // length of the member's own container chain
	overflow bool
	mu       sync.Mutex
}

func (r *recorder) finding(f finding.Finding) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.findings)+len(r.problems) >= recordMax {
		r.overflow = true
		return
	}
	f.Location.Path = ""
	f.Location.Container = slices.Clone(f.Location.Container[r.prefix:])
	r.findings = append(r.findings, f)
}

func (r *recorder) problem(p finding.ItemError) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.findings)+len(r.problems) >= recordMax {
		r.overflow = true
		return
	}
	p.Location.Path = ""
	p.Location.Container = slices.Clone(p.Location.Container[r.prefix:])
	r.problems = append(r.problems, p)
}
