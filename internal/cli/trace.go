package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/fingerprint/edm"
	"github.com/leakguard/leakguard/internal/fingerprint/registered"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/trace"
)

func newTraceCmd(ev *env) *cobra.Command {
	var sf scanFlags
	cmd := &cobra.Command{
		Use:   "trace DUMP... | -",
		Short: "Say which of our registered records, documents and files a found dump holds, and where",
		Long: `trace reads a dump found outside (a folder, an archive, a paste, a mailbox; "-" reads
standard input) through every extractor and answers the questions of a breach:

  - which registered records sets it holds: how many records (people, accounts), which
    of their columns, and in which items;
  - which registered documents it holds and how much of each (coverage, all items
    together), and which registered files (whole, cut or embedded copies);
  - every other credential and piece of personal data in it, and where.

Register your data first with 'leakguard register'. The report names rows, documents and
masked values, never a registered value. Exit status: 0 when nothing was found, 1 when
something was, 2 when the trace could not run.`,
		Example: `  leakguard trace pastebin-dump.txt
  leakguard trace --format json -o trace.json /mnt/found/archive.7z
  leakguard trace --format html -o incident.html /mnt/found/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, dumps []string) error {
			return runTrace(cmd.Context(), ev, &sf, dumps)
		},
	}
	sf.registerEngine(cmd)
	f := cmd.Flags()
	f.StringVar(&sf.format, "format", "text", "text, json, or html (one self-contained page for an incident report)")
	f.StringVarP(&sf.output, "output", "o", "", "write the report to this file instead of standard output")
	f.IntVar(&sf.workers, "workers", 0, "files read at once (default: number of CPUs)")
	f.BoolVar(&sf.noProgress, "no-progress", false, "no progress display on standard error")
	sf.registerExtract(cmd)
	return cmd
}

func runTrace(ctx context.Context, ev *env, sf *scanFlags, dumps []string) error {
	if sf.format != "text" && sf.format != "json" && sf.format != "html" {
		return fmt.Errorf("--format %q: want text, json or html", sf.format)
	}
	if sf.noRegistered {
		return fmt.Errorf("--no-registered makes no sense for a trace: use 'leakguard scan'")
	}
	out, err := createOutput(sf.output, ev.stdout)
	if err != nil {
		return err
	}
	defer out.abort()
	col, _, err := collect(ctx, ev, sf, dumps)
	if err != nil {
		return err
	}
	totals, err := recordTotals(sf.state)
	if err != nil {
		return err
	}
	rep := trace.Build(dumps, col.findings.All(), col.errors, col.stats, totals)
	switch sf.format {
	case "json":
		err = trace.WriteJSON(out, rep)
	case "html":
		err = trace.WriteHTML(out, rep)
	default:
		err = trace.WriteText(out, rep)
	}
	if err == nil {
		err = out.commit()
	}
	if err != nil {
		return err
	}
	if col.findings.Len() > 0 {
		return exitError{ExitFindings}
	}
	return nil
}

// recordTotals returns the registered row count of every records set.
func recordTotals(state string) (map[string]int64, error) {
	dir, err := keyed.StateDir(state)
	if err != nil {
		return nil, err
	}
	l := registered.LayoutOf(dir)
	names, err := l.RecordSets()
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, n := range names {
		m, err := edm.ReadMeta(l.RecordsDir(n))
		if err != nil {
			return nil, fmt.Errorf("records set %s: %w", n, err)
		}
		out[n] = m.Rows
	}
	return out, nil
}
