package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/jsonlist"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/backend"
)

// inventoryFlags select the inventory: --db (or $LEAKGUARD_DB), else the
// SQLite file in the state directory.
type inventoryFlags struct {
	state, db, format string
}

func (f *inventoryFlags) register(cmd *cobra.Command) {
	p := cmd.PersistentFlags()
	p.StringVar(&f.state, "state", "", "state directory holding the inventory (default $LEAKGUARD_HOME or ~/.local/share/leakguard)")
	p.StringVar(&f.db, "db", "", "inventory to use: a postgres:// URL or an SQLite file (default $"+store.EnvDB+", else inventory.db in the state directory)")
}

// open opens the inventory. Reading commands do not create one: an empty
// new file would only hide a wrong --state.
func (f *inventoryFlags) open(ctx context.Context, create bool) (store.Store, error) {
	return f.openWith(ctx, create, backend.Open)
}

// openWith opens the inventory as open does, with the backend's opener.
func (f *inventoryFlags) openWith(ctx context.Context, create bool, open func(context.Context, string) (store.Store, error)) (store.Store, error) {
	target := f.db
	if target == "" {
		target = os.Getenv(store.EnvDB)
	}
	if target == "" {
		dir, err := keyed.StateDir(f.state)
		if err != nil {
			return nil, err
		}
		target = "sqlite:" + filepath.Join(dir, store.DBFile)
	}
	t := store.ParseTarget(target)
	if t.Backend == store.SQLite && !create {
		if _, err := os.Stat(t.Where); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no inventory at %s: record one with 'leakguard scan', or name it with --db or --state", t.Where)
		}
	}
	return open(ctx, target)
}

func (f *inventoryFlags) formatFlag(cmd *cobra.Command, formats string) {
	cmd.Flags().StringVar(&f.format, "format", "text", "output format: "+formats)
}

func newFindingsCmd(ev *env) *cobra.Command {
	var inv inventoryFlags
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "List, show and triage the findings in the inventory",
		Long: `The inventory keeps every finding of recorded scans once per rule and value (one
secret in 300 files is one finding with 300 locations), with a stable id, a masked
preview, a keyed fingerprint and a triage status: open, acknowledged, false-positive,
accepted-risk or resolved. A scan marks resolved a finding whose every location under
its roots has gone, and reopens one that comes back; false-positive and accepted-risk
are decisions no scan changes.`,
	}
	inv.register(cmd)
	cmd.AddCommand(newFindingsListCmd(ev, &inv), newFindingsShowCmd(ev, &inv), newFindingsSetCmd(ev, &inv))
	return cmd
}

func newFindingsListCmd(ev *env, inv *inventoryFlags) *cobra.Command {
	var statuses, kinds, entities, rules []string
	var path, minConf, since, after string
	var sinceScan int64
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List findings, filtered, a page at a time",
		Example: `  leakguard findings list --status open --kind secret
  leakguard findings list --path /srv/share/hr/ --min-confidence medium --format csv --limit 0 > hr.csv
  leakguard findings list --since 7d`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			flt := store.Filter{Entity: entities, Rule: rules, PathPrefix: path, SinceScan: sinceScan}
			for _, s := range statuses {
				st, err := store.ParseStatus(s)
				if err != nil {
					return err
				}
				flt.Status = append(flt.Status, st)
			}
			for _, k := range kinds {
				kind, err := finding.ParseKind(k)
				if err != nil {
					return err
				}
				flt.Kind = append(flt.Kind, kind)
			}
			if minConf != "" {
				c, err := finding.ParseConfidence(minConf)
				if err != nil {
					return fmt.Errorf("--min-confidence: %w", err)
				}
				flt.MinConfidence = c
			}
			if since != "" {
				t, err := parseSince(since, time.Now())
				if err != nil {
					return err
				}
				flt.Since = t
			}
			if err := checkFormat(inv.format, "text", "json", "csv"); err != nil {
				return err
			}
			st, err := inv.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer st.Close()
			return listFindings(cmd.Context(), ev.stdout, st, flt, limit, after, inv.format)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&statuses, "status", nil, "only these statuses: open, acknowledged, false-positive, accepted-risk, resolved")
	f.StringSliceVar(&kinds, "kind", nil, "only these kinds: secret, pii, marking")
	f.StringSliceVar(&entities, "entity", nil, "only these entities (credential, email, iban, …)")
	f.StringSliceVar(&rules, "rule", nil, "only these rule ids")
	f.StringVar(&path, "path", "", "only findings with a location whose path starts with this (end it with / for a folder)")
	f.StringVar(&minConf, "min-confidence", "", "only findings at least this sure: low, medium or high")
	f.StringVar(&since, "since", "", "only findings first seen since this time: 2026-03-01, an RFC 3339 time, or an age such as 36h or 7d")
	f.Int64Var(&sinceScan, "since-scan", 0, "only findings first seen by this scan or a later one")
	f.IntVar(&limit, "limit", store.DefaultLimit, "findings per page; 0 lists all")
	f.StringVar(&after, "after", "", "start after this id (the cursor printed under a page)")
	inv.formatFlag(cmd, "text, json or csv")
	return cmd
}

