// Package storetest is the one conformance suite every inventory backend
// passes: a backend's test calls Run with a function that opens a fresh,
// empty store. The suite states the contract of store.Store as behaviour
// (deduplication, stable ids, resolution and reopening, triage, filters and
// pages, incremental lookups, the single-writer Recorder) and audits what
// the backend keeps at rest for planted plaintext values.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/redact"
	"github.com/leakguard/leakguard/internal/store"
)

// Raw is what a backend must also implement for the plaintext audit: the
// bytes it keeps at rest (SQLite: the database file and its log; PostgreSQL:
// every row of every table, as text).
type Raw interface {
	RawBytes(ctx context.Context) ([]byte, error)
}

// Opener returns a new, empty store; the suite closes it.
type Opener func(t *testing.T) store.Store

// Run runs the conformance suite, each case on its own fresh store.
func Run(t *testing.T, open Opener) {
	cases := []struct {
		name string
		fn   func(*testing.T, *env)
	}{
		{"ScanLifecycle", testScanLifecycle},
		{"ScanErrors", testScanErrors},
		{"Dedup", testDedup},
		{"FirstPlace", testFirstPlace},
		{"Registered", testRegistered},
		{"StableIDs", testStableIDs},
		{"ResolveReopen", testResolveReopen},
		{"SamePlaceAgain", testSamePlaceAgain},
		{"RootScope", testRootScope},
		{"SeenUnderRoot", testSeenUnderRoot},
		{"IncompleteResolvesNothing", testIncomplete},
		{"Holders", testHolders},
		{"Decisions", testDecisions},
		{"Triage", testTriage},
		{"IDPrefix", testIDPrefix},
		{"Filters", testFilters},
		{"Pages", testPages},
		{"Unchanged", testUnchanged},
		{"Reused", testReused},
		{"Recorder", testRecorder},
		{"RecorderWriteError", testRecorderWriteError},
		{"RecorderCollectsDuringWrite", testRecorderOverlap},
		{"RecorderItemDelay", testRecorderItemDelay},
		{"ReportTally", testReportTally},
		{"ReportFolders", testReportFolders},
		{"ReportTrend", testReportTrend},
		{"ReportRegistered", testReportRegistered},
		{"Events", testEvents},
		{"Instance", testInstance},
		{"BindKey", testBindKey},
		{"Canonical", testCanonical},
		{"NoPlaintext", testNoPlaintext},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			c.fn(t, &env{t: t, st: st, ctx: context.Background(), h: keyed.New([]byte("storetest key"))})
		})
	}
}

// env carries a case's store and helpers.
type env struct {
	t   *testing.T
	st  store.Store
	ctx context.Context
	h   *keyed.Hasher
}

// secret builds the finding a scan would report for value at path: masked,
// fingerprinted with the suite's key, Secret already cleared.
func (e *env) secret(rule, value, path string, off int64) finding.Finding {
	return finding.Finding{Rule: rule, Name: "Test " + rule, Kind: finding.Secret, Entity: entityOf(rule),
		Confidence: finding.Medium, Severity: finding.SevHigh,
		Location: finding.Location{Path: path, Line: int(off/40) + 1, Column: int(off%40) + 1,
			Offset: off, EndOffset: off + int64(len(value))},
		Masked: redact.Mask(value), Fingerprint: e.h.Sum([]byte(value))}
}

func entityOf(rule string) string {
	if rule == "email" {
		return "email"
	}
	return "credential"
}

// scan records one whole scan of roots holding fs and returns its id and
// outcome.
func (e *env) scan(roots []string, fs ...finding.Finding) (int64, store.Outcome) {
	e.t.Helper()
	id := e.begin(roots...)
	e.write(id, fs...)
	out, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{Stats: finding.Stats{Items: 1, Findings: int64(len(fs))}})
	e.must(err)
	return id, out
}

// write records fs in scan id with the items holding them, as a scan
// does (see Store.Write).
func (e *env) write(id int64, fs ...finding.Finding) {
	e.t.Helper()
	if len(fs) > 0 {
		e.must(e.st.Write(e.ctx, id, store.Batch{Findings: fs, Items: itemsOf(fs)}))
	}
}

// itemsOf returns the top-level items holding fs, each read (not reused).
func itemsOf(fs []finding.Finding) []store.Item {
	var out []store.Item
	seen := map[string]bool{}
	for _, f := range fs {
		if p := f.Location.Path; !seen[p] {
			seen[p] = true
			out = append(out, store.Item{Path: p, Size: 1, ModTime: time.Unix(1700000000, 0)})
		}
	}
	return out
}

func (e *env) begin(roots ...string) int64 {
	e.t.Helper()
	id, err := e.st.BeginScan(e.ctx, store.ScanStart{Roots: roots, Version: "test", Digest: "d1"})
	e.must(err)
	return id
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// get returns a finding by id, failing the test when it is missing.
func (e *env) get(id string) store.Finding {
	e.t.Helper()
	f, err := e.st.Finding(e.ctx, id)
	e.must(err)
	return f
}

func (e *env) id(f finding.Finding) string { return store.FindingID(f.Rule, f.Fingerprint) }

// all lists every finding passing flt, page by page.
func (e *env) all(flt store.Filter, limit int) []store.Finding {
	e.t.Helper()
	var out []store.Finding
	p := store.Page{Limit: limit}
	for range 10000 {
		page, next, err := e.st.Findings(e.ctx, flt, p)
		e.must(err)
		out = append(out, page...)
		if next == "" {
			return out
		}
		p.After = next
	}
	e.t.Fatal("pagination does not end")
	return nil
}

func (e *env) status(id string, want store.Status) {
	e.t.Helper()
	if got := e.get(id).Status; got != want {
		e.t.Errorf("finding %s is %s, want %s", id, got, want)
	}
}

func (e *env) history(id string) []string {
	e.t.Helper()
	h, err := e.st.History(e.ctx, id)
	e.must(err)
	var out []string
	for _, c := range h {
		out = append(out, fmt.Sprintf("%s>%s by %s", c.From, c.To, c.Actor))
	}
	return out
}

func wantErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want %v", what, err, target)
	}
}
