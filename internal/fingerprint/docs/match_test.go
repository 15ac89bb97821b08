package docs

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/fingerprint/docs/leakgen"
)

const (
	salutation = "Dear colleagues, please find below the latest update from the board of directors."
	footer     = "This document is confidential and intended solely for the use of the individual or entity to whom it is addressed. " +
		"If you have received it in error, please notify the sender immediately and delete it. Any unauthorised copying, " +
		"disclosure or distribution of the material in this document is strictly forbidden."
)

// corpus is a registered set of generated documents that all share a
// salutation and a legal footer (boilerplate), and an index over it.
type corpus struct {
	docs [][]string // paragraphs of each document
	ix   *Index
	gen  *leakgen.Text // for unregistered text and edits
}

func registeredDoc(ps []string) string {
	return salutation + "\n\n" + strings.Join(ps, "\n\n") + "\n\n" + footer
}

func newCorpus(t testing.TB, n, words int) *corpus {
	t.Helper()
	keys := testKeys(t)
	s, err := OpenSet(t.TempDir(), "board", keys, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	c := &corpus{gen: leakgen.NewText(999)}
	g := leakgen.NewText(1)
	for i := range n {
		ps := g.Doc(words)
		c.docs = append(c.docs, ps)
		if _, err := s.Add(fmt.Sprintf("board/minutes-%02d.docx", i), strings.NewReader(registeredDoc(ps))); err != nil {
			t.Fatal(err)
		}
	}
	if c.ix, err = NewIndex([]*Set{s}, keys, DefaultParams(), IndexOptions{}); err != nil {
		t.Fatal(err)
	}
	return c
}

// match writes text in random pieces and ends the item.
func match(m *Matcher, text string, seed uint64) []DocMatch {
	rng := rand.New(rand.NewPCG(seed, 7))
	for len(text) > 0 {
		n := min(len(text), 1+rng.IntN(4096))
		m.WriteString(text[:n])
		text = text[n:]
	}
	return m.End()
}

// excerpt returns about n bytes of document d starting at word 300.
func (c *corpus) excerpt(d, n int) string {
	ws := strings.Fields(strings.Join(c.docs[d], " "))[300:]
	var b strings.Builder
	for _, w := range ws {
		if b.Len() >= n {
			break
		}
		b.WriteString(w + " ")
	}
	return b.String()
}

func reflow(text string, width int) string {
	var b strings.Builder
	col := 0
	for _, w := range strings.Fields(text) {
		if col+len(w) > width {
			b.WriteString("\r\n")
			col = 0
		} else if col > 0 {
			b.WriteString("  ")
		}
		b.WriteString(w)
		col += len(w) + 1
	}
	return b.String()
}

func rePunctuate(text string) string {
	r := strings.NewReplacer(",", "", ".", " ;", " ", "  ")
	return "« " + strings.ToUpper(r.Replace(text)) + " »"
}

func TestMatchSurvivesChanges(t *testing.T) {
	c := newCorpus(t, 40, 1500)
	m := c.ix.NewMatcher(MatchOptions{})
	ex := c.excerpt(7, 800)
	whole := c.docs[7]
	shuffled := append([]string(nil), whole...)
	rand.New(rand.NewPCG(8, 8)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	before, after := strings.Join(c.gen.Doc(3000), "\n"), strings.Join(c.gen.Doc(3000), "\n")
	cases := []struct {
		name        string
		text        string
		minCoverage float64
	}{
		{"verbatim", ex, 0.05},
		{"reflowed", reflow(ex, 38), 0.05},
		{"case and punctuation", rePunctuate(ex), 0.05},
		{"10% of words changed", c.gen.EditWords(ex, 0.10), 0.02},
		{"reflowed, re-punctuated and edited", rePunctuate(reflow(c.gen.EditWords(ex, 0.10), 50)), 0.02},
		{"inside unrelated text", before + "\n" + ex + "\n" + after, 0.05},
		{"whole, paragraphs reordered", strings.Join(shuffled, "\n\n"), 0.9},
		{"whole, 10% edited", c.gen.EditWords(registeredDoc(whole), 0.10), 0.45},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := match(m, tc.text, uint64(i))
			if len(got) == 0 {
				t.Fatal("not attributed")
			}
			top := got[0]
			if top.Path != "board/minutes-07.docx" || top.Set != "board" || top.Version != 1 {
				t.Fatalf("attributed to %s v%d first (%d results)", top.Path, top.Version, len(got))
			}
			if top.Coverage < tc.minCoverage {
				t.Errorf("coverage %.3f < %.3f", top.Coverage, tc.minCoverage)
			}
			for _, o := range got[1:] {
				t.Errorf("also attributed to %s (score %.1f)", o.Path, o.Score)
			}
			t.Logf("score %.1f matched %d/%d coverage %.3f share %.3f spans %d conf %v",
				top.Score, top.Matched, top.Fingerprints, top.Coverage, top.Share, len(top.Spans), top.Confidence)
		})
	}
}