// findingsPage is the JSON form of a listing.
type findingsPage struct {
	Findings []store.Finding `json:"findings"`
	Total    int64           `json:"total"`
	Next     string          `json:"next,omitempty"`
}

// listPage is how many findings listFindings reads at a time when it
// lists them all (a variable for the tests).
var listPage = store.MaxLimit

// listFindings writes a page of findings, or all of them (limit 0). JSON
// and CSV are written a page of the store at a time: an inventory of 417k
// findings listed whole took 1.6 GB as one document (0.7 GB as CSV rows).
func listFindings(ctx context.Context, w io.Writer, st store.Store, flt store.Filter, limit int, after, format string) error {
	total, err := st.CountFindings(ctx, flt)
	if err != nil {
		return err
	}
	p := store.Page{Limit: limit, After: after}
	if limit <= 0 {
		p.Limit = listPage
	}
	// each hands fn every page the listing holds and returns the cursor
	// of the next one.
	each := func(fn func([]store.Finding) error) (string, error) {
		for {
			list, next, err := st.Findings(ctx, flt, p)
			if err != nil {
				return "", err
			}
			if err := fn(list); err != nil {
				return "", err
			}
			if limit > 0 || next == "" {
				return next, nil
			}
			p.After = next
		}
	}
	switch format {
	case "json":
		return findingsJSON(w, total, each)
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(findingsHeader); err != nil {
			return err
		}
		if _, err := each(func(list []store.Finding) error { return findingsCSV(cw, list) }); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}
	page := findingsPage{Total: total}
	if page.Next, err = each(func(list []store.Finding) error {
		page.Findings = append(page.Findings, list...)
		return nil
	}); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tCONFIDENCE\tSEVERITY\tRULE\tVALUE\tPLACES\tWHERE")
	for _, f := range page.Findings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", f.ID, f.Status, f.Confidence, f.Severity, f.Rule, f.Masked, f.Locations, where(f.Where))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d of %d findings", len(page.Findings), page.Total)
	if page.Next != "" {
		fmt.Fprintf(w, "; next page: --after %s", page.Next)
	}
	fmt.Fprintln(w)
	return nil
}

