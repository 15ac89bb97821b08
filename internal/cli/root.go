// Package cli is leakguard's command line: it parses flags, wires sources,
// the engine, the scan pipeline and report writers together, and maps the
// outcome to exit codes (0 nothing found, 1 findings, 2 error). Main in
// cmd/leakguard only calls Run.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes, stable for CI.
const (
	ExitClean    = 0 // ran, nothing found
	ExitFindings = 1 // ran, found something
	ExitError    = 2 // could not run
)

// Version is set at build time with -ldflags "-X …/cli.Version=…".
var Version = "dev"

// env is what a command reads and writes besides its flags, so tests can
// run the CLI in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stderrTTY enables the progress display.
	stderrTTY bool
}

// exitError carries an exit code out of a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Run executes the command line args and returns the exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ev := &env{stdin: stdin, stdout: stdout, stderr: stderr, stderrTTY: isTerminal(stderr)}
	root := newRoot(ev)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return ExitClean
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintln(stderr, "leakguard:", err)
		return ExitError
	}
}

func newRoot(ev *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "leakguard",
		Short: "Find credentials and personal data where they should not be",
		Long: `leakguard finds credentials (keys, tokens, passwords, private keys) and personal data
(card numbers, IBANs, national identifiers, e-mail addresses, phone numbers…) in files,
with a confidence for each finding, and never prints a value in clear unless asked.

Start with:
  leakguard scan DIR                 scan a folder, print findings for a person
  leakguard scan --format sarif DIR  the same for GitHub code scanning
  leakguard rules list               what it looks for`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.AddCommand(newScanCmd(ev), newRulesCmd(ev), newBaselineCmd(ev), newRegisterCmd(ev), newRegisteredCmd(ev), newTraceCmd(ev), newServeCmd(ev), newFindingsCmd(ev), newScansCmd(ev), newTokensCmd(ev), newReportCmd(ev), newEventsCmd(ev))
	return root
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
