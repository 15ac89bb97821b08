package bzip2

import (
	"bytes"
	stdbzip2 "compress/bzip2"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goTestdata returns the bzip2 files of the Go tree's test data: real
// streams from the reference encoder, on every machine with Go (text,
// random data, long runs, a sawtooth of every byte, tar archives).
func goTestdata(t testing.TB) map[string][]byte {
	t.Helper()
	root := goSrc(t)
	files := map[string][]byte{}
	for _, pattern := range []string{"compress/bzip2/testdata/*.bz2", "archive/tar/testdata/*.bz2", "crypto/*/testdata/*.bz2"} {
		names, _ := filepath.Glob(filepath.Join(root, pattern))
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			files[filepath.Base(name)] = data
		}
	}
	if len(files) < 8 {
		t.Fatalf("found %d bzip2 files under %s; the test needs the Go tree's test data", len(files), root)
	}
	return files
}

// goSrc returns the Go tree's source folder.
func goSrc(t testing.TB) string {
	t.Helper()
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(goroot)), "src")
}

// std decompresses data with the standard library.
func std(data []byte) ([]byte, error) {
	return io.ReadAll(stdbzip2.NewReader(bytes.NewReader(data)))
}

// readAll decompresses data reading chunk bytes at a time.
func readAll(data []byte, chunk int) ([]byte, error) {
	z := NewReader(bytes.NewReader(data))
	var out []byte
	buf := make([]byte, chunk)
	for {
		n, err := z.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// TestAgainstStandardLibrary decompresses the Go tree's bzip2 files, alone
// and two concatenated, in reads of several sizes, to exactly what
// compress/bzip2 gives.
func TestAgainstStandardLibrary(t *testing.T) {
	files := goTestdata(t)
	e := files["e.txt.bz2"]
	for name, data := range files {
		want, werr := std(data)
		for _, chunk := range []int{1, 7, 4096, 1 << 20} {
			if chunk == 1 && len(want) > 256<<10 {
				continue
			}
			got, err := readAll(data, chunk)
			if (err != nil) != (werr != nil) || !bytes.Equal(got, want) {
				t.Errorf("%s, reads of %d: %d bytes, error %v; compress/bzip2: %d bytes, error %v", name, chunk, len(got), err, len(want), werr)
			}
		}
		if werr != nil {
			continue
		}
		both := append(append([]byte{}, data...), e...)
		want, _ = std(both)
		if got, err := readAll(both, 1<<16); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s then e.txt.bz2: %d bytes, error %v; want %d", name, len(got), err, len(want))
		}
	}
}

// TestDamaged flips bits in, cuts and pads the Go tree's smaller bzip2
// files: the reader never panics, fails where compress/bzip2 fails, and
// gives its bytes where it succeeds. compress/bzip2 is laxer in one way:
// its Huffman tree decodes some codes made incomplete by a damaged code
// length (a subtree with one leaf stops early), where this reader, like
// the reference bzip2 (which says "data integrity error" for the two
// cases here), calls the block invalid. Those are counted, not failed,
// and must stay rare.
func TestDamaged(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	files := goTestdata(t)
	tried, laxer := 0, 0
	for _, name := range slices.Sorted(maps.Keys(files)) {
		data := files[name]
		if want, _ := std(data); len(data) > 100<<10 || len(want) > 2<<20 {
			continue // the test's time goes to the small ones
		}
		for round := range 36 {
			bad := append([]byte{}, data...)
			var how string
			switch round % 3 {
			case 0:
				i, bit := r.IntN(len(bad)), r.IntN(8)
				bad[i] ^= 1 << bit
				how = fmt.Sprintf("bit %d of byte %d flipped", bit, i)
			case 1:
				bad = bad[:r.IntN(len(bad))]
				how = fmt.Sprintf("cut to %d bytes", len(bad))
			case 2:
				bad = append(bad, byte(r.IntN(256)))
				how = "a byte added"
			}
			want, werr := std(bad)
			got, err := readAll(bad, 1<<16)
			tried++
			if err != nil && werr == nil && laxerThanUs(err) {
				laxer++
				continue
			}
			if (err != nil) != (werr != nil) {
				t.Errorf("%s, %s: error %v; compress/bzip2: %v", name, how, err, werr)
				continue
			}
			if err == nil && !bytes.Equal(got, want) {
				t.Errorf("%s, %s: %d bytes, compress/bzip2 %d", name, how, len(got), len(want))
			}
		}
	}
	if tried < 250 || laxer > tried/50 {
		t.Errorf("%d damaged streams tried, %d refused that compress/bzip2 took", tried, laxer)
	}
}

// laxerThanUs reports whether err is the one fault compress/bzip2 may let
// pass: a bit sequence that is no code of an incomplete Huffman code.
func laxerThanUs(err error) bool { return errors.Is(err, errBadCode) }

// TestErrors names a few faults.
func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, io.ErrUnexpectedEOF.Error()},
		{"not bzip2", []byte("PK\x03\x04"), "bad stream magic"},
		{"bad level", []byte("BZh0"), "bad block size"},
		{"header only", []byte("BZh9"), io.ErrUnexpectedEOF.Error()},
		{"bad block magic", []byte("BZh9\x00\x00\x00\x00\x00\x00\x00\x00"), "bad block magic"},
	} {
		_, err := readAll(c.data, 100)
		var target Error
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.want)) || c.want != io.ErrUnexpectedEOF.Error() && !errors.As(err, &target) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// An empty stream: the header and the end marker with a zero checksum.
func TestEmptyStream(t *testing.T) {
	data := []byte{'B', 'Z', 'h', '9', 0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0, 0, 0, 0}
	want, werr := std(data)
	got, err := readAll(data, 10)
	if err != nil || werr != nil || len(got) != 0 || len(want) != 0 {
		t.Errorf("got %q, %v; compress/bzip2 %q, %v", got, err, want, werr)
	}
}

