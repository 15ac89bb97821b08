package cli

import (
	"cmp"
	"encoding/hex"
	"hash/maphash"
	"iter"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/leakguard/leakguard/internal/finding"
)

// compactFindings holds a scan's findings for the report written at the
// end in 64 bytes each instead of 300: what repeats is interned (a rule
// with its name, entity, kind, severity and confidence; an item's path with
// its container chain; masked previews), the fingerprint is kept as bytes,
// positions in 32 bits unless one does not fit. A scan of a file server
// with millions of findings then fits the memory budget of a worker, not of
// the findings, and the records hold no pointer for the collector to scan.
// It implements report.List.
type compactFindings struct {
	strs     []string
	index    map[string]uint32
	chains   [][]string
	chainx   map[string]uint32 // by chainKey
	ruleKeys []ruleKey         // by compactFinding.rule
	ruleKeyx map[ruleKey]uint32
	wheres   []whereKey
	wherex   map[whereKey]uint32

	// recent holds strings interned lately, by hash: a map of hundreds
	// of thousands of masked previews costs two cache misses a lookup,
	// while on a share's rescan a preview comes back soon enough to be
	// found here three times out of four (16k slots; 4k found two of
	// three), and the scan cache's strings are shared, which == compares
	// by pointer first.
	seed   maphash.Seed
	recent [1 << 14]recentString

	// Add's shortcuts: findings come item by item, a rule at a time, and
	// replayed ones share their strings, which == compares by pointer
	// first. lastRule is indexed by the rule id's length, a hash for free.
	lastRule  [16]lastRule
	lastWhere struct {
		ok    bool
		path  string
		chain []string
		id    uint32
	}

	// recs holds the records in blocks of chunk: a million findings in one
	// slice meant growing (copying, clearing) a 100 MB block again and
	// again, which was most of the cost of replaying a share from the
	// scan cache.
	recs [][]compactFinding
	n    int
	// ahead brings the next block of recs (see nextChunk).
	ahead chan []compactFinding
	// order is the report order Sort settles: order[i] is the record
	// reported i-th. Nil means insertion order.
	order []int32
	// secrets holds plaintext values by record, only with --show-secrets.
	secrets map[int]string
	// matches holds the registered-data details by record: few findings
	// have one.
	matches map[int]*finding.Match
	// hexFree is what is left of the block hexPrint writes into.
	hexFree []byte
	// wide holds line, column, end line and end column of the records
	// whose positions do not fit 32 bits (line is wideLine): the end of a
	// single-line file of 4 GiB.
	wide map[int]*[4]int
}

// chunk is the number of records in a block of compactFindings.recs.
const chunk = 4096

type compactFinding struct {
	off, endOff                int64
	line, col, endLine, endCol uint32
	fp                         [16]byte
	rule                       uint32 // in ruleKeys
	where                      uint32 // in wheres
	masked                     uint32 // in strs
	fpRaw                      uint32 // 0: fp holds the fingerprint; else 1 + its place in strs
}

// wideLine marks a record whose positions are in compactFindings.wide.
const wideLine = math.MaxUint32

// ruleKey is what a finding says about its rule, as places in strs.
type ruleKey struct {
	rule, name, entity, kind, severity uint32
	conf                               finding.Confidence
}

type recentString struct {
	s  string
	id uint32
}

// whereKey is an item: a path in strs and a chain in chains.
type whereKey struct{ path, chain uint32 }

type lastRule struct {
	ok                                 bool
	rule, name, entity, kind, severity string
	conf                               finding.Confidence
	id                                 uint32
}

func newCompactFindings() *compactFindings {
	c := &compactFindings{index: map[string]uint32{}, chainx: map[string]uint32{},
		ruleKeyx: map[ruleKey]uint32{}, wherex: map[whereKey]uint32{}, seed: maphash.MakeSeed()}
	c.strs, c.index[""] = append(c.strs, ""), 0 // what an empty slot of recent says
	c.chains = append(c.chains, nil)
	return c
}

