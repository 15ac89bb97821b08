package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/fingerprint/docs/leakgen"
)

// TestSOTUEval measures recall and false attributions on the State of the
// Union corpus for several (K, W), to choose the defaults. It is slow and
// needs ../shared/data, so it runs only when asked:
//
//	LEAKGUARD_SOTU_EVAL=1 go test -run TestSOTUEval -v ./internal/fingerprint/docs/
//
// LEAKGUARD_SOTU_PARAMS="5,4 4,4" limits the grid. Every 8th speech is held
// back (never registered); leaks are excerpts of registered speeches of a
// given length with a share of their words replaced by random words of the
// corpus, alone or embedded in a held-back speech; negatives are the
// held-back speeches themselves.
func TestSOTUEval(t *testing.T) {
	if os.Getenv("LEAKGUARD_SOTU_EVAL") == "" {
		t.Skip("set LEAKGUARD_SOTU_EVAL=1 to run")
	}
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "text-reuse", "sotu")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		t.Skip("no corpus at " + dir)
	}
	slices.Sort(files)
	var reg, held []string
	var regNames []string
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if leakgen.HeldBack(i) {
			held = append(held, string(b))
		} else {
			reg = append(reg, string(b))
			regNames = append(regNames, filepath.Base(f))
		}
	}
	grid := []Params{{3, 4}, {4, 3}, {4, 4}, {5, 3}, {5, 4}, {5, 6}, {6, 4}, {7, 4}, {5, 8}}
	if g := os.Getenv("LEAKGUARD_SOTU_PARAMS"); g != "" {
		grid = nil
		for _, kw := range strings.Fields(g) {
			var p Params
			fmt.Sscanf(kw, "%d,%d", &p.K, &p.W)
			grid = append(grid, p)
		}
	}
	spanMins := []float64{3}
	if g := os.Getenv("LEAKGUARD_SOTU_SPAN"); g != "" {
		spanMins = nil
		for _, f := range strings.Fields(g) {
			var v float64
			fmt.Sscanf(f, "%g", &v)
			spanMins = append(spanMins, v)
		}
	}
	thresholds := []float64{4, 5, 6, 8, 10}
	t.Logf("%d registered, %d held back; recall = right speech ranked first (embedded: attributed) with score >= threshold", len(reg), len(held))
	for _, p := range grid {
		for _, sm := range spanMins {
			evalParams(t, p, sm, reg, regNames, held, thresholds)
		}
	}
}

func evalParams(t *testing.T, p Params, spanMin float64, reg, names, held []string, thresholds []float64) {
	keys := testKeys(t)
	s, err := OpenSet(t.TempDir(), "sotu", keys, p)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	for i, text := range reg {
		if _, err := s.Add(names[i], strings.NewReader(text)); err != nil {
			t.Fatal(err)
		}
	}
	regTime := time.Since(t0)
	words := 0
	for _, text := range reg {
		words += len(strings.Fields(text))
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(setPath(s.dir, s.name))
	ix, err := NewIndex([]*Set{s}, keys, p, IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := ix.NewMatcher(MatchOptions{MinScore: 1e-9, MinSpanScore: spanMin})
	gen := leakgen.New(uint64(p.K), uint64(p.W), reg, held)

	// scoreOf returns the score of the right document if it ranks first.
	scoreOf := func(text string, want string, anyRank bool) float64 {
		m.WriteString(text)
		for i, d := range m.End() {
			if d.Path == want && (i == 0 || anyRank) {
				return d.Score
			}
		}
		return 0
	}
	type cat struct {
		n    int
		edit float64
		emb  bool
	}
	cats := []cat{{300, 0, false}, {300, 0.1, false}, {500, 0, false}, {500, 0.05, false}, {500, 0.1, false},
		{500, 0.2, false}, {1000, 0.1, false}, {2000, 0.2, false}, {500, 0.1, true}, {1000, 0.1, true}}
	const perCat = 300
	var lines []string
	for _, c := range cats {
		hits := make([]int, len(thresholds))
		for range perCat {
			d := gen.Pick()
			text := gen.Excerpt(d, c.n, c.edit)
			if c.emb {
				text = gen.Embed(text)
			}
			sc := scoreOf(text, names[d], c.emb)
			for i, th := range thresholds {
				if sc >= th {
					hits[i]++
				}
			}
		}
		var r []string
		for i := range thresholds {
			r = append(r, fmt.Sprintf("%.3f", float64(hits[i])/perCat))
		}
		lines = append(lines, fmt.Sprintf("  %4d chars %2.0f%% edits%-9s recall@%v = %s", c.n, c.edit*100,
			map[bool]string{true: " embedded"}[c.emb], thresholds, strings.Join(r, " ")))
	}
	// Negatives: how many held-back speeches are attributed at each
	// threshold, and the highest score any reaches. Some truly quote a
	// registered speech: the longest passage each shares with the speech
	// it is attributed to says how much.
	falses := make([]int, len(thresholds))
	worst, worstName := 0.0, ""
	byName := map[string]string{}
	for i, n := range names {
		byName[n] = reg[i]
	}
	var quotes []string
	for _, h := range held {
		m.WriteString(h)
		got := m.End()
		if len(got) == 0 {
			continue
		}
		if got[0].Score > worst {
			worst, worstName = got[0].Score, got[0].Path
		}
		for i, th := range thresholds {
			if got[0].Score >= th {
				falses[i]++
			}
		}
		if got[0].Score >= thresholds[len(thresholds)/2] {
			quotes = append(quotes, fmt.Sprintf("%s(%.0f, %d words)", got[0].Path, got[0].Score, leakgen.LongestRun(h, byName[got[0].Path])))
		}
	}
	// Throughput: scanning all held-back speeches (unregistered text).
	var size int
	t0 = time.Now()
	for range 3 {
		for _, h := range held {
			m.WriteString(h)
			m.End()
			size += len(h)
		}
	}
	mbps := float64(size) / time.Since(t0).Seconds() / 1e6
	is := ix.Stats()
	t.Logf("K=%d W=%d MinSpanScore=%g: %d fingerprints (%.1f%% of words), file %d KB, register %v, scan %.0f MB/s",
		p.K, p.W, spanMin, is.Fingerprints, 100*float64(is.Postings)/float64(words), st.Size()/1024, regTime.Round(time.Millisecond), mbps)
	for _, l := range lines {
		t.Log(l)
	}
	t.Logf("  held-back speeches attributed@%v = %v of %d (highest score %.1f, %s)", thresholds, falses, len(held), worst, worstName)
	t.Logf("  attributed at %g to (score, longest shared passage): %s", thresholds[len(thresholds)/2], strings.Join(quotes, " "))
}
