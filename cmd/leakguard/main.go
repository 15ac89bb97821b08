// Command leakguard finds credentials and personal data in files and
// streams. See 'leakguard --help'.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
