package edm

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// dataDir is the labelled data shared by the project's tests.
func dataDir(tb testing.TB) string {
	d := os.Getenv("LEAKGUARD_DATA")
	if d == "" {
		d = filepath.Join("..", "..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(d); err != nil {
		tb.Skipf("no shared data at %s", d)
	}
	return d
}

// corpus concatenates the files under dir (sorted) up to limit bytes.
func corpus(tb testing.TB, dir string, limit int) []byte {
	var paths []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	var out []byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		out = append(out, b...)
		out = append(out, '\n')
		if len(out) >= limit {
			break
		}
	}
	if len(out) == 0 {
		tb.Skipf("no files under %s", dir)
	}
	return out[:min(len(out), limit)]
}

// benchIndex opens a set of n synthetic people, registered once in the
// system's temporary directory and reused by later runs.
func benchIndex(b *testing.B, n int) *Index {
	dir := filepath.Join(os.TempDir(), "leakguard-edm-bench-"+strconv.Itoa(n))
	if m, err := ReadMeta(dir); err != nil || m.Rows != int64(n) {
		os.RemoveAll(dir)
		registerPeople(b, dir, n)
	}
	ix, err := Open(dir, testKey)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix
}

func benchMatch(b *testing.B, ix *Index, text []byte) {
	m := ix.NewMatcher(MatchOptions{}, func(Match) error { return nil })
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		m.Reset()
		for off := 0; off < len(text); off += 32 << 10 {
			m.Write(text[off:min(len(text), off+32<<10)])
		}
		m.Close()
	}
	// The machine is shared: throughput per CPU second is the steadier number.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(len(text))*float64(b.N)/cpu.Seconds()/1e6, "cpu-MB/s")
	}
}

// Prose: the State of the Union addresses.
func BenchmarkMatchProse1M(b *testing.B) {
	text := corpus(b, filepath.Join(dataDir(b), "text-reuse", "sotu"), 8<<20)
	benchMatch(b, benchIndex(b, 1_000_000), text)
}

// Source code and configuration: digit-heavy text.
func BenchmarkMatchCode1M(b *testing.B) {
	text := corpus(b, filepath.Join(dataDir(b), "secrets", "creddata-dev", "data"), 8<<20)
	benchMatch(b, benchIndex(b, 1_000_000), text)
}

// A dump of registered records, every line a match: the trace case.
func BenchmarkMatchDenseDump1M(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 4<<20; i++ {
		p := makePerson(1, i*997%1_000_000)
		if i%2 == 0 {
			sb.WriteString(p.csvLine())
		} else {
			sb.WriteString(reformatted(p, i))
		}
	}
	benchMatch(b, benchIndex(b, 1_000_000), []byte(sb.String()))
}
