package accuracy

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// The Markdown writers render results as the tables BENCHMARKS.md carries;
// verbose adds the lists a rule author works from (misses, false hits).

// topRules is how many rules the non-verbose per-rule table shows.
const topRules = 15

// mdWriter collects the first write error so renderers stay readable.
type mdWriter struct {
	w   io.Writer
	err error
}

func (m *mdWriter) p(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format+"\n", args...)
	}
}

func f3(x float64) string { return fmt.Sprintf("%.3f", x) }

func pct(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

// code writes lines as a fenced block, so quoted text needs no escaping.
func (m *mdWriter) code(lines []string) {
	m.p("```text")
	for _, l := range lines {
		m.p("%s", strings.ReplaceAll(l, "```", "'''"))
	}
	m.p("```")
}

// WriteMarkdown renders the CredData score.
func (r *CredDataResult) WriteMarkdown(w io.Writer, verbose bool) error {
	m := &mdWriter{w: w}
	m.p("### CredData (`%s`), secret findings\n", CredDataDir)
	m.p("| metric | value |")
	m.p("|---|---|")
	m.p("| files scanned | %d (%d binary skipped) |", r.Files, r.Binary)
	m.p("| labelled rows | %d true, %d false, %d template |", r.True, r.False, r.Template)
	m.p("| TP / FP / FN | %d / %d / %d |", r.TP, r.FP, r.FN)
	m.p("| **precision** | **%s** |", f3(r.Precision()))
	m.p("| **recall** | **%s** |", f3(r.Recall()))
	m.p("| **F1** | **%s** |", f3(r.F1()))
	m.p("| template (X) rows hit | %d of %d |", r.XHits, r.Template)
	m.p("| unlabelled lines hit | %d |", r.Unlabelled)
	m.p("| strict precision (unlabelled hits as FP) | %s |", f3(r.StrictPrecision()))
	m.p("")
	rs := r.Rules
	title := "Rules by false positives + unlabelled hits"
	if !verbose && len(rs) > topRules {
		rs = rs[:topRules]
		title += fmt.Sprintf(" (top %d of %d)", topRules, len(r.Rules))
	}
	m.p("%s:\n", title)
	m.p("| rule | TP | FP | X | unlabelled |")
	m.p("|---|--:|--:|--:|--:|")
	for _, c := range rs {
		m.p("| %s | %d | %d | %d | %d |", c.Rule, c.TP, c.FP, c.X, c.Unlabelled)
	}
	m.p("")
	if verbose {
		m.lineList(fmt.Sprintf("False negatives (%d true rows without a finding)", len(r.Missed)), r.Missed)
		m.lineList(fmt.Sprintf("False positives (%d false rows with a finding)", len(r.FalseHits)), r.FalseHits)
		m.lineList(fmt.Sprintf("Unlabelled hits (%d lines)", len(r.Unreviewed)), r.Unreviewed)
	}
	return m.err
}

func (m *mdWriter) lineList(title string, xs []LineExample) {
	m.p("#### %s\n", title)
	lines := make([]string, 0, len(xs))
	for _, x := range xs {
		tag := x.Category
		if len(x.Rules) > 0 {
			tag = strings.Join(x.Rules, ",")
		}
		lines = append(lines, fmt.Sprintf("%s:%d  [%s]  %s", x.Path, x.Line, tag, x.Text))
	}
	m.code(lines)
	m.p("")
}

// WriteMarkdown renders the leaky-repo score beside gitleaks' published one.
func (r *LeakyResult) WriteMarkdown(w io.Writer, verbose bool) error {
	m := &mdWriter{w: w}
	covered, listed := r.FilesCovered()
	m.p("### leaky-repo (`%s`), secret findings\n", LeakyRepoDir)
	m.p("| metric | leakguard | gitleaks (published) |")
	m.p("|---|---|---|")
	m.p("| risk lines found (of %d) | **%d** at most, %d at least | – |", r.Risk, r.RiskFound, r.RiskFoundMin)
	m.p("| all lines found (of %d) | **%d** | – |", r.Total, r.Found)
	m.p("| false positives (lines) | **%d** (%d in files without expected secrets) | – |", r.FP, r.UnlistedFP)
	m.p("| benchmark.py count: found (of %d) / false positives | %d / %d | %d / %d |", r.Total, r.BenchFound, r.BenchFP, GitleaksFound, GitleaksFP)
	m.p("| files covered | %d of %d | 40 of 44 |", covered, listed)
	m.p("")
	if len(r.Binary) > 0 {
		m.p("Skipped as binary: %s.\n", strings.Join(r.Binary, ", "))
	}
	if !verbose {
		return m.err
	}
	m.p("| file | risk | informative | lines found | findings | rules |")
	m.p("|---|--:|--:|--:|--:|---|")
	for _, f := range r.Files {
		name := f.Path
		if !f.Listed {
			name += " (not listed)"
		}
		m.p("| %s | %d | %d | %d | %d | %s |", name, f.Risk, f.Info, len(f.Lines), f.Findings, strings.Join(f.Rules, ", "))
	}
	m.p("")
	var lines []string
	for _, f := range r.Files {
		for i, n := range f.Lines {
			lines = append(lines, fmt.Sprintf("%s:%d  %s", f.Path, n, f.Text[i]))
		}
	}
	m.p("#### Lines with a secret finding\n")
	m.code(lines)
	m.p("")
	return m.err
}

// WriteMarkdown renders one generated Presidio set's score.
func (r *PresidioResult) WriteMarkdown(w io.Writer, verbose bool) error {
	m := &mdWriter{w: w}
	m.p("### Presidio `%s/%s` (%d sentences), PII findings\n", PresidioDir, r.File, r.Texts)
	m.p("| entity | gold | found | P (overlap) | R (overlap) | **F1 (overlap)** | P (exact) | R (exact) | F1 (exact) | FP on other PII |")
	m.p("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	row := func(name string, gold, pred int, o, x PRF, other int) {
		m.p("| %s | %d | %d | %s | %s | **%s** | %s | %s | %s | %d |", name, gold, pred,
			f3(o.Precision()), f3(o.Recall()), f3(o.F1()), f3(x.Precision()), f3(x.Recall()), f3(x.F1()), other)
	}
	gold, pred, other := 0, 0, 0
	for _, e := range r.Entities {
		row(e.Entity, e.Gold, e.Pred, e.Overlap, e.Exact, e.OtherType)
		gold += e.Gold
		pred += e.Pred
		other += e.OtherType
	}
	row("all claimed types", gold, pred, r.Overlap, r.Exact, other)
	m.p("")
	m.p("Findings on any labelled PII span (\"is it PII\" precision): %d of %d (%s).\n", r.OnPII, r.Pred, f3(r.OnPIIPrecision()))
	if len(r.Unclaimed) > 0 {
		names := sortedKeys(r.Unclaimed, map[string]int(nil))
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = fmt.Sprintf("%s %d", n, r.Unclaimed[n])
		}
		m.p("Not scored (no rule claims the type): %s.\n", strings.Join(parts, ", "))
	}
	if verbose {
		ex := append([]SpanExample(nil), r.Examples...)
		sort.SliceStable(ex, func(i, j int) bool {
			if ex[i].Entity != ex[j].Entity {
				return ex[i].Entity < ex[j].Entity
			}
			return ex[i].Miss && !ex[j].Miss
		})
		lines := make([]string, 0, len(ex))
		for _, x := range ex {
			kind := "FP " + x.Rule
			if x.OnType != "" {
				kind += " (on " + x.OnType + ")"
			}
			if x.Miss {
				kind = "FN"
			}
			lines = append(lines, fmt.Sprintf("%s %s  %s", x.Entity, kind, x.Snippet))
		}
		m.p("#### Misses (FN) and false hits (FP), by overlap\n")
		m.code(lines)
		m.p("")
	}
	return m.err
}