// findingsJSON writes the findingsPage that each's pages make up, the
// bytes writeJSON would give for it whole, a finding at a time.
func findingsJSON(w io.Writer, total int64, each func(func([]store.Finding) error) (string, error)) error {
	frame := func(next string) ([]byte, error) {
		var b bytes.Buffer
		err := writeJSON(&b, findingsPage{Findings: []store.Finding{}, Total: total, Next: next})
		return b.Bytes(), err
	}
	head, err := frame("")
	if err != nil {
		return err
	}
	l := jsonlist.New(w, head, "findings")
	next, err := each(func(list []store.Finding) error {
		for i := range list {
			if err := l.AddValue(&list[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The cursor of the next page follows the list: known only now.
	tail, err := frame(next)
	if err != nil {
		return err
	}
	return l.End(tail)
}

var findingsHeader = []string{"id", "status", "rule", "name", "kind", "entity", "confidence", "severity", "masked",
	"fingerprint", "places", "path", "container", "line", "column", "first_scan", "last_scan", "first_seen", "last_seen", "status_changed"}

// findingsCSV writes a row of cw for each finding of list.
func findingsCSV(cw *csv.Writer, list []store.Finding) error {
	for _, f := range list {
		row := []string{f.ID, string(f.Status), f.Rule, f.Name, string(f.Kind), f.Entity, f.Confidence.String(), string(f.Severity),
			f.Masked, f.Fingerprint, strconv.FormatInt(f.Locations, 10), f.Where.Path, strings.Join(f.Where.Container, " > "),
			strconv.Itoa(f.Where.Line), strconv.Itoa(f.Where.Column), strconv.FormatInt(f.FirstScan, 10), strconv.FormatInt(f.LastScan, 10),
			stamp(f.FirstSeen), stamp(f.LastSeen), stamp(f.StatusChanged)}
		if err := cw.Write(defuseRow(row)); err != nil {
			return err
		}
	}
	return nil
}

// defuseRow keeps a spreadsheet from running a cell as a formula: paths and
// member names come from scanned data, which an attacker may have named.
func defuseRow(row []string) []string {
	for i, s := range row {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			row[i] = "'" + s
		}
	}
	return row
}

func newFindingsShowCmd(ev *env, inv *inventoryFlags) *cobra.Command {
	var places int
	cmd := &cobra.Command{
		Use:     "show ID",
		Short:   "Show one finding: its locations and its triage history",
		Example: "  leakguard findings show 3f9a2c",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(inv.format, "text", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := inv.open(ctx, false)
			if err != nil {
				return err
			}
			defer st.Close()
			f, err := st.Finding(ctx, args[0])
			if err != nil {
				return err
			}
			locs, more, err := st.Locations(ctx, f.ID, store.Page{Limit: max(places, 1)})
			if err != nil {
				return err
			}
			hist, err := st.History(ctx, f.ID)
			if err != nil {
				return err
			}
			if inv.format == "json" {
				return writeJSON(ev.stdout, struct {
					Finding   store.Finding    `json:"finding"`
					Locations []store.Location `json:"locations"`
					More      bool             `json:"more_locations,omitempty"`
					History   []store.Change   `json:"history"`
				}{f, locs, more != "", orNone(hist)})
			}
			showFinding(ev.stdout, f, locs, more != "", hist)
			return nil
		},
	}
	cmd.Flags().IntVar(&places, "locations", 50, "most locations shown")
	inv.formatFlag(cmd, "text or json")
	return cmd
}

func showFinding(w io.Writer, f store.Finding, locs []store.Location, more bool, hist []store.Change) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	row := func(k, format string, a ...any) { fmt.Fprintf(tw, k+"\t"+format+"\n", a...) }
	row("id", "%s", f.ID)
	row("rule", "%s%s", f.Rule, paren(f.Name))
	row("kind", "%s%s", f.Kind, paren(f.Entity))
	row("status", "%s since %s", f.Status, stamp(f.StatusChanged))
	row("confidence", "%s", f.Confidence)
	row("severity", "%s", f.Severity)
	row("value", "%s", f.Masked)
	row("fingerprint", "%s", f.Fingerprint)
	row("first seen", "scan %d, %s", f.FirstScan, stamp(f.FirstSeen))
	row("last seen", "scan %d, %s", f.LastScan, stamp(f.LastSeen))
	tw.Flush()
	fmt.Fprintf(w, "\nlocations (%d):\n", f.Locations)
	for _, l := range locs {
		gone := ""
		if l.GoneScan > 0 {
			gone = fmt.Sprintf("  (gone since scan %d)", l.GoneScan)
		}
		fmt.Fprintf(w, "  %s%s%s\n", where(l.Location), matched(l.Match), gone)
	}
	if more {
		fmt.Fprintln(w, "  … (more with --locations N)")
	}
	fmt.Fprintln(w, "\nhistory:")
	if len(hist) == 0 {
		fmt.Fprintln(w, "  (no status change)")
	}
	for _, c := range hist {
		note := ""
		if c.Note != "" {
			note = fmt.Sprintf(": %q", c.Note)
		}
		fmt.Fprintf(w, "  %s  %s → %s by %s%s\n", stamp(c.At), c.From, c.To, c.Actor, note)
	}
}

func newFindingsSetCmd(ev *env, inv *inventoryFlags) *cobra.Command {
	var status, note, actor string
	cmd := &cobra.Command{
		Use:   "set ID... --status STATUS",
		Short: "Change the triage status of findings, with a note",
		Long: `set records a status change for each finding: who (--actor, default $USER), when and
why (--note). false-positive and accepted-risk stay until someone changes them; a
finding set to resolved that a later scan still finds is reopened.`,
		Example: `  leakguard findings set 3f9a2c --status false-positive --note "test fixture, not a key"
  leakguard findings set 3f9a2c 81bb07 --status acknowledged --note "SEC-1234"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, ids []string) error {
			to, err := store.ParseStatus(status)
			if err != nil {
				return fmt.Errorf("--status: %w", err)
			}
			if actor == "" {
				actor = currentUser()
			}
			ctx := cmd.Context()
			st, err := inv.open(ctx, false)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, id := range ids {
				f, err := st.Finding(ctx, id)
				if err != nil {
					return err
				}
				c, err := st.SetStatus(ctx, f.ID, to, actor, note)
				if err != nil {
					return err
				}
				fmt.Fprintf(ev.stdout, "%s: %s → %s\n", f.ID, c.From, c.To)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "new status: open, acknowledged, false-positive, accepted-risk or resolved (required)")
	f.StringVar(&note, "note", "", "why, for the history")
	f.StringVar(&actor, "actor", "", "who decides (default $USER)")
	cmd.MarkFlagRequired("status")
	return cmd
}

// currentUser names the actor of a status change: $USER, else the account.
func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// parseSince reads a point in time: a date, an RFC 3339 time, or an age
// before now in hours (36h) or days (7d).
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a date (2026-03-01), an RFC 3339 time or an age (36h, 7d)", s)
}

func checkFormat(f string, allowed ...string) error {
	for _, a := range allowed {
		if f == a {
			return nil
		}
	}
	return fmt.Errorf("--format %q: want %s", f, strings.Join(allowed, ", "))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// where renders a location as path[!member…][:line:column].
func where(l finding.Location) string {
	s := l.Where()
	if l.Line > 0 {
		s += fmt.Sprintf(":%d:%d", l.Line, l.Column)
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// pageListCmd is the 'list' subcommand of an inventory listing (scans,
// events): one page, newest first, fetched by fetch and written by write in
// inv's --format (one of formats); --limit and --after page through.
func pageListCmd[T any](inv *inventoryFlags, what string, limit int, formats []string,
	fetch func(store.Store, context.Context, store.Page) ([]T, string, error), write func(items []T, next string) error) *cobra.Command {
	var after string
	list := &cobra.Command{
		Use:   "list",
		Short: "List " + what + ", newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(inv.format, formats...); err != nil {
				return err
			}
			st, err := inv.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer st.Close()
			items, next, err := fetch(st, cmd.Context(), store.Page{Limit: limit, After: after})
			if err != nil {
				return err
			}
			return write(orNone(items), next)
		},
	}
	list.Flags().IntVar(&limit, "limit", limit, what+" per page")
	list.Flags().StringVar(&after, "after", "", "start after this id (the cursor printed under a page)")
	inv.formatFlag(list, strings.Join(formats, ", "))
	return list
}

// nextPage prints the cursor of the next page under a text listing.
func nextPage(w io.Writer, next string) {
	if next != "" {
		fmt.Fprintf(w, "\nnext page: --after %s\n", next)
	}
}

func orNone[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func newScansCmd(ev *env) *cobra.Command {
	var inv inventoryFlags
	cmd := &cobra.Command{
		Use:   "scans",
		Short: "List and show the scans recorded in the inventory",
	}
	inv.register(cmd)
	list := pageListCmd(&inv, "scans", 20, []string{"text", "json", "csv"}, (store.Store).Scans,
		func(scans []store.Scan, next string) error { return listScans(ev.stdout, scans, next, inv.format) })

	var errs int
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one scan: what it walked, its counts and its item errors",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(inv.format, "text", "json"); err != nil {
				return err
			}
			id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
			if err != nil {
				return fmt.Errorf("scan id %q: want a number", args[0])
			}
			ctx := cmd.Context()
			st, err := inv.open(ctx, false)
			if err != nil {
				return err
			}
			defer st.Close()
			s, err := st.Scan(ctx, id)
			if err != nil {
				return err
			}
			items, more, err := st.ScanErrors(ctx, id, store.Page{Limit: max(errs, 1)})
			if err != nil {
				return err
			}
			if inv.format == "json" {
				return writeJSON(ev.stdout, struct {
					Scan   store.Scan          `json:"scan"`
					Errors []finding.ItemError `json:"errors"`
					More   bool                `json:"more_errors,omitempty"`
				}{s, orNone(items), more != ""})
			}
			showScan(ev.stdout, s, items, more != "")
			return nil
		},
	}
	show.Flags().IntVar(&errs, "errors", 50, "most item errors shown")
	inv.formatFlag(show, "text or json")
	cmd.AddCommand(list, show)
	return cmd
}

var scansHeader = []string{"id", "started", "finished", "state", "roots", "items", "bytes", "findings", "seen", "new", "resolved", "reopened", "errors"}

func listScans(w io.Writer, scans []store.Scan, next, format string) error {
	switch format {
	case "json":
		return writeJSON(w, struct {
			Scans []store.Scan `json:"scans"`
			Next  string       `json:"next,omitempty"`
		}{scans, next})
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(scansHeader)
		for _, s := range scans {
			o := s.Outcome
			cw.Write(defuseRow([]string{strconv.FormatInt(s.ID, 10), stamp(s.Started), stamp(s.Finished), string(s.State),
				strings.Join(s.Roots, " "), i64(s.Stats.Items), i64(s.Stats.Bytes), i64(s.Stats.Findings),
				i64(o.Seen), i64(o.New), i64(o.Resolved), i64(o.Reopened), i64(s.Errors)}))
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTARTED\tTOOK\tSTATE\tITEMS\tFINDINGS\tNEW\tRESOLVED\tREOPENED\tERRORS\tROOTS")
	for _, s := range scans {
		o := s.Outcome
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", s.ID, stamp(s.Started), took(s), s.State,
			s.Stats.Items, o.Seen, o.New, o.Resolved, o.Reopened, s.Errors, strings.Join(s.Roots, " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	nextPage(w, next)
	return nil
}

func showScan(w io.Writer, s store.Scan, errs []finding.ItemError, more bool) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	row := func(k, format string, a ...any) { fmt.Fprintf(tw, k+"\t"+format+"\n", a...) }
	row("scan", "%d (%s)", s.ID, s.State)
	row("started", "%s", stamp(s.Started))
	row("finished", "%s (took %s)", stamp(s.Finished), took(s))
	row("roots", "%s", strings.Join(s.Roots, " "))
	row("version", "%s", s.Version)
	if len(s.Options) > 0 {
		row("options", "%s", s.Options)
	}
	row("items", "%d (%s read, %d unchanged and not read)", s.Stats.Items, humanBytes(s.Stats.Bytes), s.Stats.Cached)
	row("findings", "%d reported, %d distinct: %d new, %d resolved, %d reopened", s.Stats.Findings, s.Outcome.Seen, s.Outcome.New, s.Outcome.Resolved, s.Outcome.Reopened)
	for _, k := range sortedKeys(s.Stats.Skipped) {
		row("skipped", "%d %s", s.Stats.Skipped[k], k)
	}
	for _, k := range sortedKeys(s.Stats.Suppressed) {
		row("suppressed", "%d %s", s.Stats.Suppressed[k], k)
	}
	row("item errors", "%d", s.Errors)
	tw.Flush()
	for _, e := range errs {
		fmt.Fprintf(w, "  %s: %s: %s\n", e.Location.Where(), e.Reason, e.Error)
	}
	if more {
		fmt.Fprintln(w, "  … (more with --errors N)")
	}
}

// matched says which registered record or document a place matched.
func matched(m *finding.Match) string {
	switch {
	case m == nil:
		return ""
	case m.Row > 0:
		return fmt.Sprintf("  [%s row %d: %s]", m.Set, m.Row, strings.Join(m.Columns, ", "))
	case m.Document != "":
		return fmt.Sprintf("  [%s: %s, %.0f%% of it]", m.Set, m.Document, 100*m.Coverage)
	}
	return "  [" + m.Set + "]"
}

func took(s store.Scan) string {
	if s.Finished.IsZero() {
		return "-"
	}
	return s.Finished.Sub(s.Started).Round(time.Second).String()
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
