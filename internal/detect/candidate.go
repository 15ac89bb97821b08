package detect

import (
	"bytes"
	"cmp"
	"slices"
	"sort"

	"github.com/leakguard/leakguard/internal/detect/validate"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/redact"
)

// candidate is a match that passed its rule's checks, waiting to be
// ordered, de-duplicated and emitted. Offsets are in the stream, since a
// candidate may wait across rounds.
type candidate struct {
	rule         *compiled
	vStart, vEnd int64 // the value
	conf         finding.Confidence
}

// Suppression reasons counted in Stats.Suppressed.
const (
	SuppressAllow      = "allow-comment"
	SuppressTooLong    = "too-long"
	SuppressEntropy    = "low-entropy"
	SuppressNoContext  = "no-context"
	SuppressNegContext = "negative-context"
	SuppressMinConf    = "below-min-confidence"
	SuppressSuperseded = "superseded-by-specific-rule"
	suppressCheck      = "check:" // + validator name
)

// AllowMarker on a line suppresses every finding on it.
var allowMarker = []byte("leakguard:allow")

// consider applies rule c's checks to the match m (submatch indexes into the
// buffer) and records a candidate when it survives.
func (s *scanner) consider(c *compiled, m []int) {
	start, end := m[0], m[1]
	s.at = s.base + int64(start)
	if end-start > c.MaxLen {
		s.suppress(SuppressTooLong)
		return
	}
	if len(c.keywords) > 0 && !containsAny(s.buf[start:end], c.keywords) {
		return // the keyword that opened the window lies outside this match
	}
	vs, ve := start, end
	for _, i := range c.valueIdx {
		if m[2*i] >= 0 {
			vs, ve = m[2*i], m[2*i+1]
			break
		}
	}
	if vs == ve {
		return
	}
	if c.Generic && s.explained(c, s.base+int64(vs), s.base+int64(ve)) {
		// finish would drop it whatever its checks say: they need not run.
		s.suppress(SuppressSuperseded)
		return
	}
	if c.Entropy > 0 && validate.Entropy(string(s.buf[vs:ve])) < c.Entropy {
		s.suppress(SuppressEntropy)
		return
	}
	conf := c.Confidence
	if len(c.checks) > 0 {
		// One Candidate per scanner, refilled: a Check may not keep it
		// past the call, and allocating one per match was the engine's
		// largest allocation.
		cand := &s.cand
		*cand = Candidate{Path: s.in.Path, text: s.buf, match: m, groups: c.groups, value: span{vs, ve}, lines: &s.lines}
		for _, ch := range c.checks {
			if !ch.fn(cand) {
				s.suppress(suppressCheck + ch.name)
				return
			}
		}
		conf = max(conf-finding.Confidence(cand.doubt), finding.Low)
	}
	if c.Context != nil {
		w := c.Context.Window
		lo, hi := max(start-w, 0), min(end+w, len(s.buf))
		// Context words count before, after and inside the match, but
		// not inside the value itself.
		spans := [4]span{{lo, start}, {end, hi}, {start, vs}, {ve, end}}
		near := func(kind uint8) bool { return s.near(c, kind, spans[:]...) }
		has := near(ctxPositive)
		if !has && (c.Context.Required || c.Context.RequiredInCode && IsCodePath(s.in.Path)) {
			s.suppress(SuppressNoContext)
			return
		}
		if has && conf < finding.High {
			conf++
		}
		if len(c.ctxNeg) > 0 && near(ctxNegative) {
			conf--
			if conf < finding.Low {
				s.suppress(SuppressNegContext)
				return
			}
		}
	}
	if s.allowed(start) {
		s.suppress(SuppressAllow)
		return
	}
	if conf < s.e.opts.minConf {
		s.suppress(SuppressMinConf)
		return
	}
	s.cands = append(s.cands, candidate{rule: c, vStart: s.base + int64(vs), vEnd: s.base + int64(ve), conf: conf})
}

// suppress counts a match or candidate (at s.at) turned down for reason.
func (s *scanner) suppress(reason string) {
	if s.seg.on && !s.seg.owns(s.at) {
		return // a neighbouring segment counts it
	}
	finding.Count(&s.stats.Suppressed, reason, 1)
}

// allowed reports whether the line holding buffer index i carries the allow
// marker. Lines longer than 4 KiB on either side are looked at only that far.
func (s *scanner) allowed(i int) bool {
	lo := max(i-4096, 0)
	if j := bytes.LastIndexByte(s.buf[lo:i], '\n'); j >= 0 {
		lo += j + 1
	}
	hi := min(i+4096, len(s.buf))
	if j := bytes.IndexByte(s.buf[i:hi], '\n'); j >= 0 {
		hi = i + j
	}
	if lo >= s.allowFrom {
		// The scan automaton looked for the marker from allowFrom on.
		k := sort.SearchInts(s.allowHits, lo)
		return k < len(s.allowHits) && s.allowHits[k]+len(allowMarker) <= hi
	}
	return indexFold(s.buf[lo:hi], allowMarker) >= 0
}

