package leakgen

import (
	"strings"
	"testing"
)

func corpus() (docs, hosts []string) {
	g := NewText(3)
	for range 4 {
		docs = append(docs, strings.Join(g.Doc(2000), " "))
	}
	for range 2 {
		hosts = append(hosts, strings.Join(NewText(9).Doc(1500), " "))
	}
	return docs, hosts
}

func TestSameSeedSameLeaks(t *testing.T) {
	docs, hosts := corpus()
	a, b := New(1, 2, docs, hosts), New(1, 2, docs, hosts)
	c := New(1, 3, docs, hosts)
	differs := false
	for _, k := range []Kind{Excerpt, Reordered, Embedded} {
		s := Spec{Kind: k, Chars: 1000, Edit: 0.1}
		la, lb, lc := a.Make(s), b.Make(s), c.Make(s)
		if la.Text() != lb.Text() || la.Doc != lb.Doc || la.Host != lb.Host {
			t.Errorf("%s: same seed, different leaks", s)
		}
		differs = differs || la.Text() != lc.Text()
	}
	if !differs {
		t.Error("another seed gave the same leaks")
	}
	t5, again, t6 := NewText(5), NewText(5), NewText(6)
	if p := t5.Paragraph(); p != again.Paragraph() || p == t6.Paragraph() {
		t.Error("Text is not determined by its seed")
	}
}

func TestExcerptLengthAndEdits(t *testing.T) {
	docs, hosts := corpus()
	g := New(7, 7, docs, hosts)
	for _, n := range []int{300, 500, 5000} {
		l := g.Make(Spec{Kind: Excerpt, Chars: n})
		text := l.Text()
		if len(text) < n-1 || len(text) > n+200 {
			t.Errorf("excerpt of %d bytes is %d", n, len(text))
		}
		if !strings.Contains(docs[l.Doc], strings.Join(strings.Fields(text), " ")) {
			t.Errorf("verbatim excerpt not in document %d", l.Doc)
		}
	}
	// About the asked share of words changed.
	changed, total := 0, 0
	for range 50 {
		d := g.Pick()
		src := strings.Fields(docs[d])
		ex := strings.Fields(g.Excerpt(d, 2000, 0.2))
		// Align the excerpt on the document where most words agree, and
		// count the words that differ.
		best := -1
		for i := 0; i+len(ex) <= len(src) && best < 0; i++ {
			same := 0
			for j := range ex {
				if src[i+j] == ex[j] {
					same++
				}
			}
			if same > len(ex)/2 {
				best = i
				for j := range ex {
					total++
					if src[i+j] != ex[j] {
						changed++
					}
				}
			}
		}
		if best < 0 {
			t.Fatal("edited excerpt not aligned to its document")
		}
	}
	// Some replacements draw the same word, so slightly under 20%.
	if share := float64(changed) / float64(total); share < 0.15 || share > 0.22 {
		t.Errorf("%.3f of words changed, want about 0.2", share)
	}
}

func TestReorderedAndEmbedded(t *testing.T) {
	docs, hosts := corpus()
	g := New(4, 4, docs, hosts)
	for range 20 {
		l := g.Make(Spec{Kind: Reordered, Chars: 1000})
		if len(l.Paragraphs) < 3 {
			t.Fatalf("%d paragraphs in a reordered 1000-byte excerpt", len(l.Paragraphs))
		}
		joined := strings.Join(l.Paragraphs, " ")
		if strings.Contains(docs[l.Doc], joined) {
			t.Error("paragraphs still in order")
		}
		for _, p := range l.Paragraphs {
			if !strings.Contains(docs[l.Doc], p) {
				t.Errorf("paragraph %.40q… not from document %d", p, l.Doc)
			}
		}
	}
	l := g.Make(Spec{Kind: Embedded, Chars: 500})
	text := l.Text()
	if l.Host < 0 || !strings.Contains(text, strings.Fields(hosts[l.Host])[0]) || len(text) < len(hosts[l.Host]) {
		t.Errorf("embedded leak does not hold its host %d", l.Host)
	}
	if r := LongestRun(text, docs[l.Doc]); r < 60 {
		t.Errorf("embedded 500-byte excerpt shares only %d words with its document", r)
	}
}

func TestLongestRun(t *testing.T) {
	a := "We the People of the United States, in Order to form a more perfect Union, establish Justice."
	b := "Preamble: we, the people of the united states -- in order to form a MORE perfect union; and so on."
	if got := LongestRun(a, b); got != 15 {
		t.Errorf("LongestRun = %d, want 15", got)
	}
	if got := LongestRun("one two three four", "four three two one"); got != 0 {
		t.Errorf("no shared run of 3 words: got %d", got)
	}
}
