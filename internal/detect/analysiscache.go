package detect

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"os"
	"path/filepath"

	"github.com/leakguard/leakguard/internal/buildid"
	"github.com/leakguard/leakguard/internal/rules"
)

// The analysis of the rules' patterns (their factors, cut into the scan
// automaton's pieces, and how each rule is scheduled, trigger.go) is most
// of what Compile costs: some 0.75 CPU seconds for the built-in rules, paid
// by every command that scans and by every reload of `serve`. It depends
// only on the rules and on the program, so it is kept in a file named by a
// digest of both and read back by the next Compile of the same rules by
// the same program. The program is named by its build (buildid), not by
// its version or revision: a development build with different analysis
// code must never read another build's results, since a factor a rule does
// not have would make the engine skip text where the rule matches.

// WithAnalysisCache keeps the analysis of the rules in dir (created when
// needed). A missing, unreadable or stale file is redone and rewritten;
// the cache only saves time.
func WithAnalysisCache(dir string) Option { return func(o *options) { o.analysisDir = dir } }

// ruleAnalysis is what compileFactors finds for one rule.
type ruleAnalysis struct {
	Set, Pieces             seqSet
	Exact, Factored, ByFact bool
}

// analysisVersion changes with the layout of ruleAnalysis.
const analysisVersion = "leakguard rule analysis 2"

// analysisFile returns the cache file for e's rules, or "" for none.
func (e *Engine) analysisFile() string {
	if e.opts.analysisDir == "" || e.opts.reference {
		return ""
	}
	exe := buildid.Executable()
	if exe == "" {
		return ""
	}
	rs := make([]*rules.Rule, len(e.rules))
	for i, c := range e.rules {
		rs[i] = c.Rule
	}
	sum := rules.Digest(rs) // in the engine's order, which the file follows
	if sum == "" {
		return ""
	}
	h := sha256.Sum256([]byte(analysisVersion + "\x00" + exe + "\x00" + sum))
	return filepath.Join(e.opts.analysisDir, "analysis-"+hex.EncodeToString(h[:16])+".gob")
}

// loadAnalysis applies the cached analysis in file, reporting whether there
// was one for these rules.
func (e *Engine) loadAnalysis(file string) bool {
	data, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	var as []ruleAnalysis
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&as) != nil || len(as) != len(e.rules) {
		return false
	}
	for i, c := range e.rules {
		a := as[i]
		c.factorSet, c.pieces, c.exact, c.factored, c.byFactor = a.Set, a.Pieces, a.Exact, a.Factored, a.ByFact
	}
	return true
}

// saveAnalysis writes the rules' analysis to file, whole or not at all
// (a temporary file renamed): a reader never sees half of it.
func (e *Engine) saveAnalysis(file string) {
	as := make([]ruleAnalysis, len(e.rules))
	for i, c := range e.rules {
		as[i] = ruleAnalysis{Set: c.factorSet, Pieces: c.pieces, Exact: c.exact, Factored: c.factored, ByFact: c.byFactor}
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(as) != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(file), 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".analysis-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), file) != nil {
		os.Remove(tmp.Name())
	}
}