// finish orders the pending candidates, drops generic ones that a specific
// rule already explains, and emits those no later round can affect. A
// candidate found later starts at or after acceptTo, so a candidate waits
// while its value starts there too (the order is by value), or while it is
// generic and its value reaches past acceptTo (a later specific finding may
// still explain it). At the end of the input everything goes.
func (s *scanner) finish(acceptTo int64, eof bool) error {
	cs := s.cands
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].vStart != cs[j].vStart {
			return cs[i].vStart < cs[j].vStart
		}
		if cs[i].vEnd != cs[j].vEnd {
			return cs[i].vEnd < cs[j].vEnd
		}
		return cs[i].rule.ID < cs[j].rule.ID
	})
	n := 0
	for ; n < len(cs); n++ {
		c := &cs[n]
		if !eof && (c.vStart >= acceptTo || c.rule.Generic && c.vEnd > acceptTo) {
			break
		}
		if c.rule.Generic && s.overlapsSpecific(n) {
			s.at = c.vStart
			s.suppress(SuppressSuperseded)
			continue
		}
		if !c.rule.Generic {
			s.recent = append(s.recent, *c)
		}
		if err := s.emitFinding(c); err != nil {
			return err
		}
	}
	s.cands = append(cs[:0], cs[n:]...)
	// Specific findings stay in view while a pending or later candidate
	// could still overlap them.
	horizon := acceptTo
	if len(s.cands) > 0 {
		horizon = min(horizon, s.cands[0].vStart)
	}
	keep := s.recent[:0]
	for _, r := range s.recent {
		if r.vEnd > horizon {
			keep = append(keep, r)
		}
	}
	s.recent = keep
	return nil
}

// collectSpecific gathers, once the round's specific rules have run, the
// candidates of specific rules that a generic candidate may overlap: those
// pending and those emitted that are still in view (recent), in order of
// value start.
func (s *scanner) collectSpecific() {
	s.specific = append(s.specific[:0], s.recent...)
	for _, c := range s.cands {
		if !c.rule.Generic {
			s.specific = append(s.specific, c)
		}
	}
	slices.SortFunc(s.specific, func(a, b candidate) int { return cmp.Compare(a.vStart, b.vStart) })
}

// explained reports whether a specific candidate of generic rule c's kind
// (in specific) overlaps the value [vs, ve): finish would supersede a
// candidate of c there (overlapsSpecific), so its checks need not run.
// The two agree on findings; a match the checks would have turned down is
// counted as superseded instead.
func (s *scanner) explained(c *compiled, vs, ve int64) bool {
	from := vs - int64(s.e.maxLen)
	j, _ := slices.BinarySearchFunc(s.specific, from, func(o candidate, t int64) int { return cmp.Compare(o.vStart, t) })
	for ; j < len(s.specific) && s.specific[j].vStart < ve; j++ {
		if explains(s.specific[j], c.Kind, vs, ve) {
			return true
		}
	}
	return false
}

// explains reports whether candidate o, of a specific rule, explains a
// generic candidate of kind k whose value is [vs, ve): same kind, values
// overlapping.
func explains(o candidate, k finding.Kind, vs, ve int64) bool {
	return !o.rule.Generic && o.rule.Kind == k && o.vEnd > vs && o.vStart < ve
}

// overlapsSpecific reports whether a non-generic candidate of the same kind
// overlaps candidate i's value: a specific credential rule explains a
// generic credential hit, but an e-mail address inside a URL does not
// explain the password before it. Candidates are sorted by value start;
// recent holds specific ones already emitted.
func (s *scanner) overlapsSpecific(i int) bool {
	c := s.cands[i]
	for j := i - 1; j >= 0 && s.cands[j].vEnd > c.vStart-int64(s.e.maxLen); j-- {
		if explains(s.cands[j], c.rule.Kind, c.vStart, c.vEnd) {
			return true
		}
	}
	for j := i + 1; j < len(s.cands) && s.cands[j].vStart < c.vEnd; j++ {
		if explains(s.cands[j], c.rule.Kind, c.vStart, c.vEnd) {
			return true
		}
	}
	// recent is in order of value start, and no value is longer than the
	// longest match: only a short stretch of it can overlap.
	from := int64(c.vStart) - int64(s.e.maxLen)
	j := sort.Search(len(s.recent), func(j int) bool { return s.recent[j].vStart >= from })
	for ; j < len(s.recent) && s.recent[j].vStart < c.vEnd; j++ {
		if explains(s.recent[j], c.rule.Kind, c.vStart, c.vEnd) {
			return true
		}
	}
	return false
}

func (s *scanner) emitFinding(c *candidate) error {
	if s.seg.on && !s.seg.owns(c.vStart) {
		return nil // a neighbouring segment emits it
	}
	value := s.buf[c.vStart-s.base : c.vEnd-s.base]
	startAt := c.vStart
	s.pos.advance(s.buf, s.base, startAt)
	line, col := s.pos.line, s.pos.col+1
	endLine, endCol := s.pos.after(value)
	loc := s.in.Location
	loc.Line, loc.Column, loc.EndLine, loc.EndColumn = line, col, endLine, endCol
	loc.Offset, loc.EndOffset = startAt, c.vEnd
	f := finding.Finding{
		Rule:        c.rule.ID,
		Name:        c.rule.Name,
		Kind:        c.rule.Kind,
		Entity:      c.rule.Entity,
		Confidence:  c.conf,
		Severity:    c.rule.Severity,
		Location:    loc,
		Masked:      redact.Mask(string(value)),
		Fingerprint: s.e.opts.hasher.Sum(value),
	}
	if s.e.opts.showSecrets {
		f.Secret = string(value)
	}
	s.stats.Findings++
	return s.emit(f)
}

// containsAny reports whether one of the lower-case words occurs in b,
// ASCII letters of b in either case.
func containsAny(b []byte, words [][]byte) bool {
	for _, w := range words {
		if indexFold(b, w) >= 0 {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
