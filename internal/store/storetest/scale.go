package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/store"
)

// EnvScale names the variable that turns the scale run on and gives its
// number of findings ("1000000"); it is off by default, as it takes minutes.
const EnvScale = "LEAKGUARD_STORE_SCALE"

// MaxPage is the slowest a page of findings may be listed at scale.
const MaxPage = time.Second

// RunScale records one scan of N findings over N/10 items through a
// Recorder, lists pages with each filter, then records an unchanged rescan
// (every item reused), and logs the time of each step.
func RunScale(t *testing.T, open Opener) {
	n, _ := strconv.Atoi(os.Getenv(EnvScale))
	if n <= 0 {
		t.Skipf("set %s=1000000 to write that many findings and time the pages", EnvScale)
	}
	st := open(t)
	defer st.Close()
	ctx := context.Background()
	start := time.Now()
	out, written, err := FillScale(ctx, st, n)
	if err != nil {
		t.Fatal(err)
	}
	total := time.Since(start)
	items := n / ScalePerItem
	t.Logf("scan 1: %d findings over %d items written in %v (+ finish %v = %v, %.0f findings/s); outcome %+v",
		n, items, written.Round(time.Millisecond), (total - written).Round(time.Millisecond), total.Round(time.Millisecond),
		float64(n)/total.Seconds(), out)
	if out.New != int64(n) {
		t.Errorf("%d new findings, want %d", out.New, n)
	}

	pages := []struct {
		name string
		f    store.Filter
		p    store.Page
	}{
		{"no filter, first page", store.Filter{}, store.Page{}},
		{"no filter, page in the middle", store.Filter{}, store.Page{After: "8"}},
		{"status open", store.Filter{Status: []store.Status{store.Open}}, store.Page{}},
		{"status false-positive (none)", store.Filter{Status: []store.Status{store.FalsePositive}}, store.Page{}},
		{"rule (1 in 10)", store.Filter{Rule: []string{"iban"}}, store.Page{}},
		{"kind pii", store.Filter{Kind: []finding.Kind{finding.PII}}, store.Page{}},
		{"entity (1 in 10)", store.Filter{Entity: []string{"card"}}, store.Page{}},
		{"min confidence high", store.Filter{MinConfidence: finding.High}, store.Page{}},
		{"since scan 1", store.Filter{SinceScan: 1}, store.Page{}},
		{"path prefix, 1 folder of 1000", store.Filter{PathPrefix: "/data/share/d0500/"}, store.Page{}},
		{"path prefix, 1 file", store.Filter{PathPrefix: scalePath(items / 2)}, store.Page{}},
		{"path prefix, 10 folders", store.Filter{PathPrefix: "/data/share/d050"}, store.Page{}},
		{"pii + high + 10 folders", store.Filter{Kind: []finding.Kind{finding.PII}, MinConfidence: finding.High, PathPrefix: "/data/share/d050"}, store.Page{}},
		{"rule + path prefix, 1 folder", store.Filter{Rule: []string{"iban"}, PathPrefix: "/data/share/d0500/"}, store.Page{}},
	}
	for _, pg := range pages {
		t0 := time.Now()
		list, _, err := st.Findings(ctx, pg.f, pg.p)
		if err != nil {
			t.Fatal(err)
		}
		page := time.Since(t0)
		t1 := time.Now()
		count, err := st.CountFindings(ctx, pg.f)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("page %-34s %4d of %7d findings in %8v (count in %v)", pg.name+":", len(list), count, page.Round(time.Microsecond), time.Since(t1).Round(time.Microsecond))
		if page > MaxPage {
			t.Errorf("page %q took %v, more than %v", pg.name, page, MaxPage)
		}
	}

	// The aggregates reports draw: each one pass over findings or places.
	for _, agg := range []struct {
		name string
		f    store.Filter
	}{{"no filter", store.Filter{}}, {"kind pii", store.Filter{Kind: []finding.Kind{finding.PII}}},
		{"path prefix, 10 folders", store.Filter{PathPrefix: "/data/share/d050"}}} {
		t0 := time.Now()
		tally, err := st.Tally(ctx, agg.f)
		t1 := time.Now()
		folders, exp, err2 := st.Folders(ctx, agg.f, 15)
		t2 := time.Now()
		trend, err3 := st.Trend(ctx, agg.f, 30)
		t3 := time.Now()
		_, err4 := st.Registered(ctx, agg.f)
		t4 := time.Now()
		if err := errors.Join(err, err2, err3, err4); err != nil {
			t.Fatal(err)
		}
		t.Logf("report %-24s tally %d rows in %v; folders %d of %+v in %v; trend %d scans in %v; registered in %v",
			agg.name+":", len(tally), t1.Sub(t0).Round(time.Millisecond), len(folders), exp, t2.Sub(t1).Round(time.Millisecond),
			len(trend), t3.Sub(t2).Round(time.Millisecond), t4.Sub(t3).Round(time.Millisecond))
	}

	// The nightly sweep of an unchanged share: ask, then reuse every item.
	start = time.Now()
	probe := make([]store.Item, items)
	for k := range probe {
		probe[k] = store.Item{Path: scalePath(k), Size: 4096, ModTime: scaleMTime()}
	}
	same, err := st.Unchanged(ctx, "scale", probe)
	if err != nil {
		t.Fatal(err)
	}
	asked := time.Since(start)
	rec, err := store.Record(ctx, st, store.ScanStart{Roots: []string{"/data/share"}, Digest: "scale"}, store.RecorderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for k, ok := range same {
		if !ok {
			t.Fatalf("item %d not unchanged", k)
		}
		probe[k].Reused = true
		if err := rec.Item(ctx, probe[k]); err != nil {
			t.Fatal(err)
		}
	}
	out, err = rec.Finish(ctx, store.ScanEnd{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scan 2 (unchanged, %d items reused): Unchanged in %v, whole scan %v; outcome %+v", items,
		asked.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), out)
	if out.Seen != int64(n) || out.Resolved != 0 {
		t.Errorf("unchanged rescan outcome %+v, want all %d seen, none resolved", out, n)
	}
}

// ScalePerItem is the number of findings in each item of the scale fixture.
const ScalePerItem = 10

// scalePath is the path of item k of the scale fixture: 100 items a folder.
func scalePath(k int) string { return fmt.Sprintf("/data/share/d%04d/f%06d.txt", k/100, k) }

// scaleMTime is the modification time of every item of the scale fixture.
func scaleMTime() time.Time { return time.Unix(1700000000, 0) }

// FillScale records into st the scan RunScale times: n findings of ten
// rules (five secrets, five kinds of PII, three confidences) over n/10
// items of /data/share, 100 items a folder, through a Recorder. It returns
// the outcome and how long writing took before the scan was finished.
// Reports over the inventory are timed on it too.
func FillScale(ctx context.Context, st store.Store, n int) (store.Outcome, time.Duration, error) {
	h := keyed.New([]byte("scale"))
	items := n / ScalePerItem
	rules := []struct {
		id   string
		kind finding.Kind
	}{{"aws-key", finding.Secret}, {"github-token", finding.Secret}, {"generic-password", finding.Secret},
		{"private-key", finding.Secret}, {"slack-token", finding.Secret}, {"email", finding.PII},
		{"phone", finding.PII}, {"iban", finding.PII}, {"card", finding.PII}, {"ssn", finding.PII}}
	start := time.Now()
	rec, err := store.Record(ctx, st, store.ScanStart{Roots: []string{"/data/share"}, Digest: "scale"}, store.RecorderOptions{})
	if err != nil {
		return store.Outcome{}, 0, err
	}
	for k := range items {
		for j := range ScalePerItem {
			i := k*ScalePerItem + j
			r := rules[i%len(rules)]
			v := strconv.Itoa(i)
			f := finding.Finding{Rule: r.id, Kind: r.kind, Entity: r.id, Confidence: finding.Confidence(1 + i%3),
				Severity: finding.SevHigh, Masked: "XXXX…" + v[max(0, len(v)-4):], Fingerprint: h.Sum([]byte(v)),
				Location: finding.Location{Path: scalePath(k), Line: j + 1, Column: 5, Offset: int64(j * 80), EndOffset: int64(j*80 + 20)}}
			if err := rec.Finding(ctx, f); err != nil {
				return store.Outcome{}, 0, err
			}
		}
		if err := rec.Item(ctx, store.Item{Root: "/data/share", Path: scalePath(k), Size: 4096, ModTime: scaleMTime()}); err != nil {
			return store.Outcome{}, 0, err
		}
	}
	written := time.Since(start)
	out, err := rec.Finish(ctx, store.ScanEnd{Stats: finding.Stats{Items: int64(items), Findings: int64(n)}})
	return out, written, err
}
