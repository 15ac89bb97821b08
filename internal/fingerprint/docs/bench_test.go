package docs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/fingerprint/docs/leakgen"
)

// benchIndex registers n generated documents of about 5,000 words (some
// 33 KB of text each).
func benchIndex(b *testing.B, n int) (*Index, []string) {
	b.Helper()
	keys := testKeys(b)
	s, err := OpenSet(b.TempDir(), "bench", keys, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	g := leakgen.NewText(11)
	var texts []string
	for i := range n {
		texts = append(texts, strings.Join(g.Doc(5000), "\n"))
		if _, err := s.Add(fmt.Sprintf("doc-%04d", i), strings.NewReader(texts[i])); err != nil {
			b.Fatal(err)
		}
	}
	ix, err := NewIndex([]*Set{s}, keys, DefaultParams(), IndexOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return ix, texts
}

// BenchmarkMatch measures matching throughput of scanned text (unrelated
// to the registered documents, the common case) with 1,000 documents
// (about 2 million fingerprints) loaded:
//
//	go test -run '^$' -bench Match -benchtime 20x ./internal/fingerprint/docs/
func BenchmarkMatch(b *testing.B) {
	ix, texts := benchIndex(b, 1000)
	st := ix.Stats()
	b.Logf("%d documents, %d fingerprints", st.Documents, st.Fingerprints)
	b.Run("unrelated", func(b *testing.B) {
		benchMatch(b, ix, []byte(strings.Join(leakgen.NewText(12).Doc(200000), "\n"))) // about 1.3 MB
	})
	b.Run("registered", func(b *testing.B) {
		// 40 registered documents, edited, in one item: every passage hits.
		g := leakgen.NewText(14)
		var parts []string
		for _, t := range texts[:40] {
			parts = append(parts, g.EditWords(t, 0.05))
		}
		benchMatch(b, ix, []byte(strings.Join(parts, "\n")))
	})
}

func benchMatch(b *testing.B, ix *Index, text []byte) {
	m := ix.NewMatcher(MatchOptions{})
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		for p := text; len(p) > 0; {
			n := min(len(p), 64<<10)
			m.Write(p[:n])
			p = p[n:]
		}
		m.End()
	}
}

// BenchmarkRegister measures fingerprinting for registration.
func BenchmarkRegister(b *testing.B) {
	keys := testKeys(b)
	text := strings.Join(leakgen.NewText(13).Doc(200000), "\n")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, _, err := fingerprint(keys, DefaultParams(), strings.NewReader(text)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchSOTU measures throughput on real prose: 204 State of the
// Union addresses registered, the 29 held back scanned (they share many
// stock phrases, and some quote registered ones). Needs ../shared/data.
func BenchmarkMatchSOTU(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "text-reuse", "sotu")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		b.Skip("no corpus at " + dir)
	}
	slices.Sort(files)
	keys := testKeys(b)
	s, err := OpenSet(b.TempDir(), "sotu", keys, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	var held [][]byte
	var size int64
	for i, f := range files {
		t, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if i%8 == 3 {
			held = append(held, t)
			size += int64(len(t))
		} else if _, err := s.Add(filepath.Base(f), bytes.NewReader(t)); err != nil {
			b.Fatal(err)
		}
	}
	ix, err := NewIndex([]*Set{s}, keys, DefaultParams(), IndexOptions{})
	if err != nil {
		b.Fatal(err)
	}
	m := ix.NewMatcher(MatchOptions{})
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range held {
			m.Write(t)
			m.End()
		}
	}
}

// BenchmarkLoadIndex measures loading a saved set of 1,000 documents
// (about 2 million fingerprints) into a ready index.
func BenchmarkLoadIndex(b *testing.B) {
	keys, dir := testKeys(b), b.TempDir()
	s, err := OpenSet(dir, "bench", keys, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	g := leakgen.NewText(11)
	for i := range 1000 {
		s.Add(fmt.Sprintf("doc-%04d", i), strings.NewReader(strings.Join(g.Doc(5000), "\n")))
	}
	if err := s.Save(); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(setPath(dir, "bench"))
	b.Logf("set file %.1f MB", float64(st.Size())/1e6)
	for b.Loop() {
		if _, err := LoadIndex(dir, keys, DefaultParams(), IndexOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
