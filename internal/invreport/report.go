// Package invreport writes reports over the inventory rather than over one
// scan: what the organisation holds now, where, how it changed from scan to
// scan and what triage decided. It draws aggregates from store.Store and
// writes them as one self-contained HTML page for people (inline CSS and
// SVG charts, nothing fetched) and, finding by finding, as OCSF Data
// Security Findings for a SIEM; List hands the inventory's findings to the
// scan report writers of package report (JSON, CSV, SARIF) without loading
// them all. Like the inventory, a report holds masked previews, never a
// value.
package invreport

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// Options bound what a report shows; a zero field takes its default.
type Options struct {
	// Table is the most findings the HTML table lists, most severe first
	// (default DefaultTable): a browser stays responsive with a few
	// thousand rows, not a million. The page says when it is cut.
	Table int
	// Folders is how many of the most exposed folders are shown (15).
	Folders int
	// Scans is how many of the latest scans the trend spans (30).
	Scans int
	// New is how many of the findings new in the last scan are listed (50).
	New int
	// Inventory names the inventory in the page (no password); Version is
	// leakguard's; Generated is the report's time (now when zero).
	Inventory string
	Version   string
	Generated time.Time
}

// DefaultTable is the default size of the HTML findings table.
const DefaultTable = 5000

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Table, DefaultTable)
	def(&o.Folders, 15)
	def(&o.Scans, 30)
	def(&o.New, 50)
	if o.Generated.IsZero() {
		o.Generated = time.Now()
	}
	return o
}

// Count is a number of findings under a name.
type Count struct {
	Name string
	N    int64
}

// Report is what the HTML page shows, gathered from the inventory.
type Report struct {
	Options Options
	// Filter describes the filter in words, one clause an entry; none
	// means every finding.
	Filter []string
	// Findings counts the findings that pass the filter.
	Findings int64
	// The findings by status, severity (most severe first), kind, entity
	// and rule (most first).
	ByStatus, BySeverity, ByKind, ByEntity, ByRule []Count
	// Exposure totals the live places; Folders are the most exposed.
	Exposure store.Exposure
	Folders  []store.FolderExposure
	// LastScan is the latest finished scan (nil when there is none); New
	// counts the findings it saw first and NewList shows the most severe.
	LastScan *store.Scan
	New      int64
	NewList  []store.Finding
	Trend    []store.TrendPoint
	// Registered is the exposure of each registered set; People sums the
	// distinct records of record sets.
	Registered []store.SetExposure
	People     int64
	// Table lists the most severe findings, at most Options.Table.
	Table []store.Finding
}

// Open counts the findings that are live work: open or acknowledged.
func (r *Report) Open() int64 {
	var n int64
	for _, c := range r.ByStatus {
		if c.Name == string(store.Open) || c.Name == string(store.Acknowledged) {
			n += c.N
		}
	}
	return n
}

// Build gathers a report over the findings that pass f: a handful of
// aggregate queries and two bounded listings, whatever the inventory's size.
func Build(ctx context.Context, st store.Store, f store.Filter, o Options) (*Report, error) {
	o = o.withDefaults()
	r := &Report{Options: o, Filter: Describe(f)}
	tally, err := st.Tally(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("tally: %w", err)
	}
	r.tally(tally)
	if r.Folders, r.Exposure, err = st.Folders(ctx, f, o.Folders); err != nil {
		return nil, fmt.Errorf("folders: %w", err)
	}
	if r.Trend, err = st.Trend(ctx, f, o.Scans); err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	if r.Registered, err = st.Registered(ctx, f); err != nil {
		return nil, fmt.Errorf("registered sets: %w", err)
	}
	for _, s := range r.Registered {
		r.People += s.Records
	}
	if err := r.newSinceLast(ctx, st, f); err != nil {
		return nil, err
	}
	if r.Table, err = MostSevere(ctx, st, f, o.Table); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	return r, nil
}

