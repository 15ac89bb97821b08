package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

const awsValue = "AKIAQWERTYUIOPASDFGH" // the documented shape of an AWS key id; not a real one

func testDedup(t *testing.T, e *env) {
	var fs []finding.Finding
	for i := range 5 {
		fs = append(fs, e.secret("aws-key", awsValue, fmt.Sprintf("/srv/share/p%d.env", 4-i), 7))
	}
	fs[2].Confidence = finding.High
	fs = append(fs, fs[0]) // the same place twice in one batch is one location
	inZip := e.secret("aws-key", awsValue, "/srv/share/a.zip", 30)
	inZip.Location.Container = []string{"inner/b.tar", "c.txt"}
	fs = append(fs, inZip)
	_, out := e.scan([]string{"/srv/share"}, fs...)
	if out.Seen != 1 || out.New != 1 {
		t.Errorf("outcome %+v, want one finding seen and new", out)
	}
	all := e.all(store.Filter{}, 0)
	if len(all) != 1 {
		t.Fatalf("%d findings, want 1 (one value in 6 places)", len(all))
	}
	f := all[0]
	if f.ID != store.FindingID("aws-key", fs[0].Fingerprint) || len(f.ID) != store.IDLen {
		t.Errorf("id %q is not FindingID(rule, fingerprint)", f.ID)
	}
	if f.Locations != 6 || f.Confidence != finding.High || f.Status != store.Open || f.Masked != fs[0].Masked ||
		f.Kind != finding.Secret || f.Entity != "credential" || f.Severity != finding.SevHigh || f.Name != "Test aws-key" {
		t.Errorf("finding %+v", f)
	}
	if f.Where.Path != "/srv/share/a.zip" || !slices.Equal(f.Where.Container, []string{"inner/b.tar", "c.txt"}) || f.Where.Offset != 30 {
		t.Errorf("first location %+v, want the zip member (first by path)", f.Where)
	}
	if f.FirstScan != 1 || f.LastScan != 1 || f.FirstSeen.IsZero() || !f.LastSeen.Equal(f.FirstSeen) {
		t.Errorf("seen: %+v", f)
	}
	var paths []string
	p := store.Page{Limit: 2}
	for {
		locs, next, err := e.st.Locations(e.ctx, f.ID, p)
		e.must(err)
		for _, l := range locs {
			paths = append(paths, l.Where())
			if l.FirstScan != 1 || l.LastScan != 1 || l.GoneScan != 0 || l.EndOffset-l.Offset != int64(len(awsValue)) || l.Line == 0 {
				t.Errorf("location %+v", l)
			}
		}
		if next == "" {
			break
		}
		p.After = next
	}
	want := []string{"/srv/share/a.zip!inner/b.tar!c.txt", "/srv/share/p0.env", "/srv/share/p1.env", "/srv/share/p2.env", "/srv/share/p3.env", "/srv/share/p4.env"}
	if !slices.Equal(paths, want) {
		t.Errorf("locations %v, want %v", paths, want)
	}
}

func testStableIDs(t *testing.T, e *env) {
	a := e.secret("aws-key", awsValue, "/r/a", 0)
	b := e.secret("generic-password", awsValue, "/r/a", 0) // same value, other rule: another finding
	e.scan([]string{"/r"}, a, b)
	first := e.all(store.Filter{}, 0)
	_, out := e.scan([]string{"/r"}, a, b)
	second := e.all(store.Filter{}, 0)
	if len(first) != 2 || len(second) != 2 || first[0].ID != second[0].ID || first[1].ID != second[1].ID {
		t.Fatalf("ids changed across rescans: %v then %v", ids(first), ids(second))
	}
	if out.New != 0 || out.Seen != 2 {
		t.Errorf("rescan outcome %+v, want 2 seen, none new", out)
	}
	if f := second[0]; f.FirstScan != 1 || f.LastScan != 2 {
		t.Errorf("first/last scan %d/%d, want 1/2", f.FirstScan, f.LastScan)
	}
	if !slices.IsSorted(ids(second)) {
		t.Errorf("list not ordered by id: %v", ids(second))
	}
}

