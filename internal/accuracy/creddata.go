package accuracy

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
)

// CredDataDir is where CredData sits under the shared data directory.
const CredDataDir = "secrets/creddata-dev"

// CredDataResult is the score of the secret findings on CredData.
//
// The unit is a labelled row of CredData's meta files (2,362 of them are
// true): a true row with a finding on one of its lines is a true positive,
// a true row without one a false negative, a false row with a finding a
// false positive. Findings on template (X) rows and on lines no row labels
// are counted apart: the first are neither right nor wrong by CredData's
// rules, the second are negatives by its README but unreviewed, so they
// enter only StrictPrecision.
type CredDataResult struct {
	Files  int // text files scanned
	Binary int // files skipped as binary

	True, False, Template int // labelled rows of each kind

	PRF            // over true and false rows
	XHits      int // template rows with a finding
	Unlabelled int // distinct lines with a finding that matches no row

	Rules []RuleCount // per rule, most false positives first

	Missed     []LineExample // true rows without a finding
	FalseHits  []LineExample // false rows with a finding
	Unreviewed []LineExample // findings on lines no row labels
}

// StrictPrecision counts findings on unlabelled lines as false positives,
// as CredData's README allows ("unlabelled lines count as negatives").
func (r *CredDataResult) StrictPrecision() float64 {
	return ratio(r.TP, r.TP+r.FP+r.Unlabelled)
}

// RuleCount is one rule's share of a score. A row hit by two rules counts
// for both, so the columns need not add up to the totals.
type RuleCount struct {
	Rule                  string
	TP, FP, X, Unlabelled int
}

// LineExample points at one line for the verbose lists. Text is the line,
// cut to 120 characters: CredData's values are public and obfuscated.
type LineExample struct {
	Path     string
	Line     int
	Rules    []string // rules whose findings hit it (none for a miss)
	Category string   // CredData's category of the row, if any
	Text     string
}

// credLabel is one row of CredData's meta: lines Line..EndLine labelled
// Truth ('T', 'F' or 'X'), the value at characters [VStart, VEnd) of the
// first line when given (-1 otherwise).
type credLabel struct {
	Line, EndLine int
	Truth         byte
	VStart, VEnd  int
	Category      string
}

// hit is where a finding lies, in the terms CredData labels: lines, and
// 0-based characters [Col, EndCol) when it starts and ends on one line.
type hit struct {
	Rule          string
	Line, EndLine int
	Col, EndCol   int
}

func hitOf(f finding.Finding) hit {
	l := f.Location
	end := max(l.EndLine, l.Line)
	return hit{Rule: f.Rule, Line: l.Line, EndLine: end, Col: l.Column - 1, EndCol: l.EndColumn - 1}
}

// fileScore is the outcome for one file: for every label the rules that
// hit it (nil: none), and the lines hit by findings that match no label.
type fileScore struct {
	labelRules [][]string
	unlabelled map[int][]string
}

// scoreCredFile matches findings to labels. A finding hits a label when
// their line ranges overlap. Where one line carries rows of different
// truth (CredData labels an OAuth header's consumer key T and its nonce F
// on the same line), the line alone cannot say which value a finding is
// about: there a one-line finding hits a one-line row only if its
// characters overlap the row's value span.
func scoreCredFile(labels []credLabel, hits []hit) fileScore {
	sc := fileScore{labelRules: make([][]string, len(labels)), unlabelled: map[int][]string{}}
	mixed := make([]bool, len(labels))
	for i, l := range labels {
		if l.Line != l.EndLine || l.VStart < 0 {
			continue
		}
		for j, o := range labels {
			if j != i && o.Truth != l.Truth && o.Line <= l.Line && l.Line <= o.EndLine {
				mixed[i] = true
				break
			}
		}
	}
	for _, h := range hits {
		matched := false
		for i, l := range labels {
			if h.EndLine < l.Line || h.Line > l.EndLine {
				continue
			}
			if mixed[i] && h.Line == h.EndLine && (h.EndCol <= l.VStart || h.Col >= l.VEnd) {
				continue
			}
			matched = true
			sc.labelRules[i] = addRule(sc.labelRules[i], h.Rule)
		}
		if !matched {
			sc.unlabelled[h.Line] = addRule(sc.unlabelled[h.Line], h.Rule)
		}
	}
	return sc
}

