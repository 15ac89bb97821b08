package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/invreport"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/report"
	"github.com/leakguard/leakguard/internal/store"
)

// reportFormats are the formats of 'leakguard report'.
var reportFormats = []string{"html", "json", "jsonl", "csv", "sarif", "ocsf"}

// filterFlags are the finding filters of the inventory commands.
type filterFlags struct {
	statuses, kinds, entities, rules, severities []string
	path, minConf, since                         string
	sinceScan                                    int64
}

func (ff *filterFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringSliceVar(&ff.statuses, "status", nil, "only these statuses: open, acknowledged, false-positive, accepted-risk, resolved")
	f.StringSliceVar(&ff.kinds, "kind", nil, "only these kinds: secret, pii, marking, registered")
	f.StringSliceVar(&ff.entities, "entity", nil, "only these entities (EMAIL_ADDRESS, CREDIT_CARD, RECORD, …)")
	f.StringSliceVar(&ff.rules, "rule", nil, "only these rule ids")
	f.StringSliceVar(&ff.severities, "severity", nil, "only these severities: critical, high, medium, low, info")
	f.StringVar(&ff.path, "path", "", "only findings with a location whose path starts with this (end it with / for a folder); places elsewhere are not counted")
	f.StringVar(&ff.minConf, "min-confidence", "", "only findings at least this sure: low, medium or high")
	f.StringVar(&ff.since, "since", "", "only findings first seen since this time: 2026-03-01, an RFC 3339 time, or an age such as 36h or 7d")
	f.Int64Var(&ff.sinceScan, "since-scan", 0, "only findings first seen by this scan or a later one")
}

func (ff *filterFlags) filter(now time.Time) (store.Filter, error) {
	flt := store.Filter{Entity: ff.entities, Rule: ff.rules, PathPrefix: ff.path, SinceScan: ff.sinceScan}
	for _, s := range ff.statuses {
		st, err := store.ParseStatus(s)
		if err != nil {
			return flt, err
		}
		flt.Status = append(flt.Status, st)
	}
	for _, k := range ff.kinds {
		kind, err := finding.ParseKind(k)
		if err != nil {
			return flt, err
		}
		flt.Kind = append(flt.Kind, kind)
	}
	for _, s := range ff.severities {
		sev, err := finding.ParseSeverity(s)
		if err != nil {
			return flt, err
		}
		flt.Severity = append(flt.Severity, sev)
	}
	if ff.minConf != "" {
		c, err := finding.ParseConfidence(ff.minConf)
		if err != nil {
			return flt, fmt.Errorf("--min-confidence: %w", err)
		}
		flt.MinConfidence = c
	}
	if ff.since != "" {
		t, err := parseSince(ff.since, now)
		if err != nil {
			return flt, err
		}
		flt.Since = t
	}
	return flt, nil
}

