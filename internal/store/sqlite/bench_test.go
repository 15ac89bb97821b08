package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/sqlite"
	"github.com/leakguard/leakguard/internal/store/storetest"
)

// BenchmarkWrite records a first scan of 200,000 findings (or
// $LEAKGUARD_BENCH_FINDINGS) over a tenth as many items into a new
// inventory through a Recorder, finish included: the write path a first
// scan of a large share is bound by. Compare runs with benchstat;
// findings/s is the number to quote, cpu-s/op the steadier one on a shared
// machine.
func BenchmarkWrite(b *testing.B) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("LEAKGUARD_BENCH_FINDINGS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	var total, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), store.DBFile))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0, c0 := time.Now(), cpuTime()
		out, _, err := storetest.FillScale(ctx, st, n)
		total += time.Since(t0)
		cpu += cpuTime() - c0
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if out.New != int64(n) {
			b.Fatalf("%d new findings, want %d", out.New, n)
		}
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "findings/s")
	// The machine is shared: CPU time is steadier than wall time.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the user and system time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
