package accuracy

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
)

// LeakyRepoDir is where leaky-repo sits under the shared data directory.
const LeakyRepoDir = "secrets/leaky-repo"

// Gitleaks' published score on leaky-repo (.leaky-meta/benchmarking/GITLEAKS.md),
// counted the way benchmark.py counts, for comparison.
const (
	GitleaksFound = 127
	GitleaksFP    = 17
)

// LeakyResult scores secret findings on leaky-repo.
//
// The set's labels are counts, not places: .leaky-meta/secrets.csv gives per
// file the number of "risk" lines (credentials) and "informative" lines
// (user names, hosts), a line with several secrets counting once. So the
// most honest score the data allows is by distinct lines per file:
//
//   - Found: a file's lines with a secret finding, credited up to its
//     risk+informative total; lines beyond the total are false positives,
//     and so is every line with a finding in a file the CSV does not list
//     (README.md, LICENSE: no secrets expected).
//   - Risk lines cannot be told from informative ones, so RiskFound is an
//     upper bound (every found line taken as a risk line, up to the file's
//     risk count) and RiskFoundMin a lower bound (informative lines taken
//     first).
//
// Bench* repeat the set's own benchmark.py, which the published gitleaks
// (127 of 175, 17 false positives) and trufflehog figures come from: it
// counts findings, not lines, credits them up to the file's total, calls
// the excess false positives and ignores files the CSV does not list.
type LeakyResult struct {
	Risk, Total int // expected lines: 96 risk, 175 in all

	Found        int // lines found, of Total
	RiskFound    int // risk lines found, at most (of Risk)
	RiskFoundMin int // risk lines found, at least
	FP           int // lines beyond a file's total, and lines in unlisted files
	UnlistedFP   int // the part of FP in files the CSV does not list

	BenchFound, BenchFP int // benchmark.py's counting

	Files  []LeakyFile // every listed file, then unlisted files with findings
	Binary []string    // files skipped as binary
}

// FilesCovered counts listed files with at least one finding.
func (r *LeakyResult) FilesCovered() (covered, listed int) {
	for _, f := range r.Files {
		if f.Listed {
			listed++
			if len(f.Lines) > 0 {
				covered++
			}
		}
	}
	return covered, listed
}

// LeakyFile is one file's expected and found counts.
type LeakyFile struct {
	Path       string
	Listed     bool // in secrets.csv
	Risk, Info int
	Findings   int // secret findings
	Lines      []int
	Rules      []string
	Text       []string // the found lines, cut to 120 characters
}

// Expected is the file's risk+informative line count.
func (f LeakyFile) Expected() int { return f.Risk + f.Info }

// LeakyRepo scans leaky-repo (skipping .leaky-meta, the set's own tooling)
// and scores the secret findings as LeakyResult describes.
func LeakyRepo(ctx context.Context, dataDir string, e *detect.Engine) (*LeakyResult, error) {
	root := filepath.Join(dataDir, filepath.FromSlash(LeakyRepoDir))
	expect, order, err := readLeakyCSV(filepath.Join(root, ".leaky-meta", "secrets.csv"))
	if err != nil {
		return nil, err
	}
	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".leaky-meta" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)

	scanned := make([]LeakyFile, len(files))
	binary := make([]bool, len(files))
	err = parallel(ctx, len(files), func(ctx context.Context, i int) error {
		body, fs, err := scanFile(ctx, e, root, files[i])
		if errors.Is(err, errBinary) {
			binary[i] = true
			return nil
		}
		if err != nil {
			return err
		}
		lf := LeakyFile{Path: files[i]}
		lines := map[int]bool{}
		for _, f := range ofKind(fs, finding.Secret) {
			lf.Findings++
			lf.Rules = addRule(lf.Rules, f.Rule)
			lines[f.Location.Line] = true
		}
		idx := newLineIndex(body)
		for n := range lines {
			lf.Lines = append(lf.Lines, n)
		}
		sort.Ints(lf.Lines)
		for _, n := range lf.Lines {
			lf.Text = append(lf.Text, idx.line(n))
		}
		scanned[i] = lf
		return nil
	})
	if err != nil {
		return nil, err
	}

	r := &LeakyResult{}
	byPath := map[string]LeakyFile{}
	for i, f := range files {
		if binary[i] {
			r.Binary = append(r.Binary, f)
			continue
		}
		byPath[f] = scanned[i]
	}
	for _, p := range order {
		lf := byPath[p] // zero value when the file is missing: nothing found
		lf.Path, lf.Listed = p, true
		lf.Risk, lf.Info = expect[p][0], expect[p][1]
		r.add(lf)
	}
	for _, f := range files {
		if _, listed := expect[f]; !listed && byPath[f].Findings > 0 {
			lf := byPath[f]
			r.add(lf)
		}
	}
	return r, nil
}

// add folds one file's counts into the result.
func (r *LeakyResult) add(f LeakyFile) {
	r.Files = append(r.Files, f)
	if !f.Listed {
		r.FP += len(f.Lines)
		r.UnlistedFP += len(f.Lines)
		return
	}
	exp, n := f.Expected(), len(f.Lines)
	r.Risk += f.Risk
	r.Total += exp
	found := min(n, exp)
	r.Found += found
	r.FP += n - found
	r.RiskFound += min(n, f.Risk)
	r.RiskFoundMin += max(0, found-f.Info)
	r.BenchFound += min(f.Findings, exp)
	r.BenchFP += max(f.Findings-exp, 0)
}

// readLeakyCSV reads secrets.csv: "name,num_risk,num_informative" rows
// among comment and blank lines. It returns the counts by path and the
// paths in file order.
func readLeakyCSV(name string) (map[string][2]int, []string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	out := map[string][2]int{}
	var order []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil || len(rec) != 3 {
			return nil, nil, fmt.Errorf("%s:%d: want name,num_risk,num_informative", name, n)
		}
		risk, err1 := strconv.Atoi(strings.TrimSpace(rec[1]))
		info, err2 := strconv.Atoi(strings.TrimSpace(rec[2]))
		if err1 != nil || err2 != nil {
			return nil, nil, fmt.Errorf("%s:%d: counts are not numbers", name, n)
		}
		p := strings.TrimSpace(rec[0])
		if _, dup := out[p]; !dup {
			order = append(order, p)
		}
		out[p] = [2]int{risk, info}
	}
	return out, order, sc.Err()
}