func newReportCmd(ev *env) *cobra.Command {
	var inv inventoryFlags
	var ff filterFlags
	var format, output string
	var maxResults int
	var opts invreport.Options
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a report over the inventory: HTML for people; JSON, CSV, SARIF or OCSF for tools",
		Long: `report writes what the inventory holds now, with the same filters as 'findings list'.

  html   one self-contained page for people (no network, charts drawn inline):
         totals by severity, status, kind, entity and rule; the most exposed
         folders; what the last scan found new; the trend over scans (new,
         resolved, open); the people exposed in registered record sets; and
         the table of findings, most severe first (the first --table of them).
  ocsf   OCSF 1.4.0 Data Security Findings (class 2006), one JSON object a
         line (JSON Lines), for a SIEM or a security data lake.
  json, jsonl, csv, sarif
         the scan report formats, one entry per finding at its first place.

Values are masked in every format. json, jsonl, csv and ocsf stream, whatever the
number of findings. sarif holds the --max-results most severe findings (25,000 by
default: GitHub code scanning rejects a run with more). The file is written whole
or not at all.`,
		Example: `  leakguard report --output report.html
  leakguard report --status open,acknowledged --path /srv/share/hr/ --output hr.html
  leakguard report --format ocsf --since 7d --output findings.ocsf.jsonl
  leakguard report --format csv --kind pii --db postgres://leakguard@db/leakguard --output pii.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, reportFormats...); err != nil {
				return err
			}
			flt, err := ff.filter(time.Now())
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := inv.open(ctx, false)
			if err != nil {
				return err
			}
			defer st.Close()
			start := time.Now()
			opts.Version, opts.Inventory = Version, inventoryName(&inv)
			var n int64
			err = writeOutput(output, ev.stdout, func(w io.Writer) error {
				var err error
				n, err = writeReport(ctx, w, st, flt, format, opts, maxResults)
				return err
			})
			if err != nil {
				return err
			}
			if format == "sarif" && maxResults > 0 && n > int64(maxResults) {
				fmt.Fprintf(ev.stderr, "leakguard: the sarif report holds the %d most severe of %d findings (--max-results)\n", maxResults, n)
			}
			if output != "" && output != "-" {
				fmt.Fprintf(ev.stderr, "leakguard: %s report of %d findings written to %s in %s\n", format, n, output, time.Since(start).Round(time.Millisecond))
			}
			return nil
		},
	}
	inv.register(cmd)
	ff.register(cmd)
	f := cmd.Flags()
	f.StringVar(&format, "format", "html", "report format: html, json, jsonl, csv, sarif or ocsf")
	f.StringVarP(&output, "output", "o", "", "write the report to this file (default standard output)")
	f.IntVar(&opts.Table, "table", invreport.DefaultTable, "html: most findings in the table")
	f.IntVar(&opts.Folders, "folders", 15, "html: most exposed folders shown")
	f.IntVar(&opts.Scans, "scans", 30, "html: latest scans the trend spans")
	f.IntVar(&maxResults, "max-results", sarifMax, "sarif: most findings, the most severe first; 0 for all")
	return cmd
}

// sarifMax is the most results GitHub code scanning accepts in a run.
const sarifMax = 25000

// writeReport writes one report and returns the number of findings that
// pass the filter.
func writeReport(ctx context.Context, w io.Writer, st store.Store, flt store.Filter, format string, opts invreport.Options, maxResults int) (int64, error) {
	switch format {
	case "html":
		r, err := invreport.Build(ctx, st, flt, opts)
		if err != nil {
			return 0, err
		}
		return r.Findings, invreport.WriteHTML(w, r)
	case "ocsf":
		n, err := invreport.WriteOCSF(ctx, w, st, flt, invreport.OCSFOptions{Version: Version})
		return int64(n), err
	}
	rw, err := report.New(format)
	if err != nil {
		return 0, err
	}
	if format == "sarif" && maxResults > 0 {
		// SARIF is one document built in memory: bounded by the findings
		// it holds, which are the most severe.
		n, err := st.CountFindings(ctx, flt)
		if err != nil {
			return 0, err
		}
		top, err := invreport.MostSevere(ctx, st, flt, maxResults)
		if err != nil {
			return 0, err
		}
		res := &report.Result{Tool: report.ToolInfo{Name: "leakguard", Version: Version}, Stats: finding.Stats{Findings: n}}
		for _, f := range top {
			res.Findings = append(res.Findings, invreport.ToFinding(f))
		}
		return n, rw.Write(w, res)
	}
	l, err := invreport.NewList(ctx, st, flt)
	if err != nil {
		return 0, err
	}
	res := &report.Result{List: l, Tool: report.ToolInfo{Name: "leakguard", Version: Version}, Stats: finding.Stats{Findings: int64(l.Len())}}
	if err := rw.Write(w, res); err != nil {
		return 0, err
	}
	return int64(l.Len()), l.Err()
}

// inventoryName names the inventory as open finds it, without a password.
func inventoryName(f *inventoryFlags) string {
	target := f.db
	if target == "" {
		target = os.Getenv(store.EnvDB)
	}
	if target == "" {
		dir, err := keyed.StateDir(f.state)
		if err != nil {
			return ""
		}
		target = "sqlite:" + filepath.Join(dir, store.DBFile)
	}
	return store.ParseTarget(target).String()
}
