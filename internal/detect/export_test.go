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