func ids(fs []store.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func testIDPrefix(t *testing.T, e *env) {
	// Find two values whose ids share a 6-digit prefix (a birthday search
	// over a few thousand values).
	seen := map[string]finding.Finding{}
	var x, y finding.Finding
	for i := 0; ; i++ {
		f := e.secret("aws-key", fmt.Sprintf("AKIA%016d", i), "/p/f", int64(i))
		id := e.id(f)
		if g, ok := seen[id[:store.MinIDPrefix]]; ok {
			x, y = g, f
			break
		}
		seen[id[:store.MinIDPrefix]] = f
	}
	other := e.secret("aws-key", awsValue, "/p/g", 0)
	e.scan([]string{"/p"}, x, y, other)
	oid := e.id(other)
	if f := e.get(oid[:store.MinIDPrefix]); f.ID != oid {
		t.Errorf("prefix %s found %s", oid[:store.MinIDPrefix], f.ID)
	}
	if f := e.get(oid); f.ID != oid {
		t.Errorf("full id found %s", f.ID)
	}
	_, err := e.st.Finding(e.ctx, e.id(x)[:store.MinIDPrefix])
	wantErr(t, err, store.ErrAmbiguous, "shared prefix")
	if f := e.get(e.id(y)); f.ID != e.id(y) {
		t.Errorf("full id of a finding with an ambiguous prefix found %s", f.ID)
	}
	_, err = e.st.Finding(e.ctx, "ffffffffffffffff")
	wantErr(t, err, store.ErrNotFound, "unknown id")
	for _, bad := range []string{"abc", "xyzxyzxyz", "0123456789abcdef0"} {
		if _, err := e.st.Finding(e.ctx, bad); err == nil {
			t.Errorf("id %q accepted", bad)
		}
	}
}

func testFilters(t *testing.T, e *env) {
	mk := func(rule, value, path string, kind finding.Kind, conf finding.Confidence) finding.Finding {
		f := e.secret(rule, value, path, 0)
		f.Kind, f.Confidence = kind, conf
		return f
	}
	s1 := []finding.Finding{
		mk("aws-key", "AKIAAAAAAAAAAAAAAAAA", "/srv/share/hr/pay.csv", finding.Secret, finding.High),
		mk("aws-key", "AKIABBBBBBBBBBBBBBBB", "/srv/shared/x.env", finding.Secret, finding.Medium),
		mk("email", "alice.smith@example.com", "/srv/share/hr/people.txt", finding.PII, finding.Low),
		mk("email", "bob.jones@example.org", "/home/bob/notes.txt", finding.PII, finding.Medium),
	}
	e.scan([]string{"/"}, s1...)
	time.Sleep(2 * time.Millisecond)
	cut := time.Now()
	late := mk("iban", "GB82WEST12345698765432", "/srv/share/fin/iban.txt", finding.PII, finding.High)
	late.Entity = "iban"
	e.scan([]string{"/"}, append(s1, late)...)
	ack := e.id(s1[1])
	_, err := e.st.SetStatus(e.ctx, ack, store.Acknowledged, "alice", "")
	e.must(err)

	idsOf := func(fs ...finding.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, e.id(f))
		}
		slices.Sort(out)
		return out
	}
	cases := []struct {
		name string
		f    store.Filter
		want []string
	}{
		{"all", store.Filter{}, idsOf(append(s1, late)...)},
		{"status", store.Filter{Status: []store.Status{store.Acknowledged}}, idsOf(s1[1])},
		{"statuses", store.Filter{Status: []store.Status{store.Acknowledged, store.Open}}, idsOf(append(s1, late)...)},
		{"kind", store.Filter{Kind: []finding.Kind{finding.PII}}, idsOf(s1[2], s1[3], late)},
		{"entity", store.Filter{Entity: []string{"email", "iban"}}, idsOf(s1[2], s1[3], late)},
		{"rule", store.Filter{Rule: []string{"aws-key"}}, idsOf(s1[0], s1[1])},
		{"path prefix", store.Filter{PathPrefix: "/srv/share/"}, idsOf(s1[0], s1[2], late)},
		{"string prefix", store.Filter{PathPrefix: "/srv/share"}, idsOf(s1[0], s1[1], s1[2], late)},
		{"min confidence", store.Filter{MinConfidence: finding.High}, idsOf(s1[0], late)},
		{"since scan", store.Filter{SinceScan: 2}, idsOf(late)},
		{"since time", store.Filter{Since: cut}, idsOf(late)},
		{"combined", store.Filter{Kind: []finding.Kind{finding.PII}, PathPrefix: "/srv/", MinConfidence: finding.Low, Status: []store.Status{store.Open}}, idsOf(s1[2], late)},
		{"nothing", store.Filter{Rule: []string{"nope"}}, nil},
	}
	for _, c := range cases {
		got := ids(e.all(c.f, 1))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		n, err := e.st.CountFindings(e.ctx, c.f)
		e.must(err)
		if n != int64(len(c.want)) {
			t.Errorf("%s: count %d, want %d", c.name, n, len(c.want))
		}
	}
}

