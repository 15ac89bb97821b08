package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/baseline"
	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/report"
	"github.com/leakguard/leakguard/internal/scan"
	"github.com/leakguard/leakguard/internal/source"
	fssource "github.com/leakguard/leakguard/internal/source/fs"
	"github.com/leakguard/leakguard/internal/store"
)

type scanFlags struct {
	engineFlags
	format, output string
	baseline       string
	workers        int
	exclude        []string
	followSymlinks bool
	noProgress     bool
	cache          string
	noExtract      bool
	maxDepth       int
	maxExpanded    string
	itemTimeout    time.Duration
	noRegistered   bool
	// Inventory: record unless noStore; record is set by the commands
	// that do (scan), not by those that only read (baseline, trace).
	record    bool
	noStore   bool
	db        string
	full      bool
	autoCache bool   // cache is the inventory's own, not the user's
	inventory string // identity of the inventory recorded into (store.Store.Instance)
}

func newScanCmd(ev *env) *cobra.Command {
	var sf scanFlags
	cmd := &cobra.Command{
		Use:   "scan PATH... | -",
		Short: "Scan files, folders or standard input for credentials and personal data",
		Long: `scan walks each PATH (a file or a folder, recursively; "-" reads standard input), reads
every text file (UTF-8, UTF-16 with a byte order mark, or Latin-1), and reports each
credential and piece of personal data with a confidence (low, medium, high), masked.

Files and folders listed in .leakguardignore files (gitignore syntax, at any level) and
matching --exclude are not read; .git folders are skipped; symlinks are not followed
unless --follow-symlinks (loops are detected). Binary files are skipped and counted.
A line containing "leakguard:allow" is never reported.

Exit status: 0 when nothing was found, 1 when something was found, 2 when the scan could
not run. Files that cannot be read are listed as item errors; they do not change the
exit status.`,
		Example: `  leakguard scan .
  leakguard scan --format sarif --output leakguard.sarif src/
  leakguard scan --kind pii --min-confidence medium /srv/share
  cat dump.txt | leakguard scan --format jsonl -
  leakguard baseline create --output .leakguard-baseline.json . && leakguard scan --baseline .leakguard-baseline.json .`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			return runScan(cmd.Context(), ev, &sf, paths)
		},
	}
	sf.registerEngine(cmd)
	f := cmd.Flags()
	f.StringVar(&sf.format, "format", "text", "output format: "+strings.Join(report.Formats(), ", "))
	f.StringVarP(&sf.output, "output", "o", "", "write the report to this file instead of standard output")
	f.StringVar(&sf.baseline, "baseline", "", "report only findings not in this baseline file (see 'leakguard baseline create')")
	f.IntVar(&sf.workers, "workers", 0, "files scanned at once, a long one spread over those free (default: number of CPUs)")
	f.StringArrayVar(&sf.exclude, "exclude", nil, "skip paths matching this gitignore-style pattern (repeatable)")
	f.BoolVar(&sf.followSymlinks, "follow-symlinks", false, "follow symbolic links (loops are detected)")
	f.BoolVar(&sf.noProgress, "no-progress", false, "no progress display on standard error")
	f.StringVar(&sf.cache, "cache", "", "remember results in this file and skip files unchanged since (size and modification time) on the next scan")
	f.BoolVar(&sf.noStore, "no-store", false, "do not record the scan in the inventory (see 'leakguard findings')")
	f.StringVar(&sf.db, "db", "", "inventory to record into: a postgres:// URL or an SQLite file (default $"+store.EnvDB+", else inventory.db in the state directory)")
	f.BoolVar(&sf.full, "full", false, "read every file, even those unchanged since the last scan of the same paths")
	sf.registerExtract(cmd)
	sf.record = true
	return cmd
}

// registerExtract adds the flags that shape extraction; baseline creation
// shares them so that a baseline sees what a scan sees.
func (sf *scanFlags) registerExtract(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVar(&sf.noExtract, "no-extract", false, "do not look inside archives, documents or mail: scan every file as the text or binary it is")
	f.IntVar(&sf.maxDepth, "max-depth", extract.DefaultLimits.MaxDepth, "deepest nesting of containers opened (a zip in a tar in a mail is 3)")
	f.StringVar(&sf.maxExpanded, "max-expanded", "1GiB", "most bytes expanded from the containers of one file (e.g. 500MiB, 2GiB)")
	f.DurationVar(&sf.itemTimeout, "item-timeout", extract.DefaultLimits.Timeout, "longest time spent on one file; the rest of it is reported as not scanned")
	f.BoolVar(&sf.noRegistered, "no-registered", false, "do not look for the registered records, documents and files (see 'leakguard register')")
}