// WriteMarkdown renders the recognizer-vector score.
func (r *VectorsResult) WriteMarkdown(w io.Writer, verbose bool) error {
	m := &mdWriter{w: w}
	m.p("### Presidio recognizer vectors (`%s`), PII findings\n", VectorsFile)
	m.p("| entity | positives found | negatives clean |")
	m.p("|---|--:|--:|")
	for _, e := range r.Entities {
		m.p("| %s | %d/%d | %d/%d |", e.Entity, e.PosFound, e.Pos, e.NegClean, e.Neg)
	}
	m.p("| **all in scope** | **%d/%d (%s)** | **%d/%d (%s)** |", r.PosFound, r.Pos, pct(r.PosFound, r.Pos), r.NegClean, r.Neg, pct(r.NegClean, r.Neg))
	m.p("")
	m.p("%d cases out of scope (an entity no rule claims).\n", r.OutOfScope)
	if verbose {
		lines := make([]string, 0, len(r.Failures))
		for _, f := range r.Failures {
			lines = append(lines, fmt.Sprintf("%s  want %d, got %d  (%s)  %s", f.Entity, f.Expected, f.Got, f.Source, f.Text))
		}
		m.p("#### Failed cases\n")
		m.code(lines)
		m.p("")
	}
	return m.err
}
