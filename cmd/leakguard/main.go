// Command leakguard finds credentials and personal data in files and
// streams. See 'leakguard --help'.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/leakguard/leakguard/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
