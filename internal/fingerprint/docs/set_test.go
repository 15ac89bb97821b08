package docs

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/keyed"

	"github.com/leakguard/leakguard/internal/fingerprint/docs/leakgen"
)

// The index never holds registered text: register known text, then look
// for every word of it and for every sentence in every file written.
func TestIndexHoldsNoText(t *testing.T) {
	keys, dir := testKeys(t), t.TempDir()
	s, err := OpenSet(dir, "secret", keys, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	text := "Project Nightingale merger terms: Acme acquires Globex for 4.2 billion dollars, closing in March. " +
		"Employee Jonathan Quigley, salary 183000, reports to Margaret Oyelaran. Codename BLUEHERON stays internal."
	if _, err := s.Add("deal.docx", strings.NewReader(text)); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		low := bytes.ToLower(b)
		for _, w := range strings.Fields(strings.Map(func(r rune) rune {
			if r == ',' || r == '.' || r == ':' {
				return ' '
			}
			return r
		}, text)) {
			if len(w) >= 4 && bytes.Contains(low, []byte(strings.ToLower(w))) {
				t.Errorf("%s holds %q", f, w)
			}
		}
		if st, _ := os.Stat(f); st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v", f, st.Mode().Perm())
		}
	}
}

func TestSaveLoad(t *testing.T) {
	keys, dir := testKeys(t), t.TempDir()
	s, err := OpenSet(dir, "hr", keys, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	g := leakgen.NewText(5)
	texts := []string{strings.Join(g.Doc(3000), "\n"), strings.Join(g.Doc(200), "\n")}
	for i, text := range texts {
		if _, err := s.Add([]string{"a.txt", "b/ü.pdf"}[i], strings.NewReader(text)); err != nil {
			t.Fatal(err)
		}
	}
	s.Add("a.txt", strings.NewReader(texts[1]+" more")) // version 2
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s2, err := OpenSet(dir, "hr", keys, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.docs) != 3 {
		t.Fatalf("%d docs", len(s2.docs))
	}
	for i, d := range s.docs {
		e := s2.docs[i]
		if d.path != e.path || d.version != e.version || !d.registered.Equal(e.registered) || d.words != e.words || !slices.Equal(d.fps, e.fps) {
			t.Errorf("doc %d differs after reload", i)
		}
	}
	if names, _ := ListSets(dir); len(names) != 1 || names[0] != "hr" {
		t.Errorf("ListSets %v", names)
	}
	// An index loaded from the directory matches.
	ix, err := LoadIndex(dir, keys, DefaultParams(), IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := ix.NewMatcher(MatchOptions{})
	m.WriteString(texts[0][1000:3000])
	if got := m.End(); len(got) != 1 || got[0].Path != "a.txt" || got[0].Version != 1 {
		t.Errorf("after reload: %+v", got)
	}
	if err := RemoveSet(dir, "hr"); err != nil {
		t.Fatal(err)
	}
	if names, _ := ListSets(dir); len(names) != 0 {
		t.Errorf("after remove: %v", names)
	}
}

func TestLoadRefusesOtherKeyAndCorruption(t *testing.T) {
	keys, dir := testKeys(t), t.TempDir()
	s, _ := OpenSet(dir, "x", keys, DefaultParams())
	s.Add("a", strings.NewReader(strings.Join(leakgen.NewText(1).Doc(500), " ")))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	other, _ := NewKeys(keyed.New([]byte("another installation's key......")))
	if _, err := OpenSet(dir, "x", other, DefaultParams()); err == nil || !strings.Contains(err.Error(), "another installation key") {
		t.Errorf("other key: %v", err)
	}
	if _, err := OpenSet(dir, "x", keys, Params{K: 4, W: 4}); err == nil {
		t.Error("other params accepted")
	}
	p := setPath(dir, "x")
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 1
	os.WriteFile(p, b, 0o600)
	if _, err := OpenSet(dir, "x", keys, DefaultParams()); err == nil {
		t.Error("corrupt file accepted")
	}
	for _, bad := range []string{"", "../x", "a/b", ".hidden", strings.Repeat("a", 200)} {
		if _, err := OpenSet(dir, bad, keys, DefaultParams()); err == nil {
			t.Errorf("set name %q accepted", bad)
		}
	}
	if _, err := s.Add("short", strings.NewReader("too few words")); err == nil {
		t.Error("a three-word text was registered")
	}
}

// The decoder survives any bytes: an error, never a panic or a huge
// allocation.
func FuzzDecodeSet(f *testing.F) {
	keys := testKeys(f)
	s := &Set{keys: keys, params: DefaultParams(), name: "f"}
	s.Add("a", strings.NewReader(strings.Join(leakgen.NewText(1).Doc(100), " ")))
	var buf bytes.Buffer
	format.Encode(&buf, s.encode)
	f.Add(buf.Bytes())
	f.Add([]byte(format.Magic))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Fix the checksum so the fuzzer reaches the parser.
		if len(b) >= len(format.Magic)+4 {
			b = append([]byte(nil), b...)
			b = append(b[:len(b)-4], 0, 0, 0, 0)
			c := crc32Of(b[:len(b)-4])
			copy(b[len(b)-4:], c[:])
		}
		decodeSet(b, keys)
	})
}

// The tokenizer and matcher survive any bytes.
func FuzzMatch(f *testing.F) {
	c := newCorpus(f, 3, 300)
	f.Add([]byte(c.excerpt(1, 500)), uint8(7))
	f.Add([]byte("\xff\xfe\xe2\x82 ＦＵＬＬ ﬁ 東京"), uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, split uint8) {
		m := c.ix.NewMatcher(MatchOptions{MinScore: 0.5, MinSpanScore: 0.5})
		n := int(split)%(len(b)+1) + 1
		for p := b; len(p) > 0; p = p[min(n, len(p)):] {
			m.Write(p[:min(n, len(p))])
		}
		for _, d := range m.End() {
			for _, sp := range d.Spans {
				if sp.Start < 0 || sp.End > int64(len(b)) || sp.Start >= sp.End {
					t.Fatalf("span %v of %d bytes", sp, len(b))
				}
			}
		}
	})
}

func crc32Of(b []byte) (out [4]byte) {
	binary.LittleEndian.PutUint32(out[:], crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	return out
}