func (c *compactFindings) intern(s string) uint32 {
	slot := &c.recent[maphash.String(c.seed, s)%uint64(len(c.recent))]
	if slot.s == s { // an empty slot holds "", whose place is 0
		return slot.id
	}
	i, ok := c.index[s]
	if !ok {
		i = uint32(len(c.strs))
		c.strs = append(c.strs, s)
		c.index[s] = i
	}
	*slot = recentString{s: s, id: i}
	return i
}

func (c *compactFindings) chain(ch []string) uint32 {
	if len(ch) == 0 {
		return 0
	}
	key := chainKey(ch)
	if i, ok := c.chainx[key]; ok {
		return i
	}
	i := uint32(len(c.chains))
	c.chains = append(c.chains, slices.Clone(ch))
	c.chainx[key] = i
	return i
}

// chainKey is a chain as one string, each element after its length so
// that no two chains share a key.
func chainKey(ch []string) string {
	var b []byte
	for _, s := range ch {
		b = append(b, byte(len(s)>>24), byte(len(s)>>16), byte(len(s)>>8), byte(len(s)))
		b = append(b, s...)
	}
	return string(b)
}

// ruleOf returns the place in rules of what f says about its rule.
func (c *compactFindings) ruleOf(f *finding.Finding) uint32 {
	last := &c.lastRule[len(f.Rule)%len(c.lastRule)]
	if last.ok && f.Rule == last.rule && f.Name == last.name && f.Entity == last.entity &&
		string(f.Kind) == last.kind && string(f.Severity) == last.severity && f.Confidence == last.conf {
		return last.id
	}
	k := ruleKey{rule: c.intern(f.Rule), name: c.intern(f.Name), entity: c.intern(f.Entity),
		kind: c.intern(string(f.Kind)), severity: c.intern(string(f.Severity)), conf: f.Confidence}
	id, ok := c.ruleKeyx[k]
	if !ok {
		id = uint32(len(c.ruleKeys))
		c.ruleKeys = append(c.ruleKeys, k)
		c.ruleKeyx[k] = id
	}
	*last = lastRule{ok: true, rule: f.Rule, name: f.Name, entity: f.Entity, kind: string(f.Kind),
		severity: string(f.Severity), conf: f.Confidence, id: id}
	return id
}

// whereOf returns the place in wheres of l's item.
func (c *compactFindings) whereOf(l *finding.Location) uint32 {
	last := &c.lastWhere
	if last.ok && l.Path == last.path && slices.Equal(l.Container, last.chain) {
		return last.id
	}
	k := whereKey{path: c.intern(l.Path), chain: c.chain(l.Container)}
	id, ok := c.wherex[k]
	if !ok {
		id = uint32(len(c.wheres))
		c.wheres = append(c.wheres, k)
		c.wherex[k] = id
	}
	last.ok, last.path, last.chain, last.id = true, c.strs[k.path], c.chains[k.chain], id
	return id
}

// Add stores f.
func (c *compactFindings) Add(f finding.Finding) {
	l := &f.Location
	r := compactFinding{rule: c.ruleOf(&f), where: c.whereOf(l), masked: c.intern(f.Masked),
		off: l.Offset, endOff: l.EndOffset}
	if fits32(l.Line) && fits32(l.Column) && fits32(l.EndLine) && fits32(l.EndColumn) {
		r.line, r.col, r.endLine, r.endCol = uint32(l.Line), uint32(l.Column), uint32(l.EndLine), uint32(l.EndColumn)
	} else {
		if c.wide == nil {
			c.wide = map[int]*[4]int{}
		}
		c.wide[c.n] = &[4]int{l.Line, l.Column, l.EndLine, l.EndColumn}
		r.line = wideLine
	}
	if !decodeHexPrint(&r.fp, f.Fingerprint) {
		r.fpRaw = 1 + c.intern(f.Fingerprint)
	}
	if f.Secret != "" {
		if c.secrets == nil {
			c.secrets = map[int]string{}
		}
		c.secrets[c.n] = f.Secret
	}
	if f.Match != nil {
		if c.matches == nil {
			c.matches = map[int]*finding.Match{}
		}
		c.matches[c.n] = f.Match
	}
	if c.n%chunk == 0 {
		c.recs = append(c.recs, c.nextChunk())
	}
	last := len(c.recs) - 1
	c.recs[last] = append(c.recs[last], r)
	c.n++
	c.order = nil
}

