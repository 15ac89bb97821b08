package detect_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
)

// goSource returns up to limit bytes of the Go standard library's source, a
// corpus of real code present wherever the tests can run.
func goSource(b testing.TB, limit int) []byte {
	b.Helper()
	var buf bytes.Buffer
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skip("no go command to find the standard library's source")
	}
	root := filepath.Join(strings.TrimSpace(string(out)), "src")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || buf.Len() >= limit {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			if data, err := os.ReadFile(p); err == nil {
				buf.Write(data)
			}
		}
		return nil
	})
	if buf.Len() == 0 {
		b.Skip("no Go source tree found")
	}
	return buf.Bytes()
}

// BenchmarkEngineGoSource measures the engine alone, every built-in rule
// enabled, over 16 MiB of real Go code (one worker).
func BenchmarkEngineGoSource(b *testing.B) {
	data := goSource(b, 16<<20)
	e := builtinEngine(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		_, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "corpus.go"}, R: bytes.NewReader(data)}, func(finding.Finding) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEngineGoSourceParallel runs the same scan on every available
// core at once, to see how the engine scales across workers.
func BenchmarkEngineGoSourceParallel(b *testing.B) {
	data := goSource(b, 4<<20)
	e := builtinEngine(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "corpus.go"}, R: bytes.NewReader(data)}, func(finding.Finding) error { return nil })
			if err != nil {
				b.Error(err)
			}
		}
	})
}
