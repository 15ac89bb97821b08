// Command leakguard finds credentials and personal data in files and
// streams. See 'leakguard --help'.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/leakguard/leakguard/internal/cli"
)

// softMemoryLimit is the heap size at which the garbage collector starts
// working harder. Scans make much short-lived garbage (decoded text,
// decompressed members); left to GOGC alone the heap doubles past what is
// live: a scan of a workbook with a 200 MB sheet peaked at 225 MiB resident
// without a limit and at 199 MiB with this one. It is a soft limit: a scan that truly needs more still gets it.
// GOMEMLIMIT, when set, wins.
const softMemoryLimit = 200 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	os.Exit(run())
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