// nextChunk returns an empty block for recs and has the one after it made
// meanwhile on another goroutine. A block is fresh memory from the system
// and its first writes fault its pages in: on the test VM that was a third
// of the time Add took on a rescan, on the goroutine every finding waits
// for; made ahead, the faults are taken on the other core.
func (c *compactFindings) nextChunk() []compactFinding {
	var b []compactFinding
	if c.ahead != nil {
		b = <-c.ahead
	} else {
		b = makeChunk()
		c.ahead = make(chan []compactFinding, 1)
	}
	go func() { c.ahead <- makeChunk() }() // buffered: never blocks, never outlives the work
	return b
}

// makeChunk makes a block for recs with its pages written once.
func makeChunk() []compactFinding {
	b := make([]compactFinding, chunk)
	const perPage = 4096 / int(unsafe.Sizeof(compactFinding{}))
	for i := 0; i < len(b); i += perPage {
		b[i].off = 0
	}
	return b[:0]
}

// fits32 tells whether a position is kept in 32 bits: wideLine is taken.
func fits32(v int) bool { return v >= 0 && v < wideLine }

// decodeHexPrint sets fp from s if s is 32 lowercase hex digits, the
// keyed hash's usual form (only then does At give s back as it was). One
// table lookup a digit: every replayed finding comes through here under
// the sink's lock, where a check and encoding/hex's own second check cost
// a rescan of 448k findings 0.1 s that both workers waited on.
func decodeHexPrint(fp *[16]byte, s string) bool {
	if len(s) != 32 {
		return false
	}
	var bad byte
	for i := range fp {
		hi, lo := lowerHex[s[2*i]], lowerHex[s[2*i+1]]
		bad |= hi | lo
		fp[i] = hi<<4 | lo
	}
	return bad < 16
}

// lowerHex is the value of each lowercase hex digit, and 0xFF for every
// other byte.
var lowerHex = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i, d := range "0123456789abcdef" {
		t[d] = byte(i)
	}
	return t
}()

// rec returns record i in insertion order.
func (c *compactFindings) rec(i int) *compactFinding { return &c.recs[i/chunk][i%chunk] }

// Seq yields every finding in order, one at a time, for consumers that
// need no slice of them (a slice of a million findings is 230 MB).
func (c *compactFindings) Seq() iter.Seq[finding.Finding] {
	return func(yield func(finding.Finding) bool) {
		for i := range c.Len() {
			if !yield(c.At(i)) {
				return
			}
		}
	}
}

// All returns every finding as a slice, for consumers that need one.
func (c *compactFindings) All() []finding.Finding {
	out := make([]finding.Finding, c.Len())
	for i := range out {
		out[i] = c.At(i)
	}
	return out
}

// rules returns the set of rule ids with findings.
func (c *compactFindings) rules() map[string]bool {
	used := map[string]bool{}
	for _, k := range c.ruleKeys {
		used[c.strs[k.rule]] = true
	}
	return used
}

// HasSecrets implements report.SecretHolder: only --show-secrets stores
// plaintext.
func (c *compactFindings) HasSecrets() bool { return len(c.secrets) > 0 }

// Len implements report.List.
func (c *compactFindings) Len() int { return c.n }

