package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// reportFixture records three scans of /r and a triage decision between
// the second and the third, and returns the ids of the key and the email:
//
//	scan 1: key in /r/a/x.env, /r/a/y.env, /r/b/z.env; email in /r/a/x.env;
//	        a token in /r/a/arch.zip!inner.txt; records 17 and 18 of set hr
//	        (17 in /r/b/z.csv, 18 there and in /r/c/q.csv); document plan of
//	        set plans in /r/c/q.csv
//	scan 2: the email is gone (resolved); a password is new in /r/b/new.env
//	then bob marks the key false-positive
//	scan 3: the email is back (reopened)
func reportFixture(t *testing.T, e *env) (key, email string) {
	k := func(path string) finding.Finding { return e.secret("aws-key", awsValue, path, 0) }
	mail := e.secret("email", "dora.report@example.org", "/r/a/x.env", 40)
	mail.Kind, mail.Severity = finding.PII, finding.SevMed
	zip := e.secret("slack-token", "xoxb-0000000000-report", "/r/a/arch.zip", 0)
	zip.Location.Container = []string{"inner.txt"}
	rec := func(row int64, value, path string) finding.Finding {
		f := e.secret("registered-record", value, path, row)
		f.Kind, f.Entity, f.Severity, f.Masked = finding.Registered, "RECORD", finding.Critical, "hr row"
		f.Match = &finding.Match{Set: "hr", Type: "records", Row: row, Columns: []string{"name", "iban"}}
		return f
	}
	doc := e.secret("registered-document", "plans/plan.docx v1", "/r/c/q.csv", 0)
	doc.Kind, doc.Entity, doc.Masked = finding.Registered, "DOCUMENT", "plan"
	doc.Match = &finding.Match{Set: "plans", Type: "docs", Document: "plan.docx", Version: 1, Coverage: 0.5}
	pass := e.secret("generic-password", "Report-Passw0rd-Z", "/r/b/new.env", 0)

	base := []finding.Finding{k("/r/a/x.env"), k("/r/a/y.env"), k("/r/b/z.env"), zip,
		rec(17, "hr 17", "/r/b/z.csv"), rec(18, "hr 18", "/r/b/z.csv"), rec(18, "hr 18", "/r/c/q.csv"), doc}
	day := time.Now().Add(-72 * time.Hour).Truncate(time.Second)
	at := func(d int) (time.Time, time.Time) {
		s := day.Add(time.Duration(d) * 24 * time.Hour)
		return s, s.Add(time.Minute)
	}
	run := func(d int, fs ...finding.Finding) {
		t.Helper()
		start, end := at(d)
		if d == 2 { // the last scan runs after the decision, now
			start, end = time.Time{}, time.Time{}
		}
		id, err := e.st.BeginScan(e.ctx, store.ScanStart{Roots: []string{"/r"}, Digest: "d1", Started: start})
		e.must(err)
		e.write(id, fs...)
		_, err = e.st.FinishScan(e.ctx, id, store.ScanEnd{Finished: end})
		e.must(err)
	}
	run(0, append(base, mail)...)
	run(1, append(base, pass)...)
	_, err := e.st.SetStatus(e.ctx, e.id(base[0]), store.FalsePositive, "bob", "test key")
	e.must(err)
	run(2, append(base, pass, mail)...)
	return e.id(base[0]), e.id(mail)
}

func testReportTally(t *testing.T, e *env) {
	reportFixture(t, e)
	got, err := e.st.Tally(e.ctx, store.Filter{})
	e.must(err)
	tl := func(rule string, k finding.Kind, entity string, sev finding.Severity, st store.Status, n int64) store.Tally {
		return store.Tally{Rule: rule, Kind: k, Entity: entity, Severity: sev, Status: st, Findings: n}
	}
	want := []store.Tally{
		tl("aws-key", finding.Secret, "credential", finding.SevHigh, store.FalsePositive, 1),
		tl("email", finding.PII, "email", finding.SevMed, store.Open, 1),
		tl("generic-password", finding.Secret, "credential", finding.SevHigh, store.Open, 1),
		tl("registered-document", finding.Registered, "DOCUMENT", finding.SevHigh, store.Open, 1),
		tl("registered-record", finding.Registered, "RECORD", finding.Critical, store.Open, 2),
		tl("slack-token", finding.Secret, "credential", finding.SevHigh, store.Open, 1),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tally\n got %+v\nwant %+v", got, want)
	}
	got, err = e.st.Tally(e.ctx, store.Filter{Status: []store.Status{store.Open}, Kind: []finding.Kind{finding.Secret}})
	e.must(err)
	if len(got) != 2 || got[0].Rule != "generic-password" || got[1].Rule != "slack-token" {
		t.Errorf("tally of open secrets %+v", got)
	}
	// The severity filter, which reports order their tables by.
	crit := e.all(store.Filter{Severity: []finding.Severity{finding.Critical}}, 0)
	if len(crit) != 2 || crit[0].Rule != "registered-record" || crit[1].Rule != "registered-record" {
		t.Errorf("critical findings %+v", crit)
	}
	if n, err := e.st.CountFindings(e.ctx, store.Filter{Severity: []finding.Severity{finding.SevMed, finding.Critical}}); err != nil || n != 3 {
		t.Errorf("medium or critical: %d (%v), want 3", n, err)
	}
}

