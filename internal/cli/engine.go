package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

// ruleFlags choose the rule set, shared by scan, baseline and rules.
type ruleFlags struct {
	files     []string
	noBuiltin bool
	kinds     []string
}

// load returns the selected rules: built-in ones (unless --no-builtin), then
// the user's files, filtered by --kind.
func (rf *ruleFlags) load() ([]rules.Rule, error) {
	var all []rules.Rule
	if !rf.noBuiltin {
		all = append(all, rules.Builtin()...)
	}
	for _, f := range rf.files {
		rs, err := rules.LoadFile(f)
		if err != nil {
			return nil, err
		}
		all = append(all, rs...)
	}
	if len(rf.kinds) == 0 {
		return all, nil
	}
	want := map[finding.Kind]bool{}
	for _, k := range rf.kinds {
		kind, err := finding.ParseKind(k)
		if err != nil {
			return nil, err
		}
		want[kind] = true
	}
	out := all[:0]
	for _, r := range all {
		if want[r.Kind] {
			out = append(out, r)
		}
	}
	return out, nil
}

// wantsKind reports whether --kind selects k (no --kind selects all).
func (rf *ruleFlags) wantsKind(k finding.Kind) bool {
	if len(rf.kinds) == 0 {
		return true
	}
	for _, s := range rf.kinds {
		if kind, err := finding.ParseKind(s); err == nil && kind == k {
			return true
		}
	}
	return false
}

// engineFlags are the flags that shape the engine.
type engineFlags struct {
	ruleFlags
	minConfidence string
	showSecrets   bool
	state         string

	// hasher is the installation's keyed hasher, set by build.
	hasher *keyed.Hasher
	// rulesSum names the rules build compiles (for the scan cache's
	// digest), taken before the engine may change its copies of them.
	rulesSum string
}

func (ef *engineFlags) build() (*detect.Engine, error) {
	rs, opts, err := ef.prepare()
	if err != nil {
		return nil, err
	}
	return detect.Compile(rs, opts...)
}

// prepare does what build does before compiling: the rules, the
// installation's hasher (ef.hasher) and the engine's options. A scan
// compiles meanwhile it opens its inventory and cache.
func (ef *engineFlags) prepare() ([]rules.Rule, []detect.Option, error) {
	rs, err := ef.load()
	if err != nil {
		return nil, nil, err
	}
	ef.rulesSum = rulesSum(rs)
	if len(rs) == 0 && (len(ef.kinds) == 0 || !ef.wantsKind(finding.Registered)) {
		return nil, nil, fmt.Errorf("no rules selected")
	}
	minConf, err := finding.ParseConfidence(ef.minConfidence)
	if err != nil {
		return nil, nil, fmt.Errorf("--min-confidence: %w", err)
	}
	dir, err := keyed.StateDir(ef.state)
	if err != nil {
		return nil, nil, err
	}
	key, err := keyed.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("installation key: %w", err)
	}
	ef.hasher = keyed.New(key)
	// The rules' analysis is kept beside the scan caches: reading it back
	// saves most of the second that compiling the rules takes.
	return rs, []detect.Option{detect.WithHasher(ef.hasher), detect.WithMinConfidence(minConf), detect.WithShowSecrets(ef.showSecrets),
		detect.WithAnalysisCache(filepath.Join(dir, "cache"))}, nil
}

// rulesSum names the rules in id order (rules.Digest).
func rulesSum(rs []rules.Rule) string {
	sorted := make([]*rules.Rule, len(rs))
	for i := range rs {
		sorted[i] = &rs[i]
	}
	slices.SortFunc(sorted, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return rules.Digest(sorted)
}