// tally folds the store's tally into the report's counts.
func (r *Report) tally(ts []store.Tally) {
	by := map[string]map[string]int64{}
	add := func(dim, name string, n int64) {
		if by[dim] == nil {
			by[dim] = map[string]int64{}
		}
		by[dim][name] += n
	}
	for _, t := range ts {
		r.Findings += t.Findings
		add("status", string(t.Status), t.Findings)
		add("severity", string(t.Severity), t.Findings)
		add("kind", string(t.Kind), t.Findings)
		add("entity", entityName(t), t.Findings)
		add("rule", t.Rule, t.Findings)
	}
	most := func(m map[string]int64) []Count {
		out := make([]Count, 0, len(m))
		for k, v := range m {
			out = append(out, Count{k, v})
		}
		slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Name, b.Name)) })
		return out
	}
	// Statuses in triage order and severities from the worst, all of them
	// shown (zero included) so that two reports read alike.
	for _, s := range store.Statuses() {
		r.ByStatus = append(r.ByStatus, Count{string(s), by["status"][string(s)]})
	}
	for _, s := range severities() {
		r.BySeverity = append(r.BySeverity, Count{string(s), by["severity"][string(s)]})
		delete(by["severity"], string(s))
	}
	r.BySeverity = append(r.BySeverity, most(by["severity"])...) // an unknown one, if any
	r.ByKind, r.ByEntity, r.ByRule = most(by["kind"]), most(by["entity"]), most(by["rule"])
}

// entityName names a tally's entity; rules for credentials have none, and
// are counted under their kind.
func entityName(t store.Tally) string {
	if t.Entity != "" {
		return t.Entity
	}
	return "(" + string(t.Kind) + ")"
}

// severities lists the severities from the worst.
func severities() []finding.Severity {
	return []finding.Severity{finding.Critical, finding.SevHigh, finding.SevMed, finding.SevLow, finding.Info}
}

// newSinceLast counts and lists the findings first seen by the latest
// finished scan.
func (r *Report) newSinceLast(ctx context.Context, st store.Store, f store.Filter) error {
	p := store.Page{Limit: 20}
	for range 50 { // a long run of running or failed scans ends the search
		scans, next, err := st.Scans(ctx, p)
		if err != nil {
			return fmt.Errorf("scans: %w", err)
		}
		for i := range scans {
			if scans[i].State == store.Finished {
				r.LastScan = &scans[i]
				break
			}
		}
		if r.LastScan != nil || next == "" {
			break
		}
		p.After = next
	}
	if r.LastScan == nil {
		return nil
	}
	f.SinceScan = max(f.SinceScan, r.LastScan.ID)
	var err error
	if r.New, err = st.CountFindings(ctx, f); err != nil {
		return fmt.Errorf("new findings: %w", err)
	}
	if r.NewList, err = MostSevere(ctx, st, f, r.Options.New); err != nil {
		return fmt.Errorf("new findings: %w", err)
	}
	return nil
}

// MostSevere lists up to n findings that pass f, the most severe first
// (critical, then high…), by id within a severity. It asks for one
// severity at a time, so that it reads no more than n findings and their
// places.
func MostSevere(ctx context.Context, st store.Store, f store.Filter, n int) ([]store.Finding, error) {
	var out []store.Finding
	for _, sev := range severities() {
		if len(f.Severity) > 0 && !slices.Contains(f.Severity, sev) {
			continue
		}
		g := f
		g.Severity = []finding.Severity{sev}
		p := store.Page{}
		for len(out) < n {
			p.Limit = min(n-len(out), store.MaxLimit)
			page, next, err := st.Findings(ctx, g, p)
			if err != nil {
				return nil, err
			}
			out = append(out, page...)
			if next == "" {
				break
			}
			p.After = next
		}
	}
	return out, nil
}

// Describe puts a filter into words, one clause an entry.
func Describe(f store.Filter) []string {
	var out []string
	list := func(name string, vals []string) {
		if len(vals) > 0 {
			out = append(out, name+" "+strings.Join(vals, " or "))
		}
	}
	list("status", strs(f.Status))
	list("severity", strs(f.Severity))
	list("kind", strs(f.Kind))
	list("entity", f.Entity)
	list("rule", f.Rule)
	if f.PathPrefix != "" {
		out = append(out, "path under "+f.PathPrefix)
	}
	if f.MinConfidence > 0 {
		out = append(out, "confidence at least "+f.MinConfidence.String())
	}
	if !f.Since.IsZero() {
		out = append(out, "first seen since "+f.Since.Local().Format("2006-01-02 15:04"))
	}
	if f.SinceScan > 0 {
		out = append(out, fmt.Sprintf("first seen by scan %d or later", f.SinceScan))
	}
	return out
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}
