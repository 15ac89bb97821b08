package media

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/keyed"
)

func testKeys(t testing.TB) Keys {
	t.Helper()
	k, err := NewKeys(keyed.New([]byte("a fixed test key, not a real one")))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// fakeMedia returns n bytes that look like a media file: a fixed header
// (the same for every file of the kind), then seeded pseudo-random frames
// separated by runs of zeros.
func fakeMedia(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 99))
	b := make([]byte, 0, n)
	b = append(b, []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41")...)
	for len(b) < n {
		frame := make([]byte, 20000+rng.IntN(200000))
		for i := range frame {
			frame[i] = byte(rng.Uint32())
		}
		b = append(b, frame...)
		b = append(b, make([]byte, rng.IntN(40000))...)
	}
	return b[:n]
}

type fixture struct {
	keys  Keys
	dir   string
	film  []byte
	small []byte
	ix    *Index
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{keys: testKeys(t), dir: t.TempDir(), film: fakeMedia(1, 24<<20), small: fakeMedia(2, 5000)}
	s, err := OpenSet(f.dir, "screeners", f.keys, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"films/interview.mp4": f.film, "posters/small.bin": f.small} {
		if _, err := s.Add(name, bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if f.ix, err = LoadIndex(f.dir, f.keys, DefaultParams()); err != nil {
		t.Fatal(err)
	}
	return f
}

func zipped(t testing.TB, method uint16, name string, b []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "other.txt", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(strings.Repeat("unrelated member\n", 1000)))
	if w, err = zw.CreateHeader(&zip.FileHeader{Name: name, Method: method}); err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMatchCopies(t *testing.T) {
	f := newFixture(t)
	m := f.ix.NewMatcher(MatchOptions{})
	film := f.film
	header := append([]byte("a different, longer container header"), film[4096:]...)
	embedded := append(append(fakeMedia(7, 3<<20), film...), fakeMedia(8, 2<<20)...)
	cases := []struct {
		name     string
		data     []byte
		coverage float64 // the truth
		exact    bool
	}{
		{"full copy", film, 1, true},
		{"first 60%", film[:len(film)*6/10], 0.6, false},
		{"first 30%", film[:len(film)*3/10], 0.3, false},
		{"changed header", header, 1, false},
		{"inside other data", embedded, 1, false},
		{"stored in a zip", zipped(t, zip.Store, "a.mp4", film), 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := m.Match(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Name != "films/interview.mp4" || got[0].Set != "screeners" {
				t.Fatalf("got %+v", got)
			}
			g := got[0]
			// Within 5 points of the truth (runs of zeros, left out of
			// coverage, make it differ slightly from the byte share).
			if g.Coverage < tc.coverage-0.05 || g.Coverage > tc.coverage+0.05 || g.Coverage > 1 {
				t.Errorf("coverage %.4f, truth %.2f", g.Coverage, tc.coverage)
			}
			if g.Exact != tc.exact {
				t.Errorf("exact %v", g.Exact)
			}
			t.Logf("coverage %.4f, %d of %d chunks, %d spans", g.Coverage, g.MatchedChunks, g.Chunks, len(g.Spans))
		})
	}
}

func TestSmallFileAndNegatives(t *testing.T) {
	f := newFixture(t)
	m := f.ix.NewMatcher(MatchOptions{})
	got, err := m.Match(bytes.NewReader(f.small))
	if err != nil || len(got) != 1 || got[0].Name != "posters/small.bin" || !got[0].Exact {
		t.Fatalf("small file copy: %+v %v", got, err)
	}
	for name, data := range map[string][]byte{
		"unrelated file of the same kind": fakeMedia(3, 24<<20), // same header, zero runs
		"truncated small file":            f.small[:4000],
		"empty":                           nil,
		"zeros":                           make([]byte, 4<<20),
		"deflated in a zip":               zipped(t, zip.Deflate, "a.mp4", f.film[:2<<20]), // compressed bytes are other bytes
	} {
		if got, err := m.Match(bytes.NewReader(data)); err != nil || len(got) != 0 {
			t.Errorf("%s: %+v %v", name, got, err)
		}
	}
}

func TestStream(t *testing.T) {
	f := newFixture(t)
	m := f.ix.NewMatcher(MatchOptions{})
	data := f.film[:len(f.film)/2]
	want, _ := m.Match(bytes.NewReader(data))
	s := m.Stream()
	for p := data; len(p) > 0; {
		n := min(len(p), 1000+len(p)%7777)
		if _, err := s.Write(p[:n]); err != nil {
			t.Fatal(err)
		}
		p = p[n:]
	}
	got, err := s.Close()
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) || len(got) != 1 {
		t.Fatalf("stream %+v %v, want %+v", got, err, want)
	}
}

func TestKeysDeriveBoundaries(t *testing.T) {
	a, b := testKeys(t), testKeys(t)
	if a != b {
		t.Fatal("keys from one installation key differ")
	}
	c, err := NewKeys(keyed.New([]byte("another installation's key......")))
	if err != nil {
		t.Fatal(err)
	}
	if a.pol == c.pol || a.hmac == c.hmac || !a.pol.Irreducible() || a.pol.Deg() != 53 {
		t.Fatalf("polynomials %v %v", a.pol, c.pol)
	}
	// Other polynomial, other boundaries.
	data := fakeMedia(4, 4<<20)
	cuts := func(k Keys) []int64 {
		var out []int64
		newChunkReader(k, DefaultParams()).each(bytes.NewReader(data), func(c chunk) { out = append(out, c.off) })
		return out
	}
	ca, cc := cuts(a), cuts(c)
	if fmt.Sprint(ca) == fmt.Sprint(cc) || len(ca) < 20 {
		t.Errorf("%d chunks, same boundaries under another key", len(ca))
	}
}

func TestSetPersistence(t *testing.T) {
	f := newFixture(t)
	s, err := OpenSet(f.dir, "screeners", f.keys, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if info, err := s.Add("films/interview.mp4", bytes.NewReader(f.film)); err != nil || !info.Unchanged || info.Version != 1 {
		t.Fatalf("re-registration of the same content: %+v %v", info, err)
	}
	cut := append([]byte(nil), f.film[:len(f.film)/2]...)
	if info, err := s.Add("films/interview.mp4", bytes.NewReader(cut)); err != nil || info.Version != 2 {
		t.Fatalf("new content: %+v %v", info, err)
	}
	if fs := s.Files(); len(fs) != 3 || fs[0].Chunks < 100 || fs[0].Size != int64(len(f.film)) {
		t.Fatalf("files %+v", fs)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	ix, err := LoadIndex(f.dir, f.keys, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	// The first half is all of version 2 and half of version 1: the best
	// version is 2; all versions gives both.
	got, _ := ix.NewMatcher(MatchOptions{}).Match(bytes.NewReader(cut))
	if len(got) != 1 || got[0].Version != 2 || !got[0].Exact {
		t.Errorf("best version: %+v", got)
	}
	got, _ = ix.NewMatcher(MatchOptions{AllVersions: true}).Match(bytes.NewReader(cut))
	if len(got) != 2 {
		t.Errorf("all versions: %d", len(got))
	}

	// No content in the index: no 16-byte window of the registered files.
	b, _ := os.ReadFile(setPath(f.dir, "screeners"))
	rng := rand.New(rand.NewPCG(1, 1))
	for range 2000 {
		src := [][]byte{f.film, f.small}[rng.IntN(2)]
		i := rng.IntN(len(src) - 16)
		if w := src[i : i+16]; bytes.Count(w, []byte{0}) < 4 && bytes.Contains(b, w) {
			t.Fatalf("index holds registered bytes at %d", i)
		}
	}
	if st, _ := os.Stat(setPath(f.dir, "screeners")); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	t.Logf("index file %d bytes for %d registered", len(b), 2*len(f.film)/2+len(f.film)+len(f.small))

	other, _ := NewKeys(keyed.New([]byte("another installation's key......")))
	if _, err := OpenSet(f.dir, "screeners", other, DefaultParams()); err == nil {
		t.Error("set opened with another key")
	}
	b[len(b)/2] ^= 0x40
	os.WriteFile(setPath(f.dir, "screeners"), b, 0o600)
	if _, err := LoadIndex(f.dir, f.keys, DefaultParams()); err == nil {
		t.Error("corrupt set loaded")
	}
	if names, _ := ListSets(f.dir); len(names) != 1 {
		t.Errorf("sets %v", names)
	}
	if err := RemoveSet(f.dir, "screeners"); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(f.dir, "*")); len(m) != 0 {
		t.Errorf("left %v", m)
	}
}

func FuzzDecodeSet(f *testing.F) {
	keys := testKeys(f)
	s := &Set{keys: keys, params: DefaultParams(), name: "f"}
	s.Add("a", bytes.NewReader(fakeMedia(1, 100000)))
	var buf bytes.Buffer
	format.Encode(&buf, s.encode)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) >= len(format.Magic)+4 { // fix the checksum so the parser is reached
			b = append([]byte(nil), b...)
			putCRC(b)
		}
		decodeSet(b, keys)
	})
}
