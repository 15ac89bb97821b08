package detect

import "strings"

// selection is which rules run on an input, and how: it depends only on
// whether the input is source code and on which path-limited rules apply
// to it, so the engine builds the two common ones once and a scan of a file
// that no path-limited rule is for takes one of them as it is.
type selection struct {
	// keyword rules active for this input, indexed like Engine.byKeyword;
	// byKeywordFactor those of them scheduled by their factors, whose
	// keyword hits are kept to check their factor windows (need.go).
	byKeyword       [][]*compiled
	byKeywordFactor [][]*compiled
	// freeMode[i] is how Engine.free[i] runs; allFree lists those that run
	// on all text.
	freeMode    []freeMode
	auto        *scanAuto // the scan automaton for this kind of input
	factorOn    []bool    // by rule index: windows come from factors
	anyFactored bool
	allFree     []*compiled
	shapeFree   []*compiled // the free rules scheduled by their shapes
	refRules    []*compiled
}

// selectionFor returns the selection for path.
func (e *Engine) selectionFor(path string) *selection {
	code := IsCodePath(path)
	gates := e.gateMask(path)
	lower := strings.ToLower(path)
	for _, c := range e.pathRules {
		if c.appliesToLower(path, lower) {
			return e.newSelection(code, path, gates)
		}
	}
	if code {
		return e.sels[1][gates]
	}
	return e.sels[0][gates]
}

// newSelection builds the selection for a path that passes the path gates
// in gates; path "" stands for any path that no path-limited rule applies
// to.
func (e *Engine) newSelection(code bool, path string, gates uint8) *selection {
	applies := func(c *compiled) bool {
		if c.gates&^gates != 0 {
			return false // a check of the rule turns every match down here
		}
		if len(c.paths) == 0 {
			return true
		}
		return path != "" && c.appliesTo(path)
	}
	sel := &selection{
		byKeyword:       make([][]*compiled, len(e.byKeyword)),
		byKeywordFactor: make([][]*compiled, len(e.byKeyword)),
		auto:            e.autoText,
		factorOn:        make([]bool, len(e.rules)),
		freeMode:        make([]freeMode, len(e.free)),
	}
	if code {
		sel.auto = e.autoCode
	}
	for i, list := range e.byKeyword {
		for _, c := range list {
			switch {
			case !applies(c):
			case c.byFactor:
				sel.factorOn[c.idx] = true
				sel.anyFactored = true
				sel.byKeywordFactor[i] = append(sel.byKeywordFactor[i], c)
			default:
				sel.byKeyword[i] = append(sel.byKeyword[i], c)
			}
		}
	}
	for i, c := range e.free {
		m := freeOff
		switch {
		case !applies(c):
		case c.Context != nil && (c.Context.Required || c.Context.RequiredInCode && code):
			switch {
			case c.ctxEmpty&ctxPositive != 0: // found everywhere: as if not required
				m = freeAll
				sel.allFree = append(sel.allFree, c)
			case c.ctxKind != nil:
				m = freeGated
			}
		case c.byShape:
			m = freeShape
			sel.shapeFree = append(sel.shapeFree, c)
		case c.factored:
			m = freeFactor
			sel.factorOn[c.idx] = true
			sel.anyFactored = true
		default:
			m = freeAll
			sel.allFree = append(sel.allFree, c)
		}
		sel.freeMode[i] = m
	}
	for _, c := range e.refRules {
		if applies(c) {
			sel.refRules = append(sel.refRules, c)
		}
	}
	return sel
}