// addRule adds r to a sorted set of rule ids.
func addRule(set []string, r string) []string {
	i := sort.SearchStrings(set, r)
	if i < len(set) && set[i] == r {
		return set
	}
	set = append(set, "")
	copy(set[i+1:], set[i:])
	set[i] = r
	return set
}

// CredData scans every file under CredData's data/ directory with e and
// scores the secret findings against its meta labels. Paths are given to
// the engine relative to the set's root (data/<repo>/src/x.py), so file-type
// logic sees the real extensions.
func CredData(ctx context.Context, dataDir string, e *detect.Engine) (*CredDataResult, error) {
	return credData(ctx, dataDir, func(ctx context.Context, root, rel string) ([]byte, []hit, error) {
		body, fs, err := scanFile(ctx, e, root, rel)
		var hits []hit
		for _, f := range ofKind(fs, finding.Secret) {
			hits = append(hits, hitOf(f))
		}
		return body, hits, err
	})
}

// ExternalHit is a finding of another tool, by file (relative to the
// CredData root, slash-separated) and line range.
type ExternalHit struct {
	Path          string
	Rule          string
	Line, EndLine int
}

// CredDataExternal scores another tool's findings on CredData exactly as
// leakguard's are scored, so that both numbers come from one scorer.
func CredDataExternal(ctx context.Context, dataDir string, found []ExternalHit) (*CredDataResult, error) {
	byFile := map[string][]hit{}
	for _, h := range found {
		// Without columns a hit covers its whole lines: on a line that
		// holds both a true and a false value it counts for both, which
		// favours the other tool, never leakguard.
		byFile[h.Path] = append(byFile[h.Path], hit{Rule: h.Rule, Line: h.Line, EndLine: max(h.EndLine, h.Line), EndCol: math.MaxInt32})
	}
	return credData(ctx, dataDir, func(_ context.Context, root, rel string) ([]byte, []hit, error) {
		body, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		return body, byFile[rel], err
	})
}

// finder returns a file's text and the hits in it.
type finder func(ctx context.Context, root, rel string) ([]byte, []hit, error)

