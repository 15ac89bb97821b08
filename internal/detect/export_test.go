package detect

// PrefilterHits runs the scan automaton for path's kind alone over text
// and returns how many words and factors it found: the prefilter of the
// engine without the regexes, for benchmarks.
func (e *Engine) PrefilterHits(path string, text []byte) int {
	a := e.selectionFor(path).auto
	if a == nil {
		return 0
	}
	n := 0
	a.scan(text, true, true, func(int32, int) { n++ })
	return n
}

// WithGoBudget sets how many bytes of windows each rule searches with Go's
// regexp before RE2 (goBudget): 0 puts every window on RE2, a budget past
// the test's text every window on Go's regexp.
func WithGoBudget(n int64) Option { return func(o *options) { o.goBudget = n } }

// WithSegmentSize sets the length of the stretches a long stream is cut
// into when scanned in parallel (segmentSize); it is raised to twice the
// margins each is read with.
func WithSegmentSize(n int) Option { return func(o *options) { o.segmentSize = n } }

// SegmentLen returns the length of the stretches e cuts a long stream into
// and the margin read past each.
func SegmentLen(e *Engine) (size, after int) { return e.segmentLen(), e.margins().after }

// WithCheck makes a check available to the rules under name.
func WithCheck(name string, fn Check) Option {
	return func(o *options) {
		if o.checks == nil {
			o.checks = map[string]Check{}
		}
		o.checks[name] = fn
	}
}

// StoresOut returns how many stores of stretches e counts as held.
func StoresOut(e *Engine) int64 { return e.stores.out.Load() }

// StoresKept returns how many stores of stretches e keeps for later ones,
// and CachesKept how many caches of built states its automata keep.
func StoresKept(e *Engine) int {
	e.stores.mu.Lock()
	defer e.stores.mu.Unlock()
	return len(e.stores.free)
}

func CachesKept(e *Engine) int {
	n := 0
	for _, a := range []*scanAuto{e.autoText, e.autoCode} {
		if a == nil {
			continue
		}
		for _, d := range []*classDFA{a.words, a.facts} {
			if d != nil {
				d.mu.Lock()
				n += len(d.free)
				d.mu.Unlock()
			}
		}
	}
	return n
}