func FuzzReader(f *testing.F) {
	for name, data := range goTestdata(f) {
		if len(data) < 4<<10 || name == "e.txt.bz2" {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, werr := std(data)
		got, err := readAll(data, 1<<15)
		if err != nil && werr == nil && laxerThanUs(err) {
			return
		}
		if (err != nil) != (werr != nil) {
			t.Fatalf("error %v; compress/bzip2: %v", err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("%d bytes; compress/bzip2 %d", len(got), len(want))
		}
	})
}

// BenchmarkDecode decompresses the Go tree's largest text streams with
// this reader and with compress/bzip2, and regexp's test data: 64 MB of
// highly repetitive text in 72 blocks.
func BenchmarkDecode(b *testing.B) {
	files := goTestdata(b)
	re2, err := os.ReadFile(filepath.Join(goSrc(b), "regexp/testdata/re2-exhaustive.txt.bz2"))
	if err != nil {
		b.Fatal(err)
	}
	files["re2-exhaustive.txt.bz2"] = re2
	for _, name := range []string{"Isaac.Newton-Opticks.txt.bz2", "e.txt.bz2", "random.data.bz2", "re2-exhaustive.txt.bz2"} {
		data := files[name]
		want, err := std(data)
		if err != nil {
			b.Fatal(err)
		}
		for _, impl := range []struct {
			name string
			new  func(io.Reader) io.Reader
		}{
			{"leakguard", func(r io.Reader) io.Reader { return NewReader(r) }},
			{"stdlib", stdbzip2.NewReader},
		} {
			b.Run(name+"/"+impl.name, func(b *testing.B) {
				b.SetBytes(int64(len(want)))
				for range b.N {
					if _, err := io.Copy(io.Discard, impl.new(bytes.NewReader(data))); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestFollowAgainstSimpleWalk holds the chained walk of the inverse
// transform to the one-row-at-a-time walk it replaces, on forward mappings
// of every cycle structure: one cycle through all rows (a normal block),
// equal cycles (a periodic block, whose first cycle repeats), a row per
// cycle (one byte repeated), and random permutations, whose cycle through
// the first row has any length.
func TestFollowAgainstSimpleWalk(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	perms := map[string]func(n int) []int{
		"one cycle": func(n int) []int {
			order, next := r.Perm(n), make([]int, n)
			for k := range n {
				next[order[k]] = order[(k+1)%n]
			}
			return next
		},
		"period 7": func(n int) []int {
			next := make([]int, n)
			for j := range n {
				next[j] = (j + n/7) % n // n is a multiple of 7 below
			}
			return next
		},
		"identity": func(n int) []int {
			next := make([]int, n)
			for j := range n {
				next[j] = j
			}
			return next
		},
		"random": func(n int) []int { return r.Perm(n) },
	}
	var w walk
	for name, perm := range perms {
		for _, n := range []int{1, 7, 511, 512, 513, 7 * 1000, 7 * 130000} {
			next := perm(n)
			tt := make([]uint32, n)
			for j := range n {
				tt[j] = uint32(next[j])<<8 | uint32(r.IntN(256))
			}
			first := uint32(r.IntN(n))
			want := make([]byte, n)
			for k, p := 0, first; k < n; k++ {
				want[k], p = byte(tt[p]), tt[p]>>8
			}
			got := make([]byte, n)
			w.follow(got, tt, first)
			if !bytes.Equal(got, want) {
				t.Errorf("%s, %d rows: the chained walk differs from the simple one", name, n)
			}
		}
	}
}

// TestPeriodicBlocks decodes streams whose blocks repeat a short text
// (written by Python's bz2, the reference library): the rows of such a
// block form a cycle per phase.
func TestPeriodicBlocks(t *testing.T) {
	data, err := os.ReadFile("testdata/periodic.bz2")
	if err != nil {
		t.Fatal(err)
	}
	want, err := std(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(data, 1<<20)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("got %d bytes (%v), the standard library %d", len(got), err, len(want))
	}
}

// BenchmarkFollow walks a random cycle through 900,000 rows, a full
// block's, whose every step misses the caches as a text block's mostly do.
func BenchmarkFollow(b *testing.B) {
	const n = 900000
	order := rand.New(rand.NewPCG(1, 2)).Perm(n)
	orig := make([]uint32, n)
	for k := range n {
		orig[order[k]] = uint32(order[(k+1)%n])<<8 | uint32(k&0x7f)
	}
	tt, out := make([]uint32, n), make([]byte, n)
	var w walk
	b.SetBytes(n)
	for range b.N {
		copy(tt, orig) // follow marks the rows it reads
		w.follow(out, tt, uint32(order[0]))
	}
}