func credData(ctx context.Context, dataDir string, find finder) (*CredDataResult, error) {
	root := filepath.Join(dataDir, filepath.FromSlash(CredDataDir))
	labels, err := readCredMeta(filepath.Join(root, "meta"))
	if err != nil {
		return nil, err
	}
	files, err := listFiles(root, "data")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[f] = true
	}
	for p := range labels {
		if !seen[p] { // labelled but absent: its true rows are misses
			files = append(files, p)
		}
	}
	sort.Strings(files)

	type fileOut struct {
		binary, missing bool
		score           fileScore
		lines           lineIndex
	}
	outs := make([]fileOut, len(files))
	err = parallel(ctx, len(files), func(ctx context.Context, i int) error {
		body, hits, err := find(ctx, root, files[i])
		switch {
		case errors.Is(err, errBinary):
			outs[i].binary = true
		case errors.Is(err, os.ErrNotExist):
			outs[i].missing = true
		case err != nil:
			return err
		}
		outs[i].score = scoreCredFile(labels[files[i]], hits)
		outs[i].lines = newLineIndex(body)
		return nil
	})
	if err != nil {
		return nil, err
	}

	r := &CredDataResult{}
	per := map[string]*RuleCount{}
	rule := func(id string) *RuleCount {
		if per[id] == nil {
			per[id] = &RuleCount{Rule: id}
		}
		return per[id]
	}
	for i, path := range files {
		o := outs[i]
		switch {
		case o.binary:
			r.Binary++
		case !o.missing:
			r.Files++
		}
		for j, l := range labels[path] {
			rs := o.score.labelRules[j]
			ex := LineExample{Path: path, Line: l.Line, Rules: rs, Category: l.Category, Text: o.lines.line(l.Line)}
			switch l.Truth {
			case 'T':
				r.True++
				if len(rs) == 0 {
					r.FN++
					r.Missed = append(r.Missed, ex)
				} else {
					r.TP++
				}
				for _, id := range rs {
					rule(id).TP++
				}
			case 'F':
				r.False++
				if len(rs) > 0 {
					r.FP++
					r.FalseHits = append(r.FalseHits, ex)
				}
				for _, id := range rs {
					rule(id).FP++
				}
			case 'X':
				r.Template++
				if len(rs) > 0 {
					r.XHits++
				}
				for _, id := range rs {
					rule(id).X++
				}
			}
		}
		lines := make([]int, 0, len(o.score.unlabelled))
		for n := range o.score.unlabelled {
			lines = append(lines, n)
		}
		sort.Ints(lines)
		for _, n := range lines {
			rs := o.score.unlabelled[n]
			r.Unlabelled++
			r.Unreviewed = append(r.Unreviewed, LineExample{Path: path, Line: n, Rules: rs, Text: o.lines.line(n)})
			for _, id := range rs {
				rule(id).Unlabelled++
			}
		}
	}
	for _, c := range per {
		r.Rules = append(r.Rules, *c)
	}
	sort.Slice(r.Rules, func(i, j int) bool {
		a, b := r.Rules[i], r.Rules[j]
		if a.FP+a.Unlabelled != b.FP+b.Unlabelled {
			return a.FP+a.Unlabelled > b.FP+b.Unlabelled
		}
		if a.TP != b.TP {
			return a.TP > b.TP
		}
		return a.Rule < b.Rule
	})
	return r, nil
}

// listFiles returns the regular files under root/sub as slash-separated
// paths relative to root, sorted.
func listFiles(root, sub string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(filepath.Join(root, sub), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(out)
	return out, err
}

// readCredMeta reads every meta/*.csv into labels by file path (relative to
// the set root, as the FilePath column gives it).
func readCredMeta(dir string) (map[string][]credLabel, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no CredData meta files in %s", dir)
	}
	sort.Strings(names)
	out := map[string][]credLabel{}
	for _, n := range names {
		if err := readCredCSV(n, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func readCredCSV(name string, out map[string][]credLabel) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rows, err := rd.ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	for _, need := range []string{"FilePath", "LineStart", "LineEnd", "GroundTruth"} {
		if _, ok := col[need]; !ok {
			return fmt.Errorf("%s: no %s column", name, need)
		}
	}
	get := func(row []string, c string) string {
		if i, ok := col[c]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	for k, row := range rows[1:] {
		start, err1 := strconv.Atoi(get(row, "LineStart"))
		end, err2 := strconv.Atoi(get(row, "LineEnd"))
		truth := get(row, "GroundTruth")
		if err1 != nil || err2 != nil || len(truth) != 1 || !strings.Contains("TFX", truth) {
			return fmt.Errorf("%s: row %d: bad line range or ground truth", name, k+2)
		}
		l := credLabel{Line: start, EndLine: max(end, start), Truth: truth[0], VStart: -1, VEnd: -1, Category: get(row, "Category")}
		vs, err1 := strconv.Atoi(get(row, "ValueStart"))
		ve, err2 := strconv.Atoi(get(row, "ValueEnd"))
		if err1 == nil && err2 == nil && vs >= 0 && ve > vs {
			l.VStart, l.VEnd = vs, ve
		}
		p := get(row, "FilePath")
		out[p] = append(out[p], l)
	}
	return nil
}