func testPages(t *testing.T, e *env) {
	var fs []finding.Finding
	for i := range 250 {
		fs = append(fs, e.secret("aws-key", fmt.Sprintf("AKIA%016d", i), fmt.Sprintf("/d/f%03d", i), 0))
	}
	e.scan([]string{"/d"}, fs...)
	whole := e.all(store.Filter{}, 1000)
	for _, limit := range []int{1, 7, 100, 249, 250} {
		if got := e.all(store.Filter{}, limit); !reflect.DeepEqual(ids(got), ids(whole)) {
			t.Errorf("pages of %d differ from one page", limit)
		}
	}
	page, next, err := e.st.Findings(e.ctx, store.Filter{}, store.Page{})
	e.must(err)
	if len(page) != store.DefaultLimit || next != page[len(page)-1].ID {
		t.Errorf("default page: %d findings, cursor %q", len(page), next)
	}
	if _, next, _ := e.st.Findings(e.ctx, store.Filter{}, store.Page{Limit: 250}); next != "" {
		t.Errorf("exactly one full page left a cursor %q", next)
	}
}

func testRegistered(t *testing.T, e *env) {
	// One registered record found in two exports, matched on different
	// columns: one finding, each place with its own match.
	rec := func(path string, cols ...string) finding.Finding {
		f := e.secret("edm:hr-people", "row 17 of people.csv", path, 0)
		f.Kind, f.Entity, f.Masked = finding.Registered, "", "(registered record)"
		f.Match = &finding.Match{Set: "hr-people", Type: "records", Row: 17, Columns: cols, Spans: [][2]int64{{0, 9}, {20, 31}}}
		return f
	}
	a, b := rec("/r/export1.csv", "name", "iban"), rec("/r/export2.csv", "name", "email", "iban")
	e.scan([]string{"/r"}, a, b)
	f := e.get(e.id(a))
	if f.Kind != finding.Registered || f.Locations != 2 {
		t.Fatalf("registered finding %+v", f)
	}
	locs, _, err := e.st.Locations(e.ctx, f.ID, store.Page{})
	e.must(err)
	if len(locs) != 2 || !reflect.DeepEqual(locs[0].Match, a.Match) || !reflect.DeepEqual(locs[1].Match, b.Match) {
		t.Errorf("matches not kept per place: %+v", locs)
	}
	b.Match = &finding.Match{Set: "hr-people", Type: "records", Row: 17, Columns: []string{"name"}}
	e.scan([]string{"/r"}, a, b)
	locs, _, err = e.st.Locations(e.ctx, f.ID, store.Page{})
	e.must(err)
	if len(locs) != 2 || !reflect.DeepEqual(locs[1].Match, b.Match) {
		t.Errorf("a rescan did not update the match: %+v", locs[1].Match)
	}
	if locs, _, _ := e.st.Locations(e.ctx, e.id(e.secret("aws-key", awsValue, "/x", 0)), store.Page{}); len(locs) != 0 {
		t.Errorf("locations of an unknown finding: %+v", locs)
	}
}

// testFirstPlace checks which place a finding shows first and how many it
// counts: live ones before gone ones, then by path, container and offset;
// the count is of the class shown.
func testFirstPlace(t *testing.T, e *env) {
	place := func(path string, container string, off int64) finding.Finding {
		f := e.secret("aws-key", awsValue, path, off)
		if container != "" {
			f.Location.Container = []string{container}
		}
		return f
	}
	a := place("/s/a.txt", "", 50)
	zip := []finding.Finding{place("/s/b.zip", "m2", 5), place("/s/b.zip", "m1", 9), place("/s/b.zip", "m1", 3)}
	e.scan([]string{"/s"}, append([]finding.Finding{a}, zip...)...)
	check := func(when, path, container string, off, n int64) {
		t.Helper()
		f := e.get(e.id(a))
		var got string
		if len(f.Where.Container) == 1 {
			got = f.Where.Container[0]
		}
		if f.Where.Path != path || got != container || f.Where.Offset != off || f.Locations != n {
			t.Errorf("%s: first %s %v @%d of %d places, want %s [%s] @%d of %d", when, f.Where.Path, f.Where.Container, f.Where.Offset, f.Locations, path, container, off, n)
		}
	}
	check("all live", "/s/a.txt", "", 50, 4)
	e.scan([]string{"/s"}, zip...)
	check("a.txt gone", "/s/b.zip", "m1", 3, 3)
	e.scan([]string{"/s"}, zip[0], zip[1])
	check("a.txt and one member place gone", "/s/b.zip", "m1", 9, 2)
	e.scan([]string{"/s"})
	check("all gone", "/s/b.zip", "m1", 9, 2)
}
