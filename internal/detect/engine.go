// Package detect is leakguard's detection engine: it compiles rules once and
// scans streams of text with them. One pass of one automaton over the text
// finds every rule keyword, every context word and every factor (a shape a
// rule's matches cannot do without, derived from its regex: "nine digits
// between punctuation", "https://"), and decides which rules can match and
// where; only those run their regex, on windows around what was found.
// Rules without a keyword (personal data has none: a card number is just
// digits) run around their factors, or around their context words where
// they require them, so they too run on a small share of the text.
// Validators and context words then turn each candidate into a finding with
// a confidence.
//
// Content is read in chunks that overlap by the longest possible match, so
// memory is bounded by the chunk size and nothing is lost or reported twice
// at a chunk edge. An Engine is safe for concurrent use.
package detect

import (
	"fmt"
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	re2 "github.com/wasilibs/go-re2"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

// Engine holds compiled rules. Build one with Compile.
type Engine struct {
	rules []*compiled
	// words finds keywords and context words in one pass over the
	// lower-cased text. byKeyword[i] lists the rules that use word i as a
	// keyword; ctxOf[i] is its index among the context words, or -1.
	words     *wordSet
	byKeyword [][]*compiled
	ctxOf     []int32
	// free are the rules without keywords (personal data, markings). They
	// run around their context words where they require them, else around
	// the occurrences of their factors (trigger.go).
	free        []*compiled
	factorsText *factorSet  // factors of the rules they schedule, for text
	factorsCode *factorSet  // and for source code
	autoText    *scanAuto   // words and factors, for text
	autoCode    *scanAuto   // and for source code
	ctx         *ctxWords   // every rule's context words
	refRules    []*compiled // WithReference: every rule, on all text
	magicRules  []*compiled
	maxLen      int // longest match of any rule
	window      int // widest context window of any rule
	opts        options
	pathRules   []*compiled // rules limited to some paths
	// sels[code][gates] are the selections for source code and other
	// text that no path-limited rule is for, by the path gates passed.
	sels    [2][]*selection
	nShaped int // rules with a shaped check
	nShapes int // slots of the shapes they use
	nRare   int // required texts of all rules
	// gates test paths for the checks that need a kind of file; needs
	// are the word lists checks need near a match, needOf[i] the lists
	// word i is in, needBack how far before a keyword one may lie.
	gates    []func(path string) bool
	needs    []needWords
	needOf   []uint8
	needBack int
	allowID  int32 // the allow marker's word (candidate.go)
	// nKwSlots are the rules scheduled by their factors, whose keyword
	// hits are kept (compiled.kwSlot); kwBack how far before a factor
	// one of their windows begins.
	nKwSlots, kwBack int
	scanPool         sync.Pool
	// bufPool recycles the chunk buffer of a scan: a scan of a small file
	// would otherwise allocate and zero 1 MiB.
	bufPool sync.Pool
	stores  storeList // of scanParallel's stretches
}

type buffers struct{ buf []byte }

func (e *Engine) buffers(size int) *buffers {
	if b, ok := e.bufPool.Get().(*buffers); ok && cap(b.buf) >= size {
		return b
	}
	return &buffers{buf: make([]byte, 0, size)}
}

// compiled is a rule ready to run.
type compiled struct {
	*rules.Rule
	// groups are the names of the pattern's capture groups, by number
	// (Candidate.Group). The pattern is compiled by Go's regexp package
	// only to check it and read them: a scan does not keep the Go regexp,
	// some 10 MB for the built-in rules. A rule's first windows are
	// searched with a Go regexp compiled again on first use, the rest
	// with RE2, also compiled on first use (finder, matcher).
	groups []string
	reOnce sync.Once
	re     *re2.Regexp
	reErr  error
	// goOnce, goRE and goBytes serve a rule's first windows from Go's
	// regexp (finder).
	goOnce   sync.Once
	goRE     *regexp.Regexp
	goBytes  atomic.Int64
	anchored anchoredRegexps // the groups of a match, found alone (groups.go)
	split    *byteSplit      // the groups of a match, read off its bounds; nil when they cannot be (groups.go)
	native   finder          // Go code that finds the pattern's matches, nil for most rules (native.go)
	// lineLead says where a match can hold a line break (0 nowhere, 1
	// only as its first byte, -1 elsewhere too): when it is not -1 a
	// keyword's window ends at its line's edges (scanWords).
	lineLead int
	// valueIdx lists the capture groups that may hold the value: "value" and
	// "value_*" in order (alternatives of one pattern), else group 1. The
	// first that participated wins; none means the whole match.
	valueIdx  []int
	checks    []namedCheck
	freeIdx   int     // index in Engine.free, or -1
	minDigits int     // digits a match needs to pass the first check
	factorSet seqSet  // factors of the pattern, if it has any
	pieces    seqSet  // factorSet cut to factorLen: the scan automaton's patterns
	factored  bool    // free rule with factors
	exact     bool    // factorSet holds exact factors, checked at each hit (confirm.go)
	byFactor  bool    // keyword rule scheduled by its factors
	byShape   bool    // free rule scheduled by its shape alone (trigger.go)
	ctxKind   []uint8 // per context word of the engine: ctxPositive, ctxNegative
	ctxEmpty  uint8   // kinds with an empty word, found everywhere
	idx       int     // index in Engine.rules
	// shape is the shape of the first check that has one (shape.go), and
	// shapeName that check's name; shapeSlot indexes scanner.shapeNext.
	shape *shape
	// digitBounded: no digit of the text touches a value's digits at its
	// edges (digitbounds.go), so shape.pieces tries whole groups alone.
	digitBounded bool
	shapeName    string
	shapeSlot    int
	// gates are the bits of Engine.gates the rule's checks need a path to
	// pass; needSet indexes Engine.needs, the words one of which must lie
	// within needReach of a match (-1: none) (need.go).
	gates     uint8
	needSet   int
	needReach int
	// needLines, when not 0, bounds the reach to that many lines before
	// the first line of a match and after its last.
	needLines int
	// boundsNeed is the first check's condition on a match's bounds
	// (need.bounds), nil for none; valuesNonEmpty says every value group
	// of the pattern matches at least one byte, so that consider never
	// drops a match for an empty value before its checks.
	boundsNeed     func(*Candidate) bool
	valuesNonEmpty bool
	// valueAtStart says every match's value starts where the match does
	// (need.go).
	valueAtStart bool
	// rare are texts every match holds, the first rarer than the
	// keywords (required.go); hasRare says there are some. maxKw is the
	// length of the longest keyword.
	kwSlot    int // byFactor: index in scanner.kwHits
	rare      [][]byte
	rareSlot  int // index of rare[0]'s state in scanner.rareAt
	hasRare   bool
	kwGate    keywordGate // a test of the text after a keyword hit, or nil (gate.go)
	maxKw     int
	recognise func(head []byte) bool // magic rules only
	paths     []*regexp.Regexp
	pathLits  []pathLiteral // per path regex, a text every matching path contains
	keywords  [][]byte
	ctxWords  [][]byte
	ctxNeg    [][]byte
}

type namedCheck struct {
	name string
	fn   Check
}

type options struct {
	hasher      *keyed.Hasher
	chunkSize   int
	segmentSize int // of a stretch of a long stream scanned in parallel
	minConf     finding.Confidence
	showSecrets bool
	reference   bool
	analysisDir string           // WithAnalysisCache
	goBudget    int64            // see goBudget; tests set it (export_test.go)
	checks      map[string]Check // beside Checks(): tests add failing ones
}

// Option configures Compile.
type Option func(*options)

// WithHasher sets the keyed hash used for finding fingerprints (required).
func WithHasher(h *keyed.Hasher) Option { return func(o *options) { o.hasher = h } }

// WithChunkSize sets how many bytes are read per round (default 1 MiB). Tests
// use tiny chunks to exercise the overlap logic.
func WithChunkSize(n int) Option { return func(o *options) { o.chunkSize = n } }

// WithMinConfidence drops findings below c (they are counted as suppressed).
func WithMinConfidence(c finding.Confidence) Option { return func(o *options) { o.minConf = c } }

// WithShowSecrets puts the plaintext value into Finding.Secret. Off by
// default: values never leave the engine unless the user asked.
func WithShowSecrets(on bool) Option { return func(o *options) { o.showSecrets = on } }

// WithReference turns the prefilter off: every rule runs its regex over all
// text. It is the slow, obviously complete path that tests and benchmarks
// hold the fast path against, finding for finding.
func WithReference() Option { return func(o *options) { o.reference = true } }

// DefaultChunkSize is the number of bytes read per round.
const DefaultChunkSize = 1 << 20

// Compile checks and compiles rules. It fails on the first rule whose regex
// does not compile or that names an unknown validator.
func Compile(rs []rules.Rule, opts ...Option) (*Engine, error) {
	e := &Engine{opts: options{chunkSize: DefaultChunkSize, segmentSize: segmentSize, minConf: finding.Low, goBudget: goBudget}}
	for _, o := range opts {
		o(&e.opts)
	}
	if e.opts.hasher == nil {
		return nil, fmt.Errorf("detect: no hasher: fingerprints need a key (WithHasher)")
	}
	available := Checks()
	maps.Copy(available, e.opts.checks)
	shapeOf := shapes()
	kwIndex := map[string]int{}
	var kwList []string
	// Each rule's pattern is parsed and read for its required texts on
	// every core, each rule alone: with the analysis cache holding the
	// rest, that was half of what Compile cost, on one core.
	own := slices.Clone(rs) // the engine owns its rules
	type prepared struct {
		c    *compiled
		rare [][]byte
		err  error
	}
	preps := make([]prepared, len(own))
	eachParallel(len(own), func(i int) {
		r, p := &own[i], &preps[i]
		r.Normalize()
		// compileRule parses the patterns and reports their errors as
		// Check would.
		if p.err = r.CheckSettings(); p.err != nil {
			return
		}
		var tree *syntax.Regexp
		if p.c, tree, p.err = compileRule(r, available); p.err != nil {
			return
		}
		if len(p.c.keywords) > 0 && !e.opts.reference {
			p.rare = requiredTextsOf(tree, p.c.keywords)
		}
	})
	for i := range own {
		if preps[i].err != nil {
			return nil, preps[i].err // the first in the rules' order
		}
		r, c := &own[i], preps[i].c
		c.idx = len(e.rules)
		c.freeIdx = -1
		c.needSet = -1
		if ts := preps[i].rare; ts != nil {
			c.rare, c.hasRare, c.rareSlot = ts, true, e.nRare
			e.nRare += len(ts)
		}
		for _, ch := range c.checks {
			if sh := shapeOf[ch.name]; sh != nil && !e.opts.reference {
				c.shape, c.shapeName, c.shapeSlot = sh, ch.name, e.nShaped
				e.nShaped++
				break
			}
		}
		e.rules = append(e.rules, c)
		e.maxLen = max(e.maxLen, r.MaxLen)
		if r.Context != nil {
			e.window = max(e.window, r.Context.Window)
		}
		switch {
		case c.recognise != nil:
			e.magicRules = append(e.magicRules, c)
		case e.opts.reference:
			e.refRules = append(e.refRules, c)
		case len(r.Keywords) > 0:
			for _, k := range r.Keywords {
				id, ok := kwIndex[k]
				if !ok {
					id = len(kwList)
					kwIndex[k] = id
					kwList = append(kwList, k)
					e.byKeyword = append(e.byKeyword, nil)
				}
				e.byKeyword[id] = appendOnce(e.byKeyword[id], c)
			}
		default:
			c.freeIdx = len(e.free)
			e.free = append(e.free, c)
		}
	}
	e.nShapes = assignSlots(e.rules)
	ctx, err := compileContext(e.rules)
	if err != nil {
		return nil, err
	}
	e.ctx = ctx
	e.ctxOf = make([]int32, len(kwList))
	for i := range e.ctxOf {
		e.ctxOf[i] = -1
	}
	if ctx != nil {
		for i, w := range ctx.words {
			id, ok := kwIndex[w]
			if !ok {
				id = len(kwList)
				kwIndex[w] = id
				kwList = append(kwList, w)
				e.byKeyword = append(e.byKeyword, nil)
				e.ctxOf = append(e.ctxOf, -1)
			}
			e.ctxOf[id] = int32(i)
		}
	}
	e.compileNeeds()
	e.needOf = make([]uint8, len(kwList))
	for k, nw := range e.needs {
		for _, w := range nw.words {
			id, ok := kwIndex[string(w)]
			if !ok {
				id = len(kwList)
				kwIndex[string(w)] = id
				kwList = append(kwList, string(w))
				e.byKeyword = append(e.byKeyword, nil)
				e.ctxOf = append(e.ctxOf, -1)
				e.needOf = append(e.needOf, 0)
			}
			e.needOf[id] |= 1 << k
		}
	}
	// The allow marker is looked for with the words.
	id, ok := kwIndex[string(allowMarker)]
	if !ok {
		id = len(kwList)
		kwList = append(kwList, string(allowMarker))
		e.byKeyword = append(e.byKeyword, nil)
		e.ctxOf = append(e.ctxOf, -1)
		e.needOf = append(e.needOf, 0)
	}
	e.allowID = int32(id)
	if err := e.compileFactors(); err != nil {
		return nil, err
	}
	for _, c := range e.rules {
		if c.byFactor {
			c.kwSlot = e.nKwSlots
			e.nKwSlots++
			e.kwBack = max(e.kwBack, c.MaxLen+1)
		}
	}
	if len(kwList) > 0 {
		ws, err := newWordSet(kwList)
		if err != nil {
			return nil, fmt.Errorf("detect: keyword automaton: %w", err)
		}
		e.words = ws
	}
	// One automaton of the words serves both kinds of input, so its
	// states are built once.
	var words *classDFA
	if e.words != nil && len(e.words.pats) > 0 {
		if words, err = newClassDFA(e.words.pats, autoStates); err != nil {
			return nil, err
		}
	}
	if e.autoText, err = newScanAuto(words, e.words, e.factorsText); err != nil {
		return nil, err
	}
	if e.autoCode, err = newScanAuto(words, e.words, e.factorsCode); err != nil {
		return nil, err
	}
	for _, c := range e.rules {
		if len(c.paths) > 0 {
			e.pathRules = append(e.pathRules, c)
		}
	}
	for code := range e.sels {
		for mask := range 1 << len(e.gates) {
			e.sels[code] = append(e.sels[code], e.newSelection(code == 1, "", uint8(mask)))
		}
	}
	if e.opts.chunkSize < 2*e.keep() {
		e.opts.chunkSize = 2 * e.keep()
	}
	return e, nil
}

func appendOnce(list []*compiled, c *compiled) []*compiled {
	for _, x := range list {
		if x == c {
			return list
		}
	}
	return append(list, c)
}

// valueGroups returns the capture groups of a pattern with these group
// names that may hold a match's value (compiled.valueIdx): "value" and
// "value_*" in order, else group 1 if there is one.
func valueGroups(names []string) []int {
	var out []int
	for i, name := range names {
		if name == "value" || strings.HasPrefix(name, "value_") {
			out = append(out, i)
		}
	}
	if len(out) == 0 && len(names) > 1 {
		out = []int{1}
	}
	return out
}

// compileRule prepares r, and returns with it the parse of its pattern
// (nil for a magic rule), which the engine reads again for the rule's
// required texts: parsing every pattern once more was a tenth of a run's
// start.
func compileRule(r *rules.Rule, available map[string]Check) (*compiled, *syntax.Regexp, error) {
	if r.Magic != "" {
		fn, ok := recognisers()[r.Magic]
		if !ok {
			return nil, nil, fmt.Errorf("rule %s: unknown magic %q (known: jks, jceks, pkcs12)", r.ID, r.Magic)
		}
		return &compiled{Rule: r, recognise: fn}, nil, nil
	}
	// Parsed, not compiled: the parse is all regexp.Compile reports
	// errors from (sizes included), and the groups are in its tree.
	// Compiling every rule's program took a quarter of the start of
	// every run (33 ms, 30 MB allocated); the programs are built when a
	// rule first runs (finder, anchoredMatchers).
	tree, err := syntax.Parse(r.Pattern, syntax.Perl)
	if err != nil {
		return nil, nil, fmt.Errorf("rule %s: pattern: %w", r.ID, err)
	}
	c := &compiled{Rule: r, groups: tree.CapNames()}
	c.valueIdx = valueGroups(c.groups)
	c.valuesNonEmpty = valuesNonEmpty(tree, c.valueIdx)
	c.valueAtStart = valueAtStart(tree, c.valueIdx)
	c.digitBounded = digitBounded(tree, c.valueIdx)
	c.split = newByteSplit(tree)
	c.native = nativeFinders[r.Pattern]
	c.lineLead = lineLead(tree)
	for _, name := range r.Validators {
		fn, ok := available[name]
		if !ok {
			return nil, nil, fmt.Errorf("rule %s: unknown validator %q (known: %s)", r.ID, name, strings.Join(CheckNames(), ", "))
		}
		c.checks = append(c.checks, namedCheck{name, fn})
	}
	if len(c.checks) > 0 && r.Entropy == 0 {
		// Only the first check: a match it would turn down must be
		// counted under its name, as consider would.
		c.minDigits = minDigits(c.checks[0].name)
	}
	for _, p := range r.Paths {
		pre, err := regexp.Compile(p)
		if err != nil {
			return nil, nil, fmt.Errorf("rule %s: path %q: %w", r.ID, p, err)
		}
		c.paths = append(c.paths, pre)
		c.pathLits = append(c.pathLits, requiredLiteral(pre))
	}
	for _, k := range r.Keywords {
		c.keywords = append(c.keywords, []byte(k))
		c.maxKw = max(c.maxKw, len(k))
	}
	if r.KeywordGate != "" {
		gate, ok := keywordGates()[r.KeywordGate]
		if !ok {
			return nil, nil, fmt.Errorf("rule %s: unknown keyword_gate %q (known: %s)", r.ID, r.KeywordGate, strings.Join(KeywordGates(), ", "))
		}
		c.kwGate = gate
	}
	if r.Context != nil {
		c.ctxWords = lowerAll(r.Context.Words)
		c.ctxNeg = lowerAll(r.Context.Negative)
	}
	return c, tree, nil
}

// matcher returns the rule's RE2 program, compiling it on first use. RE2
// proper (go-re2, the C++ library compiled to Go) rather than the standard
// library: ~10x faster on whole-text scans and ~6x on the 300-byte windows
// the prefilter hands out (BENCHMARKS.md). Its compilation costs 2-30 ms a
// rule, so a rule whose keyword never occurs is never compiled, and a rule
// with few windows never needs it (finder).
func (c *compiled) matcher() (*re2.Regexp, error) {
	c.reOnce.Do(func() {
		c.re, c.reErr = re2.Compile(c.Pattern)
		if c.reErr != nil {
			c.reErr = fmt.Errorf("rule %s: %w", c.ID, c.reErr)
		}
	})
	return c.re, c.reErr
}

// goBudget is how many bytes of windows a rule searches with Go's regexp
// before it moves to RE2 for good.
//
// RE2 is the faster on a rule's steady traffic, but it pays twice before
// its first match: compiling the pattern inside its WebAssembly module
// (5-30 ms a rule) and building the DFA states its first texts reach, one
// by one (a rule counting to 64 or 1000, as a key block does, builds a
// state per count: 20-100 ms on its first window). On a scan of this
// repository's internal/ (4.3 MB of source and rule files, where most
// rules see a window or two) that came to 1.85 s of CPU, against 0.53 s
// for Go's regexp on the same windows, which finds the same matches
// (window for window on the benchmark corpus too). Go's regexp has no
// such start-up; its cost grows with the text and the pattern (3.6 MB/s
// for the generic password assignment, 20-50 MB/s for most), so a rule
// that keeps finding windows moves to RE2 after goBudget bytes, at worst
// some 9 ms after it would have paid RE2's start anyway. Measured on that
// scan (user CPU): budget 0 3.5-4.2 s, 8 KiB 2.1 s, 16 KiB 1.8 s, 32 KiB
// 1.4 s, 64 KiB 1.4 s; BenchmarkEngineFirstPass, where rules have steady
// traffic, is the same from 0 to 32 KiB and slower at 64 KiB.
const goBudget = 32 << 10

// finder is what a window is searched with: RE2 or Go's regexp, which
// share their syntax and leftmost-first semantics (and these methods).
type finder interface {
	FindAllIndex(b []byte, n int) [][]int
	FindAllSubmatchIndex(b []byte, n int) [][]int
}

// finder returns what to search a window of n bytes with: the rule's
// native finder if it has one, else Go's regexp while the rule's windows
// so far and this one fit in budget (goBudget), then RE2.
func (c *compiled) finder(n int, budget int64) (finder, error) {
	if c.native != nil {
		return c.native, nil
	}
	if c.goBytes.Load() < budget && c.goBytes.Add(int64(n)) <= budget {
		c.goOnce.Do(func() {
			// The pattern compiled when the rule was: no error here.
			c.goRE = regexp.MustCompile(c.Pattern)
		})
		return c.goRE, nil
	}
	return c.matcher()
}

// appliesTo reports whether a path-limited rule applies to path.
func (c *compiled) appliesTo(path string) bool {
	return c.appliesToLower(path, strings.ToLower(path))
}

// appliesToLower is appliesTo with the path's lower case given: a
// selection asks it of every path-limited rule for every stream, and a
// path with capitals was copied for each.
func (c *compiled) appliesToLower(path, lower string) bool {
	if len(c.paths) == 0 {
		return true
	}
	for i, p := range c.paths {
		// Most paths fail the cheap test; the regex decides the rest.
		if c.pathLits[i].in(path, lower) && p.MatchString(path) {
			return true
		}
	}
	return false
}

// pathLiteral is a text that every path a path regex matches contains, in
// lower case when the regex ignores case there (fold): a test far cheaper
// than the regex, which decides the paths that pass it. A scan asks it of
// every rule for every stream it reads.
type pathLiteral struct {
	text string
	fold bool
}

// in reports whether path, or under fold its lower case, holds the
// literal.
func (l pathLiteral) in(path, lower string) bool {
	if l.fold {
		path = lower
	}
	return strings.Contains(path, l.text)
}

// requiredLiteral returns the longest literal text that every match of re
// contains ("htpasswd" in `(^|/)\.?htpasswd[^/]*$`, "dbeaver" folded in
// `(?i)dbeaver`, "rc" in `(?:esmtprc|msmtprc)$`), or the empty literal.
func requiredLiteral(re *regexp.Regexp) pathLiteral {
	parsed, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return pathLiteral{}
	}
	var walk func(r *syntax.Regexp) pathLiteral
	walk = func(r *syntax.Regexp) pathLiteral {
		switch r.Op {
		case syntax.OpLiteral:
			if r.Flags&syntax.FoldCase != 0 {
				return foldLiteral(r.Rune)
			}
			return pathLiteral{text: string(r.Rune)}
		case syntax.OpCapture:
			return walk(r.Sub[0])
		case syntax.OpAlternate:
			// What every branch's literal holds every match holds: the
			// longer of their common prefix and common suffix ("rc" of
			// esmtprc|msmtprc|fetchmailrc).
			var lits []string
			for _, sub := range r.Sub {
				l := walk(sub)
				if l.fold || l.text == "" {
					return pathLiteral{}
				}
				lits = append(lits, l.text)
			}
			pre, suf := lits[0], lits[0]
			for _, l := range lits[1:] {
				for !strings.HasPrefix(l, pre) {
					pre = pre[:len(pre)-1]
				}
				for !strings.HasSuffix(l, suf) {
					suf = suf[1:]
				}
			}
			if len(suf) > len(pre) {
				pre = suf
			}
			return pathLiteral{text: pre}
		case syntax.OpConcat:
			var best, run pathLiteral
			for _, sub := range r.Sub {
				lit := walk(sub)
				if sub.Op == syntax.OpLiteral && !lit.fold {
					run.text += lit.text // adjacent literals join
				} else {
					run = pathLiteral{}
				}
				for _, l := range []pathLiteral{lit, run} {
					if len(l.text) > len(best.text) {
						best = l
					}
				}
			}
			return best
		}
		return pathLiteral{}
	}
	return walk(parsed)
}

