package detect_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
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

// familyEngine compiles the built-in rules of one kind ("" for all).
func familyEngine(b testing.TB, kind finding.Kind) *detect.Engine {
	b.Helper()
	rs := rules.Builtin()
	if kind != "" {
		var keep []rules.Rule
		for _, r := range rs {
			if r.Kind == kind {
				keep = append(keep, r)
			}
		}
		rs = keep
	}
	e, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("bench key"))))
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func benchScan(b *testing.B, e *detect.Engine, path string, data []byte) {
	warmUp(b, e, path, data)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		_, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: path}, R: bytes.NewReader(data)}, func(finding.Finding) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu, len(data))
}

// warmUp scans data once, untimed: rules compile their regex on first use,
// and the benchmarks measure scanning.
func warmUp(b *testing.B, e *detect.Engine, path string, data []byte) {
	if _, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: path}, R: bytes.NewReader(data)}, func(finding.Finding) error { return nil }); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the process's CPU time so far. The machine the benchmarks run
// on is shared: wall time measures the neighbours too, CPU time less so.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the throughput per CPU second (all threads of the process,
// the garbage collector included) as the metric cpu-MB/s.
func reportCPU(b *testing.B, since time.Duration, size int) {
	if d := cpuTime() - since; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "cpu-MB/s")
	}
}

// BenchmarkEngineGoSource measures the engine alone, every built-in rule
// enabled, over 16 MiB of real Go code (one worker).
func BenchmarkEngineGoSource(b *testing.B) {
	data := goSource(b, 16<<20)
	benchScan(b, builtinEngine(b), "corpus.go", data)
}

// BenchmarkEngineGoSourceParallel runs the same scan on every available
// core at once, to see how the engine scales across workers.
func BenchmarkEngineGoSourceParallel(b *testing.B) {
	data := goSource(b, 4<<20)
	e := builtinEngine(b)
	warmUp(b, e, "corpus.go", data)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cpu := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "corpus.go"}, R: bytes.NewReader(data)}, func(finding.Finding) error { return nil })
			if err != nil {
				b.Error(err)
			}
		}
	})
	reportCPU(b, cpu, len(data))
}

var office = sync.OnceValue(func() []byte { return []byte(officeText(1, 8<<20)) })

// BenchmarkEngineFirstPass scans Go source and office text once with a
// newly compiled engine, as every run of the command line does: RE2
// compiles each rule's regex on its first use and builds its DFA's states
// as the text reaches them, work the other benchmarks leave to warmUp. A
// rule whose pattern counts lengths ({3,200}) pays here, once per process.
func BenchmarkEngineFirstPass(b *testing.B) {
	inputs := []struct {
		path string
		data []byte
	}{{"corpus.go", goSource(b, 8<<20)}, {"corpus.txt", []byte(officeText(3, 8<<20))}}
	size := 0
	for _, in := range inputs {
		size += len(in.data)
	}
	b.SetBytes(int64(size))
	var cpu time.Duration
	for range b.N {
		b.StopTimer()
		e := familyEngine(b, "")
		b.StartTimer()
		start := cpuTime()
		for _, in := range inputs {
			if _, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: in.path}, R: bytes.NewReader(in.data)}, func(finding.Finding) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "cpu-MB/s")
}

// BenchmarkEngineFamily scans Go source (as .go) and generated office text
// (as .txt, where no rule needs its context in code) with the secret rules
// alone, the PII rules alone, and all rules.
func BenchmarkEngineFamily(b *testing.B) {
	corpora := []struct {
		name, path string
		data       func() []byte
	}{
		{"go", "corpus.go", func() []byte { return goSource(b, 8<<20) }},
		{"office", "corpus.txt", office},
	}
	for _, c := range corpora {
		data := c.data()
		for _, fam := range []struct {
			name string
			kind finding.Kind
		}{{"secrets", finding.Secret}, {"pii", finding.PII}, {"all", ""}} {
			e := familyEngine(b, fam.kind)
			b.Run(c.name+"/"+fam.name, func(b *testing.B) { benchScan(b, e, c.path, data) })
		}
	}
}

// BenchmarkEngineOfficeParallel is BenchmarkEngineGoSourceParallel on the
// office text.
func BenchmarkEngineOfficeParallel(b *testing.B) {
	data := office()[:4<<20]
	e := builtinEngine(b)
	warmUp(b, e, "corpus.txt", data)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cpu := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "corpus.txt"}, R: bytes.NewReader(data)}, func(finding.Finding) error { return nil })
			if err != nil {
				b.Error(err)
			}
		}
	})
	reportCPU(b, cpu, len(data))
}

// goFiles returns the Go standard library's source files, up to limit
// bytes in all, each as its own input.
func goFiles(b testing.TB, limit int) (names []string, files [][]byte) {
	b.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skip("no go command to find the standard library's source")
	}
	total := 0
	root := filepath.Join(strings.TrimSpace(string(out)), "src")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= limit {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			if data, err := os.ReadFile(p); err == nil {
				names, files = append(names, p), append(files, data)
				total += len(data)
			}
		}
		return nil
	})
	return names, files
}

// BenchmarkEngineGoFiles scans the standard library file by file, as a
// scan of a tree does: the cost per file (rule selection, buffers) counts.
func BenchmarkEngineGoFiles(b *testing.B) {
	names, files := goFiles(b, 16<<20)
	e := builtinEngine(b)
	total := 0
	for _, f := range files {
		total += len(f)
	}
	for i, f := range files {
		warmUp(b, e, names[i], f)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		for i, f := range files {
			_, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: names[i]}, R: bytes.NewReader(f)}, func(finding.Finding) error { return nil })
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, cpu, total)
}

// BenchmarkEngineCorpus scans, file by file, the tree named by the
// LEAKGUARD_BENCH_CORPUS environment variable (for example a corpus written
// by cmd/lgcorpus), from memory. Without the variable it is skipped.
func BenchmarkEngineCorpus(b *testing.B) {
	dir := os.Getenv("LEAKGUARD_BENCH_CORPUS")
	if dir == "" {
		b.Skip("LEAKGUARD_BENCH_CORPUS not set")
	}
	var names []string
	var files [][]byte
	total := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(p); err == nil {
				names, files = append(names, p), append(files, data)
				total += len(data)
			}
		}
		return nil
	})
	e := builtinEngine(b)
	for i, f := range files {
		warmUp(b, e, names[i], f)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		for i, f := range files {
			_, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: names[i]}, R: bytes.NewReader(f)}, func(finding.Finding) error { return nil })
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, cpu, total)
}

// BenchmarkPrefilter measures the one pass that finds keywords, context
// words and factors (the scan automaton), without the regexes it schedules.
func BenchmarkPrefilter(b *testing.B) {
	e := builtinEngine(b)
	for _, c := range []struct {
		name, path string
		data       []byte
	}{{"go", "corpus.go", goSource(b, 8<<20)}, {"office", "corpus.txt", office()}} {
		b.Run(c.name, func(b *testing.B) {
			e.PrefilterHits(c.path, c.data) // builds the states the text visits
			b.SetBytes(int64(len(c.data)))
			b.ResetTimer()
			cpu := cpuTime()
			for range b.N {
				e.PrefilterHits(c.path, c.data)
			}
			reportCPU(b, cpu, len(c.data))
		})
	}
}

// BenchmarkCompile measures compiling every built-in rule, the start of
// every command that scans: wall time (ns/op) and CPU time across cores.
func BenchmarkCompile(b *testing.B) {
	rs := rules.Builtin()
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		if _, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("bench key")))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N)*1e3, "cpu-ms/op")
}
