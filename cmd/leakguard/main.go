// Command leakguard finds credentials and personal data in files and
// streams. See 'leakguard --help'.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"runtime/trace"
	"syscall"
	"time"

	"github.com/leakguard/leakguard/internal/cli"
)

// softMemoryLimit is the heap size at which the garbage collector starts
// working harder. Scans make much short-lived garbage (decoded text,
// decompressed members); left to GOGC alone the heap doubles past what is
// live: a scan of a workbook with a 200 MB sheet peaked at 225 MiB resident
// without a limit and at 199 MiB with one of 200 MiB. With 160 MiB a scan
// of the whole benchmark corpus (429 MB, 448k findings held for the
// report, 2 workers) peaks at 246-282 MiB resident, median 248, against
// 273-282 with 200, for the same CPU time (its live heap is about 100 MB;
// memory outside the Go heap and the binary are not limited).
// GOMEMLIMIT, when set, wins.
const softMemoryLimit = 160 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
		go followLiveHeap(softMemoryLimit, 250*time.Millisecond)
	}
	os.Exit(run())
}

// followLiveHeap keeps the soft memory limit at least half again the live
// heap. A fixed limit below what a run truly holds (a rescan replaying a
// million findings holds more than 200 MiB) makes the collector run back
// to back: a rescan of a 5 GiB tree took 85 s under the fixed limit and
// 47 s with none. Above floor the limit is then what GOGC=50 would give;
// below it the floor holds, which is what the limit is for. Half again,
// not twice: on the 429 MB benchmark corpus twice the live heap raised a
// plain scan's peak RSS by about 50 MiB, half again leaves it as it was (and a
// cached rescan of it takes 9.2-9.8 s instead of 13.4).
func followLiveHeap(floor int64, every time.Duration) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	limit := floor
	for range time.Tick(every) {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		live := int64(sample[0].Value.Uint64())
		want := max(floor, live+live/2)
		// Move only by a quarter or more: each change re-plans the
		// collector's pacing.
		if want > limit+limit/4 || want < limit-limit/4 {
			limit = want
			debug.SetMemoryLimit(limit)
		}
	}
}

// run is main without os.Exit, so that deferred calls run.
func run() int {
	if p := os.Getenv("LEAKGUARD_CPUPROFILE"); p != "" {
		// A CPU profile of the whole run, for performance reports:
		// go tool pprof leakguard FILE.
		if f, err := os.Create(p); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	if p := os.Getenv("LEAKGUARD_TRACE"); p != "" {
		// An execution trace, for where a run waits rather than works
		// (which goroutine holds up the end of a rescan): go tool trace FILE.
		if f, err := os.Create(p); err == nil && trace.Start(f) == nil {
			defer f.Close()
			defer trace.Stop()
		}
	}
	if p := os.Getenv("LEAKGUARD_MEMPROFILE"); p != "" {
		// What the heap holds at the end of the run (a scan's findings
		// are still held then): go tool pprof -sample_index=inuse_space.
		defer func() {
			if f, err := os.Create(p); err == nil {
				pprof.Lookup("heap").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}