// foldLiteral is the part of a case-folded literal that a lower-cased path
// must hold: its longest ASCII stretch without an s, whose folds include
// the long s (U+017F), which strings.ToLower keeps. The Kelvin sign, k's
// other fold, lower-cases to k.
func foldLiteral(runes []rune) pathLiteral {
	var best, run []rune
	for _, r := range runes {
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf && r != 's' {
			run = append(run, r)
		} else {
			run = nil
		}
		if len(run) > len(best) {
			best = run // run only grows in place past best's end
		}
	}
	return pathLiteral{text: string(best), fold: true}
}

// Trim lets go of what the engine keeps for its next scans: the automata's
// built states and the stores of long streams' stretches, tens of
// megabytes (on the benchmark corpus 22 MB of states and 16 MB of
// stores). A command done scanning still writes its report and settles
// the inventory, when its memory peaks; held through that, they raised
// the heap the collector allows by half again their size. A later Scan
// builds them again. Trim must not run while a Scan does.
func (e *Engine) Trim() {
	for _, a := range []*scanAuto{e.autoText, e.autoCode} {
		if a != nil {
			a.words.trim()
			a.facts.trim()
		}
	}
	e.stores.trim()
}

// Rules returns the engine's rules in id order.
func (e *Engine) Rules() []rules.Rule {
	out := make([]rules.Rule, len(e.rules))
	for i, c := range e.rules {
		out[i] = *c.Rule
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookback is how far behind the bytes it has read a Scan with slots
// slots (nil for none) may still emit a finding: the buffer of one round
// and the pending candidates carried from the one before; with slots, the
// stretches read ahead while earlier ones are scanned (parallel.go).
// Callers that attach sub-locations to offsets keep marks that far back.
func (e *Engine) Lookback(slots Slots) int64 {
	serial := 2 * int64(e.opts.chunkSize+e.keep())
	if cap(slots) <= 1 {
		return serial
	}
	m := e.margins()
	return serial + int64(cap(slots)+3)*int64(m.before+e.segmentLen()+m.after)
}