func testReportFolders(t *testing.T, e *env) {
	reportFixture(t, e)
	fe := func(folder string, f, p, n int64) store.FolderExposure {
		return store.FolderExposure{Folder: folder, Exposure: store.Exposure{Findings: f, Places: p, Files: n}}
	}
	cases := []struct {
		name  string
		f     store.Filter
		limit int
		want  []store.FolderExposure
		total store.Exposure
	}{
		// An archive member counts in the archive's folder, as the archive.
		{"all", store.Filter{}, 10,
			[]store.FolderExposure{fe("/r/b/", 4, 4, 3), fe("/r/a/", 3, 4, 3), fe("/r/c/", 2, 2, 1)},
			store.Exposure{Findings: 7, Places: 10, Files: 7}},
		{"limit", store.Filter{}, 1, []store.FolderExposure{fe("/r/b/", 4, 4, 3)},
			store.Exposure{Findings: 7, Places: 10, Files: 7}},
		// Equal findings: more places first.
		{"secrets", store.Filter{Kind: []finding.Kind{finding.Secret}}, 10,
			[]store.FolderExposure{fe("/r/a/", 2, 3, 3), fe("/r/b/", 2, 2, 2)},
			store.Exposure{Findings: 3, Places: 5, Files: 5}},
		// The prefix bounds the places, not only the findings: the key in
		// /r/b/ does not bring its places in /r/a/ along.
		{"prefix", store.Filter{PathPrefix: "/r/b/"}, 10,
			[]store.FolderExposure{fe("/r/b/", 4, 4, 3)},
			store.Exposure{Findings: 4, Places: 4, Files: 3}},
		{"open", store.Filter{Status: []store.Status{store.Open}}, 10,
			[]store.FolderExposure{fe("/r/b/", 3, 3, 2), fe("/r/a/", 2, 2, 2), fe("/r/c/", 2, 2, 1)},
			store.Exposure{Findings: 6, Places: 7, Files: 5}},
		{"none", store.Filter{Rule: []string{"no-such-rule"}}, 10, nil, store.Exposure{}},
	}
	for _, c := range cases {
		got, total, err := e.st.Folders(e.ctx, c.f, c.limit)
		e.must(err)
		if !reflect.DeepEqual(got, c.want) || total != c.total {
			t.Errorf("%s: folders\n got %+v total %+v\nwant %+v total %+v", c.name, got, total, c.want, c.total)
		}
	}
	// A resolved finding exposes nothing: its places are gone.
	_, out := e.scan([]string{"/r/a"})
	if out.Resolved != 2 {
		t.Fatalf("empty rescan of /r/a resolved %d, want the email and the token", out.Resolved)
	}
	got, _, err := e.st.Folders(e.ctx, store.Filter{}, 10)
	e.must(err)
	if len(got) != 2 || got[0].Folder != "/r/b/" || got[1].Folder != "/r/c/" {
		t.Errorf("after /r/a emptied: %+v", got)
	}
}

