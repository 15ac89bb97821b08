package storetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/store"
)

func testScanLifecycle(t *testing.T, e *env) {
	start := time.Date(2026, 3, 1, 2, 0, 0, 123456789, time.UTC)
	opts := json.RawMessage(`{"workers":4,"rules":["builtin"]}`)
	id, err := e.st.BeginScan(e.ctx, store.ScanStart{Roots: []string{"/srv/a", "/srv/b"}, Options: opts,
		Version: "1.2.3", Digest: "abc", Started: start})
	e.must(err)
	if id != 1 {
		t.Errorf("first scan id %d, want 1", id)
	}
	s, err := e.st.Scan(e.ctx, id)
	e.must(err)
	if s.State != store.Running || !s.Started.Equal(store.Micro(start)) || !s.Finished.IsZero() {
		t.Errorf("running scan: %+v", s)
	}
	if !reflect.DeepEqual(s.Roots, []string{"/srv/a", "/srv/b"}) || string(s.Options) != string(opts) || s.Version != "1.2.3" || s.Digest != "abc" {
		t.Errorf("scan start not kept: %+v", s)
	}
	stats := finding.Stats{Items: 10, Bytes: 2048, Findings: 2, Errors: 1, Cached: 3,
		Skipped: map[string]int64{"binary": 2}, Suppressed: map[string]int64{"baseline": 1}, DurationMS: 1500}
	e.must(e.st.Write(e.ctx, id, store.Batch{Findings: []finding.Finding{
		e.secret("aws-key", "AKIAQWERTYUIOPASDFGH", "/srv/a/x.env", 10),
		e.secret("aws-key", "AKIAQWERTYUIOPASDFGH", "/srv/b/y.env", 20),
	}}))
	end := start.Add(90 * time.Second)
	out, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{Stats: stats, Finished: end})
	e.must(err)
	if out != (store.Outcome{Seen: 1, New: 1}) {
		t.Errorf("outcome %+v, want 1 seen, 1 new", out)
	}
	s, err = e.st.Scan(e.ctx, id)
	e.must(err)
	if s.State != store.Finished || !s.Finished.Equal(store.Micro(end)) || s.Outcome != out {
		t.Errorf("finished scan: %+v", s)
	}
	if !reflect.DeepEqual(s.Stats, stats) {
		t.Errorf("stats %+v, want %+v", s.Stats, stats)
	}
	_, err = e.st.FinishScan(e.ctx, id, store.ScanEnd{})
	wantErr(t, err, store.ErrScanState, "finishing twice")
	wantErr(t, e.st.Write(e.ctx, id, store.Batch{Findings: []finding.Finding{e.secret("r", "0123456789abcdefghij", "/p", 0)}}),
		store.ErrScanState, "writing to a finished scan")
	wantErr(t, e.st.Write(e.ctx, 99, store.Batch{}), store.ErrScanState, "writing to an unknown scan")
	_, err = e.st.Scan(e.ctx, 99)
	wantErr(t, err, store.ErrNotFound, "unknown scan")
	if _, err := e.st.BeginScan(e.ctx, store.ScanStart{Options: json.RawMessage("{not json")}); err == nil {
		t.Error("options that are not JSON were accepted")
	}

	// Scans are listed newest first, page by page.
	for range 4 {
		e.scan([]string{"/srv/a"})
	}
	var ids []int64
	p := store.Page{Limit: 2}
	for {
		page, next, err := e.st.Scans(e.ctx, p)
		e.must(err)
		for _, s := range page {
			ids = append(ids, s.ID)
		}
		if next == "" {
			break
		}
		p.After = next
	}
	if !reflect.DeepEqual(ids, []int64{5, 4, 3, 2, 1}) {
		t.Errorf("scans listed %v, want 5 4 3 2 1", ids)
	}
}

func testScanErrors(t *testing.T, e *env) {
	id := e.begin("/srv")
	var errs []finding.ItemError
	for i := range 7 {
		errs = append(errs, finding.ItemError{Location: finding.Location{Path: "/srv/f" + strconv.Itoa(i),
			Container: []string{"a.zip", "b > c.docx"}}, Reason: finding.ReasonCorrupt, Error: "zip: not a valid zip file"})
	}
	e.must(e.st.Write(e.ctx, id, store.Batch{Errors: errs[:4]}))
	e.must(e.st.Write(e.ctx, id, store.Batch{Errors: errs[4:]}))
	_, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{})
	e.must(err)
	s, err := e.st.Scan(e.ctx, id)
	e.must(err)
	if s.Errors != 7 {
		t.Errorf("scan counts %d errors, want 7", s.Errors)
	}
	var got []finding.ItemError
	p := store.Page{Limit: 3}
	for {
		page, next, err := e.st.ScanErrors(e.ctx, id, p)
		e.must(err)
		got = append(got, page...)
		if next == "" {
			break
		}
		p.After = next
	}
	if !reflect.DeepEqual(got, errs) {
		t.Errorf("errors read back in another order or shape:\n got %+v\nwant %+v", got, errs)
	}
}

// testInstance: the inventory's identity is random (32 hex digits: 128
// bits) and does not change while the inventory lives, scans or not.
func testInstance(t *testing.T, e *env) {
	first, err := e.st.Instance(e.ctx)
	e.must(err)
	if len(first) != 32 || strings.Trim(first, "0123456789abcdef") != "" {
		t.Errorf("instance %q, want 32 hex digits", first)
	}
	e.scan([]string{"/r"}, e.secret("aws-key", awsValue, "/r/a.env", 0))
	if again, err := e.st.Instance(e.ctx); err != nil || again != first {
		t.Errorf("instance after a scan %q (%v), want %q", again, err, first)
	}
}

// testBindKey: the first key check binds the inventory; the same check
// passes again, before and after a scan, and another is refused with
// ErrOtherKey without replacing the first.
func testBindKey(t *testing.T, e *env) {
	mine, other := e.h.Check(), keyed.New([]byte("another installation")).Check()
	e.must(e.st.BindKey(e.ctx, mine))
	e.scan([]string{"/r"}, e.secret("aws-key", awsValue, "/r/a.env", 0))
	e.must(e.st.BindKey(e.ctx, mine))
	if err := e.st.BindKey(e.ctx, other); !errors.Is(err, store.ErrOtherKey) {
		t.Errorf("another key's check: %v, want ErrOtherKey", err)
	}
	if err := e.st.BindKey(e.ctx, mine); err != nil {
		t.Errorf("the first key after another was refused: %v", err)
	}
}