// The spans of an excerpt inside unrelated text cover the excerpt, and
// the share is its part of the item.
func TestMatchSpansAndShare(t *testing.T) {
	c := newCorpus(t, 10, 1500)
	m := c.ix.NewMatcher(MatchOptions{})
	ex := c.excerpt(3, 2000)
	// The unrelated text after starts with a word the document lacks, so
	// the last shingle cannot continue by chance.
	before, after := strings.Join(c.gen.Doc(2000), "\n")+"\n", "\nQuux "+strings.Join(c.gen.Doc(2000), "\n")
	text := before + ex + after
	got := match(m, text, 1)
	if len(got) != 1 {
		t.Fatalf("%d results", len(got))
	}
	d := got[0]
	if len(d.Spans) != 1 {
		t.Fatalf("spans %v, want one", d.Spans)
	}
	// Only registered fingerprints are known, about 2 shingles in W+1,
	// so a span may stop up to W-1 words short of either end.
	exStart, exEnd := int64(len(before)), int64(len(before)+len(strings.TrimSpace(ex)))
	if sp := d.Spans[0]; sp.Start < exStart || sp.End > exEnd || sp.Start-exStart > 60 || exEnd-sp.End > 60 {
		t.Errorf("span [%d,%d), excerpt at [%d,%d)", sp.Start, sp.End, exStart, exEnd)
	}
	if want := float64(exEnd-exStart) / float64(len(text)); d.Share < want*0.95 || d.Share > want {
		t.Errorf("share %.4f, want %.4f", d.Share, want)
	}
	// The excerpt starts at word 300 of the paragraphs, word 300+13 of the
	// registered text (after the salutation).
	if len(d.DocRanges) != 1 || d.DocRanges[0].First < 313 || d.DocRanges[0].First >= 313+int64(DefaultParams().W) {
		t.Errorf("doc ranges %v", d.DocRanges)
	}
	if d.Confidence.String() != "high" {
		t.Errorf("confidence %v for a 2,000-byte excerpt", d.Confidence)
	}
}

func TestNoAttribution(t *testing.T) {
	c := newCorpus(t, 40, 1500)
	m := c.ix.NewMatcher(MatchOptions{})
	unrelated := strings.Join(c.gen.Doc(3000), "\n\n")
	// a sentence of 12 words of a registered document
	sentence := strings.Join(strings.Fields(c.docs[5][2])[20:32], " ")
	cases := []struct{ name, text string }{
		{"unrelated text", unrelated},
		{"one registered sentence in unrelated text", unrelated[:5000] + " " + sentence + " " + unrelated[5000:]},
		{"another document with the same boilerplate", registeredDoc(c.gen.Doc(1500))},
		{"only the boilerplate", salutation + "\n" + footer},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, d := range match(m, tc.text, uint64(i)) {
				t.Errorf("attributed to %s: score %.2f matched %d", d.Path, d.Score, d.Matched)
			}
		})
	}
}

func TestVersions(t *testing.T) {
	keys, dir := testKeys(t), t.TempDir()
	s, err := OpenSet(dir, "scripts", keys, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	g := leakgen.NewText(2)
	v1 := g.Doc(2000)
	v2 := append(append([]string(nil), v1[:len(v1)/2]...), g.Doc(800)...) // second half rewritten
	for i, text := range [][]string{v1, v1, v2} {
		info, err := s.Add("film/script.txt", strings.NewReader(strings.Join(text, "\n")))
		if err != nil {
			t.Fatal(err)
		}
		wantV, wantUnchanged := []int{1, 1, 2}[i], i == 1
		if info.Version != wantV || info.Unchanged != wantUnchanged {
			t.Fatalf("registration %d: version %d unchanged %v", i, info.Version, info.Unchanged)
		}
	}
	ix, err := NewIndex([]*Set{s}, keys, DefaultParams(), IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := ix.NewMatcher(MatchOptions{})
	for _, tc := range []struct {
		text string
		want int
	}{
		{strings.Join(v1, "\n"), 1},
		{strings.Join(v2, "\n"), 2},
		{strings.Join(v1[len(v1)-3:], "\n"), 1},
		{strings.Join(v2[len(v2)-3:], "\n"), 2},
	} {
		got := match(m, tc.text, 1)
		if len(got) != 1 || got[0].Version != tc.want {
			t.Errorf("want version %d, got %+v", tc.want, got)
		}
	}
	all := ix.NewMatcher(MatchOptions{AllVersions: true})
	if got := match(all, strings.Join(v1[:3], "\n"), 1); len(got) != 2 {
		t.Errorf("AllVersions: %d results for text both versions share", len(got))
	}
}

// A result stays as it was when the Matcher goes on to other items.
func TestResultsOutliveItem(t *testing.T) {
	c := newCorpus(t, 5, 800)
	m := c.ix.NewMatcher(MatchOptions{})
	first := match(m, c.excerpt(1, 1500), 1)
	want := fmt.Sprint(first)
	for d := range 5 {
		match(m, "filler "+c.excerpt(d, 3000), 2)
	}
	if fmt.Sprint(first) != want || len(first) != 1 {
		t.Fatalf("result changed: %v\nwas %v", first, want)
	}
}

// Writing byte by byte gives the same result as one write.
func TestMatchPiecewise(t *testing.T) {
	c := newCorpus(t, 5, 800)
	text := "Ünïcode préface. " + c.excerpt(2, 1200) + " trailing words"
	m := c.ix.NewMatcher(MatchOptions{})
	m.WriteString(text)
	want := m.End()
	for i := 0; i < len(text); i++ {
		m.WriteString(text[i : i+1])
	}
	got := m.End()
	if fmt.Sprint(got) != fmt.Sprint(want) || len(want) != 1 {
		t.Fatalf("piecewise %v\nwhole %v", got, want)
	}
}

func TestConcurrentMatchers(t *testing.T) {
	c := newCorpus(t, 10, 800)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			m := c.ix.NewMatcher(MatchOptions{})
			for d := range 10 {
				got := match(m, c.excerpt(d, 1000), uint64(w))
				if len(got) == 0 || got[0].Path != fmt.Sprintf("board/minutes-%02d.docx", d) {
					t.Errorf("worker %d doc %d: %v", w, d, got)
				}
			}
		})
	}
	wg.Wait()
}