func testReportTrend(t *testing.T, e *env) {
	key, _ := reportFixture(t, e)
	pt := func(scan, newN, res, reop, known, open int64) store.TrendPoint {
		return store.TrendPoint{Scan: scan, New: newN, Resolved: res, Reopened: reop, Known: known, Open: open}
	}
	strip := func(ps []store.TrendPoint) []store.TrendPoint {
		for i := range ps {
			if ps[i].Started.IsZero() || ps[i].State != store.Finished || len(ps[i].Roots) != 1 {
				t.Errorf("point %+v: scan fields missing", ps[i])
			}
			ps[i].Started, ps[i].Finished, ps[i].State, ps[i].Roots = time.Time{}, time.Time{}, "", nil
		}
		return ps
	}
	cases := []struct {
		name string
		f    store.Filter
		n    int
		want []store.TrendPoint
	}{
		// Scan 2 resolves the email; bob's decision on the key counts
		// from scan 3, which also reopens the email.
		{"all", store.Filter{}, 10, []store.TrendPoint{pt(1, 6, 0, 0, 6, 6), pt(2, 1, 1, 0, 7, 6), pt(3, 0, 0, 1, 7, 6)}},
		{"last two", store.Filter{}, 2, []store.TrendPoint{pt(2, 1, 1, 0, 7, 6), pt(3, 0, 0, 1, 7, 6)}},
		{"pii", store.Filter{Kind: []finding.Kind{finding.PII}}, 10, []store.TrendPoint{pt(1, 1, 0, 0, 1, 1), pt(2, 0, 1, 0, 1, 0), pt(3, 0, 0, 1, 1, 1)}},
		{"key", store.Filter{Rule: []string{"aws-key"}}, 10, []store.TrendPoint{pt(1, 1, 0, 0, 1, 1), pt(2, 0, 0, 0, 1, 1), pt(3, 0, 0, 0, 1, 0)}},
		// A trend spans every status: a status filter is ignored.
		{"status ignored", store.Filter{Rule: []string{"aws-key"}, Status: []store.Status{store.Open}, SinceScan: 3}, 10,
			[]store.TrendPoint{pt(1, 1, 0, 0, 1, 1), pt(2, 0, 0, 0, 1, 1), pt(3, 0, 0, 0, 1, 0)}},
		{"prefix", store.Filter{PathPrefix: "/r/c/"}, 10, []store.TrendPoint{pt(1, 2, 0, 0, 2, 2), pt(2, 0, 0, 0, 2, 2), pt(3, 0, 0, 0, 2, 2)}},
	}
	// The fixture has 7 findings: key, email, token, records 17 and 18 and
	// the document from scan 1, the password from scan 2.
	for _, c := range cases {
		got, err := e.st.Trend(e.ctx, c.f, c.n)
		e.must(err)
		if got := strip(got); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: trend\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
	// Reopening the key by hand counts at the next scan.
	_, err := e.st.SetStatus(e.ctx, key, store.Open, "bob", "it is real after all")
	e.must(err)
	e.scan([]string{"/elsewhere"})
	got, err := e.st.Trend(e.ctx, store.Filter{Rule: []string{"aws-key"}}, 2)
	e.must(err)
	if got := strip(got); !reflect.DeepEqual(got, []store.TrendPoint{pt(3, 0, 0, 0, 1, 0), pt(4, 0, 0, 0, 1, 1)}) {
		t.Errorf("after reopening by hand: %+v", got)
	}
	if got, err := e.st.Trend(e.ctx, store.Filter{}, 0); err != nil || len(got) != 4 {
		t.Errorf("n=0 gives %d points (%v), want every scan up to the default page", len(got), err)
	}
}

func testReportRegistered(t *testing.T, e *env) {
	reportFixture(t, e)
	se := func(set, typ string, rec, docs, f, p, n int64) store.SetExposure {
		return store.SetExposure{Set: set, Type: typ, Records: rec, Documents: docs, Exposure: store.Exposure{Findings: f, Places: p, Files: n}}
	}
	cases := []struct {
		name string
		f    store.Filter
		want []store.SetExposure
	}{
		// Row 18 in two files is one person.
		{"all", store.Filter{}, []store.SetExposure{se("hr", "records", 2, 0, 2, 3, 2), se("plans", "docs", 0, 1, 1, 1, 1)}},
		{"prefix", store.Filter{PathPrefix: "/r/c/"}, []store.SetExposure{se("hr", "records", 1, 0, 1, 1, 1), se("plans", "docs", 0, 1, 1, 1, 1)}},
		{"critical", store.Filter{Severity: []finding.Severity{finding.Critical}}, []store.SetExposure{se("hr", "records", 2, 0, 2, 3, 2)}},
		{"secrets only", store.Filter{Kind: []finding.Kind{finding.Secret}}, nil},
	}
	for _, c := range cases {
		got, err := e.st.Registered(e.ctx, c.f)
		e.must(err)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: registered\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
	// Marked false-positive, a record still sits where it sits: the status
	// filter is the reader's choice.
	_, err := e.st.SetStatus(e.ctx, store.FindingID("registered-record", e.h.Sum([]byte("hr 17"))), store.FalsePositive, "bob", "")
	e.must(err)
	got, err := e.st.Registered(e.ctx, store.Filter{Status: []store.Status{store.Open}})
	e.must(err)
	if len(got) != 2 || got[0].Records != 1 || got[0].Places != 2 {
		t.Errorf("open only: %+v", got)
	}
}