func (ef *engineFlags) registerEngine(cmd *cobra.Command) {
	ef.register(cmd)
	f := cmd.Flags()
	f.StringVar(&ef.minConfidence, "min-confidence", "low", "report only findings at least this sure: low, medium or high")
	f.BoolVar(&ef.showSecrets, "show-secrets", false, "put the plaintext value in the report (off by default; never in SARIF)")
	f.StringVar(&ef.state, "state", "", "state directory holding the installation key (default $LEAKGUARD_HOME or ~/.local/share/leakguard)")
}

// sources builds the source for the command's paths.
func sources(ev *env, paths []string, sf *scanFlags) (source.Source, error) {
	if slices.Contains(paths, "-") {
		if len(paths) > 1 {
			return nil, fmt.Errorf(`"-" (standard input) cannot be combined with other paths`)
		}
		return fssource.NewStdin(ev.stdin), nil
	}
	// One missing path among several is an item error and the scan goes on;
	// when none exists there is nothing to scan, and saying "clean" would
	// let a typo pass a CI gate.
	var firstErr error
	for _, p := range paths {
		_, err := os.Lstat(p)
		if err == nil {
			firstErr = nil
			break
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return fssource.New(paths, fssource.Options{
		Exclude:        sf.exclude,
		FollowSymlinks: sf.followSymlinks,
		Workers:        sf.workers,
	}), nil
}

// collector is the CLI's sink: it keeps findings and errors for a report
// written at the end, in a deterministic order, and applies the baseline.
type collector struct {
	base     baseline.Set
	findings *compactFindings
	errors   []finding.ItemError
	stats    finding.Stats
}

func (c *collector) Finding(_ context.Context, f finding.Finding) error {
	if c.base != nil && c.base.Contains(f) {
		finding.Count(&c.stats.Suppressed, "baseline", 1)
		return nil
	}
	c.findings.Add(f)
	return nil
}

func (c *collector) ItemError(_ context.Context, e finding.ItemError) error {
	c.errors = append(c.errors, e)
	return nil
}

func (c *collector) Close(_ context.Context, s finding.Stats) error {
	s.Suppressed = mergeCounts(s.Suppressed, c.stats.Suppressed)
	s.Findings = int64(c.findings.Len())
	c.stats = s
	c.findings.Sort()
	slices.SortFunc(c.errors, func(a, b finding.ItemError) int { return strings.Compare(a.Location.Where(), b.Location.Where()) })
	return nil
}

func mergeCounts(a, b map[string]int64) map[string]int64 {
	for k, v := range b {
		finding.Count(&a, k, v)
	}
	return a
}

// collect runs a whole scan into a collector, its inventory settled and
// its cache saved.
func collect(ctx context.Context, ev *env, sf *scanFlags, paths []string) (*collector, *detect.Engine, error) {
	col, e, settle, err := collectAsync(ctx, ev, sf, paths)
	if err != nil {
		return nil, nil, err
	}
	return col, e, settle()
}

// collectAsync runs a whole scan into a collector and leaves the rest to
// settle, which runs meanwhile: the inventory's settlement (a second of
// SQLite on a share with two million findings) and saving the scan cache
// take place while the caller writes the report. The caller must call
// settle, which returns their error and releases what the scan held.
func collectAsync(ctx context.Context, ev *env, sf *scanFlags, paths []string) (_ *collector, _ *detect.Engine, settle func() error, err error) {
	// What the scan holds is released on return, or by settle once the
	// scan has been handed to it.
	var cleanups []func()
	handedOff := false
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	defer func() {
		if !handedOff {
			cleanup()
		}
	}()
	rs, copts, err := sf.prepare()
	if err != nil {
		return nil, nil, nil, err
	}
	// The rules compile while the inventory and the cache open: on a
	// rescan of an unchanged share those are a third of its time.
	type compiled struct {
		e   *detect.Engine
		err error
	}
	engine := make(chan compiled, 1)
	go func() {
		e, err := detect.Compile(rs, copts...)
		engine <- compiled{e, err}
	}()
	src, err := sources(ev, paths, sf)
	if err != nil {
		return nil, nil, nil, err
	}
	col := &collector{findings: newCompactFindings()}
	if sf.baseline != "" {
		if col.base, err = baseline.Load(sf.baseline, sf.hasher.Check()); err != nil {
			return nil, nil, nil, err
		}
	}
	recording := sf.record && !sf.noStore && !slices.Contains(paths, "-")
	var inv *inventoryRun
	if recording {
		// Opened before the cache, whose results are bound to this
		// inventory (sf.inventory in the cache's digest).
		if inv, err = openInventory(ctx, sf); err != nil {
			return nil, nil, nil, err
		}
		cleanups = append(cleanups, func() {
			if inv.rec == nil {
				inv.st.Close() // not begun: nothing else closes it
			}
		})
	}
	if recording && sf.cache == "" && !sf.full && !sf.showSecrets {
		// A recorded rescan of the same paths reads only what changed.
		if sf.cache, err = autoCache(sf, paths); err != nil {
			return nil, nil, nil, err
		}
		if err := os.MkdirAll(filepath.Dir(sf.cache), 0o700); err != nil {
			return nil, nil, nil, err
		}
		sf.autoCache = true
	}
	opts, release, err := sf.scanOptions(ev, paths)
	if err != nil {
		return nil, nil, nil, err
	}
	cleanups = append(cleanups, release)
	c := <-engine
	if c.err != nil {
		return nil, nil, nil, c.err
	}
	e := c.e
	var sink scan.Sink = col
	if recording {
		if err = inv.begin(ctx, sf, paths, sf.cacheDigest(opts)); err != nil {
			return nil, nil, nil, err
		}
		sink = teeSink{col, inv}
		opts.ItemDone = inv.itemDone(ctx)
	}
	sc, err := scan.New(e, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	stop := func() {}
	if ev.stderrTTY && !sf.noProgress {
		stop = startProgress(ev.stderr, sc)
	}
	stats, err := sc.Run(ctx, src, sink)
	stop()
	e.Trim() // the rest needs its rules, not its scanning state
	// What settling says is held until settle returns, so that it does
	// not land in the middle of a report written to the terminal.
	var said strings.Builder
	finish := func(err error) error {
		// The scan cache's next file is written while the inventory
		// settles, and put in place only if that succeeds: its results
		// must be recorded for a later scan to replay them.
		var written chan error
		if err == nil && opts.Cache != nil {
			written = make(chan error, 1)
			go func() { written <- opts.Cache.Write() }()
		}
		if inv != nil {
			out, id, ferr := inv.finish(context.WithoutCancel(ctx), stats, err != nil)
			if ferr != nil {
				fmt.Fprintf(&said, "leakguard: inventory: %v\n", ferr)
				if err == nil {
					err = ferr
				}
			} else {
				fmt.Fprintf(&said, "leakguard: inventory: scan %d recorded: %d findings, %d new, %d resolved, %d reopened ('leakguard findings list')\n",
					id, out.Seen, out.New, out.Resolved, out.Reopened)
			}
		}
		if written != nil {
			serr := <-written
			if serr == nil && err == nil {
				serr = opts.Cache.Commit()
			}
			if serr != nil {
				fmt.Fprintf(&said, "leakguard: scan cache not saved: %v\n", serr)
			}
		}
		return err
	}
	if err != nil {
		err = finish(err) // a failed scan writes no report
		io.WriteString(ev.stderr, said.String())
		return nil, nil, nil, err
	}
	handedOff = true
	done := make(chan error, 1)
	go func() {
		defer cleanup()
		done <- finish(nil)
	}()
	return col, e, sync.OnceValue(func() error {
		err := <-done
		io.WriteString(ev.stderr, said.String())
		return err
	}), nil
}

func runScan(ctx context.Context, ev *env, sf *scanFlags, paths []string) error {
	w, err := report.New(sf.format)
	if err != nil {
		return err
	}
	if sf.format == "text" && sf.output == "" && isTerminal(ev.stdout) {
		w = report.NewText(true)
	}
	out, err := createOutput(sf.output, ev.stdout)
	if err != nil {
		return err
	}
	defer out.abort()
	col, e, settle, err := collectAsync(ctx, ev, sf, paths)
	if err != nil {
		return err
	}
	// The inventory is settled while the report is written; a failure of
	// either is the command's, after both have ended.
	werr := writeScanReport(out, w, col, e)
	if werr == nil {
		werr = out.commit()
	}
	if err := errors.Join(werr, settle()); err != nil {
		return err
	}
	if sf.output != "" || sf.format != "text" {
		fmt.Fprintf(ev.stderr, "leakguard: %d findings, %d item errors, %d items, %s\n", col.findings.Len(), len(col.errors), col.stats.Items, humanBytes(col.stats.Bytes))
	}
	if col.findings.Len() > 0 {
		return exitError{ExitFindings}
	}
	return nil
}

// writeScanReport writes the report of a collected scan with w, to
// --output or standard output.
func writeScanReport(out io.Writer, w report.Writer, col *collector, e *detect.Engine) error {
	res := &report.Result{List: col.findings, Errors: col.errors, Stats: col.stats, Rules: ruleInfos(e, col.findings), Tool: report.ToolInfo{Version: Version}}
	pw := newPipeWriter(out)
	werr := w.Write(pw, res)
	return errors.Join(werr, pw.Close())
}

// ruleInfos returns the metadata of the rules behind findings.
func ruleInfos(e *detect.Engine, fs *compactFindings) []report.RuleInfo {
	used := fs.rules()
	var out []report.RuleInfo
	for _, r := range e.Rules() {
		if used[r.ID] {
			out = append(out, report.RuleInfo{ID: r.ID, Name: r.Name, Description: r.Description, Kind: r.Kind, Entity: r.Entity, Severity: r.Severity})
		}
	}
	return out
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