// At implements report.List. It writes fingerprints into c's blocks
// (hexPrint): one goroutine at a time.
func (c *compactFindings) At(i int) finding.Finding {
	if c.order != nil {
		i = int(c.order[i])
	}
	r := c.rec(i)
	var fp string
	if r.fpRaw == 0 {
		fp = c.hexPrint(&r.fp)
	} else {
		fp = c.strs[r.fpRaw-1]
	}
	k, w := &c.ruleKeys[r.rule], c.wheres[r.where]
	l := finding.Location{Path: c.strs[w.path], Container: c.chains[w.chain],
		Line: int(r.line), Column: int(r.col), EndLine: int(r.endLine), EndColumn: int(r.endCol),
		Offset: r.off, EndOffset: r.endOff}
	if r.line == wideLine {
		p := c.wide[i]
		l.Line, l.Column, l.EndLine, l.EndColumn = p[0], p[1], p[2], p[3]
	}
	return finding.Finding{
		Rule: c.strs[k.rule], Name: c.strs[k.name], Kind: finding.Kind(c.strs[k.kind]), Entity: c.strs[k.entity],
		Confidence: k.conf, Severity: finding.Severity(c.strs[k.severity]), Location: l,
		Masked: c.strs[r.masked], Fingerprint: fp, Secret: c.secrets[i], Match: c.matches[i],
	}
}

// hexPrint returns the 32 hex digits of fp, written into blocks shared by
// a thousand fingerprints: a string allocated for each was a third of At's
// time, and At is half as costly as encoding the report it feeds.
func (c *compactFindings) hexPrint(fp *[16]byte) string {
	if len(c.hexFree) < 2*len(fp) {
		c.hexFree = make([]byte, 1024*2*len(fp))
	}
	b := c.hexFree[: 2*len(fp) : 2*len(fp)]
	c.hexFree = c.hexFree[2*len(fp):]
	hex.Encode(b, fp[:])
	return unsafe.String(&b[0], len(b)) // b is never written again
}

// Sort orders findings by item, then position, then rule: the same input
// always gives the same report, whatever the worker scheduling. Items and
// rules are ranked once, so that comparing two records compares numbers.
// The records are first placed by item with a counting sort, which keeps
// their order within an item, then each item's are sorted by position and
// rule: a stable sort of all 448k records of the benchmark corpus' rescan
// by the whole key took 75 ms on the path to the report; most items hold a
// handful of findings.
func (c *compactFindings) Sort() {
	whereRank := ranks(len(c.wheres), func(a, b int) int {
		wa, wb := c.wheres[a], c.wheres[b]
		if x := strings.Compare(c.strs[wa.path], c.strs[wb.path]); x != 0 {
			return x
		}
		return slices.Compare(c.chains[wa.chain], c.chains[wb.chain])
	})
	ruleRank := ranks(len(c.ruleKeys), func(a, b int) int {
		return strings.Compare(c.strs[c.ruleKeys[a].rule], c.strs[c.ruleKeys[b].rule])
	})
	// start[r] is where the records of the item ranked r begin in perm.
	start := make([]int32, len(c.wheres)+1)
	for i := range c.n {
		start[whereRank[c.rec(i).where]+1]++
	}
	for r := 1; r < len(start); r++ {
		start[r] += start[r-1]
	}
	perm := make([]int32, c.n)
	next := slices.Clone(start[:len(start)-1])
	for i := range c.n {
		r := whereRank[c.rec(i).where]
		perm[next[r]] = int32(i)
		next[r]++
	}
	byPlace := func(i, j int32) int {
		a, b := c.rec(int(i)), c.rec(int(j))
		if x := cmp.Compare(a.off, b.off); x != 0 {
			return x
		}
		if x := cmp.Compare(a.endOff, b.endOff); x != 0 {
			return x
		}
		return cmp.Compare(ruleRank[a.rule], ruleRank[b.rule])
	}
	for r := range len(start) - 1 {
		if item := perm[start[r]:start[r+1]]; len(item) > 1 && !slices.IsSortedFunc(item, byPlace) {
			slices.SortStableFunc(item, byPlace)
		}
	}
	c.order = perm
}

// ranks returns, for each of n values, its rank in the order compare
// gives them: equal values get equal ranks.
func ranks(n int, compare func(a, b int) int) []uint32 {
	byOrder := make([]int, n)
	for i := range byOrder {
		byOrder[i] = i
	}
	slices.SortFunc(byOrder, compare)
	rank := make([]uint32, n)
	r := uint32(0)
	for i, v := range byOrder {
		if i > 0 && compare(byOrder[i-1], v) != 0 {
			r++
		}
		rank[v] = r
	}
	return rank
}
