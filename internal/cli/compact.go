package cli

import (
	"encoding/hex"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

// compactFindings holds a scan's findings for the report written at the
// end in about 90 bytes each instead of 300: strings that repeat (rule,
// path, container chain, masked preview) are interned, the fingerprint is
// kept as bytes. A scan of a file server with half a million findings then
// fits the memory budget of a worker, not of the findings. It implements
// report.List.
type compactFindings struct {
	strs   []string
	index  map[string]uint32
	chains [][]string
	chainx map[string]uint32
	// recs holds the records in blocks of chunk: a million findings in one
	// slice meant growing (copying, clearing) a 100 MB block again and
	// again, which was most of the cost of replaying a share from the
	// scan cache.
	recs [][]compactFinding
	n    int
	// order is the report order Sort settles: order[i] is the record
	// reported i-th. Nil means insertion order.
	order []int32
	// secrets holds plaintext values by record, only with --show-secrets.
	secrets map[int]string
	// matches holds the registered-data details by record: few findings
	// have one.
	matches map[int]*finding.Match
}

// chunk is the number of records in a block of compactFindings.recs.
const chunk = 4096

type compactFinding struct {
	rule, name, entity, kind, severity, path, masked uint32
	chain                                            uint32
	conf                                             finding.Confidence
	// 64 bits: a single-line file of 2 GiB has columns past int32.
	line, col, endLine, endCol int64
	off, endOff                int64
	fp                         [16]byte
	fpRaw                      uint32 // interned fingerprint when it is not 32 hex digits, else 0
}

func newCompactFindings() *compactFindings {
	c := &compactFindings{index: map[string]uint32{}, chainx: map[string]uint32{}}
	c.intern("")
	c.chains = append(c.chains, nil)
	c.chainx[""] = 0
	return c
}

func (c *compactFindings) intern(s string) uint32 {
	if i, ok := c.index[s]; ok {
		return i
	}
	i := uint32(len(c.strs))
	c.strs = append(c.strs, s)
	c.index[s] = i
	return i
}

func (c *compactFindings) chain(ch []string) uint32 {
	if len(ch) == 0 {
		return 0
	}
	key := strings.Join(ch, "\x00")
	if i, ok := c.chainx[key]; ok {
		return i
	}
	i := uint32(len(c.chains))
	c.chains = append(c.chains, slices.Clone(ch))
	c.chainx[key] = i
	return i
}

// Add stores f.
func (c *compactFindings) Add(f finding.Finding) {
	l := f.Location
	r := compactFinding{
		rule: c.intern(f.Rule), name: c.intern(f.Name), entity: c.intern(f.Entity), kind: c.intern(string(f.Kind)),
		severity: c.intern(string(f.Severity)), path: c.intern(l.Path), masked: c.intern(f.Masked),
		chain: c.chain(l.Container), conf: f.Confidence,
		line: int64(l.Line), col: int64(l.Column), endLine: int64(l.EndLine), endCol: int64(l.EndColumn),
		off: l.Offset, endOff: l.EndOffset,
	}
	if len(f.Fingerprint) == 32 {
		if _, err := hex.Decode(r.fp[:], []byte(f.Fingerprint)); err != nil {
			r.fpRaw = c.intern(f.Fingerprint)
		}
	} else {
		r.fpRaw = c.intern(f.Fingerprint)
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
		c.recs = append(c.recs, make([]compactFinding, 0, chunk))
	}
	last := len(c.recs) - 1
	c.recs[last] = append(c.recs[last], r)
	c.n++
	c.order = nil
}

// rec returns record i in insertion order.
func (c *compactFindings) rec(i int) *compactFinding { return &c.recs[i/chunk][i%chunk] }

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
	for i := range c.n {
		used[c.strs[c.rec(i).rule]] = true
	}
	return used
}

// HasSecrets implements report.SecretHolder: only --show-secrets stores
// plaintext.
func (c *compactFindings) HasSecrets() bool { return len(c.secrets) > 0 }

// Len implements report.List.
func (c *compactFindings) Len() int { return c.n }

// At implements report.List.
func (c *compactFindings) At(i int) finding.Finding {
	if c.order != nil {
		i = int(c.order[i])
	}
	r := c.rec(i)
	fp := c.strs[r.fpRaw]
	if r.fpRaw == 0 {
		fp = hex.EncodeToString(r.fp[:])
	}
	return finding.Finding{
		Rule: c.strs[r.rule], Name: c.strs[r.name], Kind: finding.Kind(c.strs[r.kind]), Entity: c.strs[r.entity],
		Confidence: r.conf, Severity: finding.Severity(c.strs[r.severity]),
		Location: finding.Location{Path: c.strs[r.path], Container: c.chains[r.chain],
			Line: int(r.line), Column: int(r.col), EndLine: int(r.endLine), EndColumn: int(r.endCol),
			Offset: r.off, EndOffset: r.endOff},
		Masked: c.strs[r.masked], Fingerprint: fp, Secret: c.secrets[i], Match: c.matches[i],
	}
}

// Sort orders findings by item, then position, then rule: the same input
// always gives the same report, whatever the worker scheduling.
func (c *compactFindings) Sort() {
	where := func(r *compactFinding) (string, []string) { return c.strs[r.path], c.chains[r.chain] }
	perm := make([]int32, c.n)
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(i, j int32) int {
		a, b := c.rec(int(i)), c.rec(int(j))
		pa, ca := where(a)
		pb, cb := where(b)
		if x := strings.Compare(pa, pb); x != 0 {
			return x
		}
		if x := slices.Compare(ca, cb); x != 0 {
			return x
		}
		if a.off != b.off {
			return cmpInt(a.off, b.off)
		}
		if a.endOff != b.endOff {
			return cmpInt(a.endOff, b.endOff)
		}
		return strings.Compare(c.strs[a.rule], c.strs[b.rule])
	})
	c.order = perm
}

func cmpInt(a, b int64) int {
	if a < b {
		return -1
	}
	return 1
}
