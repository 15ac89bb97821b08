package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

func testResolveReopen(t *testing.T, e *env) {
	root := []string{"/srv/share"}
	a1 := e.secret("aws-key", awsValue, "/srv/share/a.env", 0)
	a2 := e.secret("aws-key", awsValue, "/srv/share/b.env", 5)
	b := e.secret("email", "alice.smith@example.com", "/srv/share/c.txt", 9)
	e.scan(root, a1, a2, b)
	a, bid := e.id(a1), e.id(b)

	// The email and one place of the key disappear.
	_, out := e.scan(root, a1)
	if out.Resolved != 1 || out.Reopened != 0 || out.Seen != 1 {
		t.Errorf("second scan outcome %+v, want 1 resolved", out)
	}
	e.status(bid, store.Resolved)
	e.status(a, store.Open)
	if f := e.get(a); f.Locations != 1 || f.Where.Path != "/srv/share/a.env" {
		t.Errorf("key kept %d locations (first %s), want only a.env: a gone place of a live finding is dropped", f.Locations, f.Where.Path)
	}
	// A resolved finding keeps its last known place, marked gone.
	if f := e.get(bid); f.Locations != 1 || f.Where.Path != "/srv/share/c.txt" {
		t.Errorf("resolved finding: %d locations, where %q", f.Locations, f.Where.Path)
	}
	locs, _, err := e.st.Locations(e.ctx, bid, store.Page{})
	e.must(err)
	if len(locs) != 1 || locs[0].GoneScan != 2 {
		t.Errorf("resolved finding's location %+v, want gone in scan 2", locs)
	}
	h, err := e.st.History(e.ctx, bid)
	e.must(err)
	if len(h) != 1 || h[0].Actor != store.ActorScan || h[0].From != store.Open || h[0].To != store.Resolved || h[0].ScanID != 2 || h[0].Note == "" || h[0].At.IsZero() {
		t.Errorf("resolution history %+v", h)
	}
	if _, out := e.scan(root, a1); out.Resolved != 0 {
		t.Errorf("resolved again: %+v", out)
	}

	// It comes back elsewhere under the root: reopened.
	b.Location.Path = "/srv/share/moved/c.txt"
	_, out = e.scan(root, a1, b)
	if out.Reopened != 1 || out.Resolved != 0 || out.New != 0 {
		t.Errorf("fourth scan outcome %+v, want 1 reopened", out)
	}
	e.status(bid, store.Open)
	if got := e.history(bid); !slices.Equal(got, []string{"open>resolved by leakguard", "resolved>open by leakguard"}) {
		t.Errorf("history %v", got)
	}
	if f := e.get(bid); f.Locations != 1 || f.Where.Path != "/srv/share/moved/c.txt" || f.LastScan != 4 {
		t.Errorf("reopened finding %+v", f)
	}

	// An acknowledged finding is resolved too; a manual "resolved" that a
	// scan contradicts is reopened.
	_, err = e.st.SetStatus(e.ctx, a, store.Acknowledged, "bob", "rotating it")
	e.must(err)
	_, err = e.st.SetStatus(e.ctx, bid, store.Resolved, "bob", "deleted the file, I think")
	e.must(err)
	e.scan(root, b)
	e.status(a, store.Resolved)
	e.status(bid, store.Open)
	if got := e.history(a); !slices.Equal(got, []string{"open>acknowledged by bob", "acknowledged>resolved by leakguard"}) {
		t.Errorf("history %v", got)
	}
}

// testSamePlaceAgain: a place that was gone and is seen again, at the same
// offset of the same file, is live again and its finding reopened, by a
// complete scan and by an incomplete one.
func testSamePlaceAgain(t *testing.T, e *env) {
	root := []string{"/srv/share"}
	k := e.secret("aws-key", awsValue, "/srv/share/a.env", 7)
	other := e.secret("email", "alice.smith@example.com", "/srv/share/c.txt", 0)
	id := e.id(k)
	e.scan(root, k, other)
	e.scan(root, other)
	e.status(id, store.Resolved)
	live := func(when string, scan int64) {
		t.Helper()
		locs, _, err := e.st.Locations(e.ctx, id, store.Page{})
		e.must(err)
		if len(locs) != 1 || locs[0].GoneScan != 0 || locs[0].LastScan != scan {
			t.Errorf("%s: locations %+v, want the one place live, last seen in scan %d", when, locs, scan)
		}
		e.status(id, store.Open)
	}
	scan, out := e.scan(root, k, other)
	if out.Reopened != 1 || out.Seen != 2 {
		t.Errorf("the place back: outcome %+v, want 1 reopened, 2 seen", out)
	}
	live("after a complete scan", scan)

	e.scan(root, other)
	e.status(id, store.Resolved)
	scan = e.begin(root...)
	e.write(scan, k)
	_, err := e.st.FinishScan(e.ctx, scan, store.ScanEnd{Incomplete: true})
	e.must(err)
	live("after an incomplete scan", scan)
}

func testRootScope(t *testing.T, e *env) {
	x := e.secret("aws-key", awsValue, "/srv/share/x.env", 0)
	y := e.secret("aws-key", awsValue, "/srv/other/y.env", 0)
	z := e.secret("email", "carol.white@example.net", "/srv/shared/z.txt", 0)
	e.scan([]string{"/srv"}, x, y, z)
	// A scan of /srv/share sees nothing: the key is still live under
	// /srv/other and the email is under /srv/shared, another folder.
	_, out := e.scan([]string{"/srv/share"})
	if out.Resolved != 0 {
		t.Errorf("scan of /srv/share resolved %d findings, want 0", out.Resolved)
	}
	e.status(e.id(x), store.Open)
	e.status(e.id(z), store.Open)
	if f := e.get(e.id(x)); f.Locations != 1 || f.Where.Path != "/srv/other/y.env" {
		t.Errorf("key: %d live locations, first %s; want only /srv/other/y.env", f.Locations, f.Where.Path)
	}
	_, out = e.scan([]string{"/srv/other/"})
	if out.Resolved != 1 {
		t.Errorf("scan of /srv/other/ resolved %d, want the key", out.Resolved)
	}
	e.status(e.id(x), store.Resolved)
	// A root that is a file covers that file.
	_, out = e.scan([]string{"/srv/shared/z.txt"})
	if out.Resolved != 1 {
		t.Errorf("scan of the file itself resolved %d, want 1", out.Resolved)
	}
}

func testIncomplete(t *testing.T, e *env) {
	f := e.secret("aws-key", awsValue, "/r/a.env", 0)
	g := e.secret("email", "dave.brown@example.com", "/r/b.txt", 0)
	e.scan([]string{"/r"}, f, g)
	e.scan([]string{"/r"}, f) // g resolved
	id := e.begin("/r")
	e.write(id, g)
	out, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{Incomplete: true})
	e.must(err)
	if out.Resolved != 0 || out.Reopened != 1 {
		t.Errorf("incomplete scan outcome %+v, want nothing resolved, g reopened", out)
	}
	e.status(e.id(f), store.Open)
	e.status(e.id(g), store.Open)
	// Its place, gone in scan 2, is live again.
	locs, _, err := e.st.Locations(e.ctx, e.id(g), store.Page{})
	e.must(err)
	if len(locs) != 1 || locs[0].GoneScan != 0 || locs[0].LastScan != id {
		t.Errorf("location seen again: %+v, want live, last seen in scan %d", locs, id)
	}
	s, err := e.st.Scan(e.ctx, id)
	e.must(err)
	if s.State != store.Incomplete {
		t.Errorf("scan state %s, want incomplete", s.State)
	}
}

func testDecisions(t *testing.T, e *env) {
	fp := e.secret("aws-key", "AKIAEXAMPLEEXAMPLE00", "/r/docs/example.md", 0)
	ar := e.secret("email", "erin.green@example.com", "/r/legacy.txt", 0)
	e.scan([]string{"/r"}, fp, ar)
	_, err := e.st.SetStatus(e.ctx, e.id(fp), store.FalsePositive, "alice", "documentation example")
	e.must(err)
	_, err = e.st.SetStatus(e.ctx, e.id(ar), store.AcceptedRisk, "alice", "public contact")
	e.must(err)
	e.scan([]string{"/r"}, fp, ar) // seen again: decisions stand
	e.status(e.id(fp), store.FalsePositive)
	e.status(e.id(ar), store.AcceptedRisk)
	_, out := e.scan([]string{"/r"}) // gone: decisions stand
	if out.Resolved != 0 {
		t.Errorf("decided findings resolved: %+v", out)
	}
	e.status(e.id(fp), store.FalsePositive)
	e.status(e.id(ar), store.AcceptedRisk)
	if got := e.history(e.id(fp)); !slices.Equal(got, []string{"open>false-positive by alice"}) {
		t.Errorf("history %v", got)
	}
	// Reopened by hand after the places have gone: the next scan resolves it.
	_, err = e.st.SetStatus(e.ctx, e.id(ar), store.Open, "bob", "not public after all")
	e.must(err)
	e.scan([]string{"/elsewhere"})
	e.status(e.id(ar), store.Resolved)
}

func testTriage(t *testing.T, e *env) {
	f := e.secret("aws-key", awsValue, "/r/a.env", 0)
	e.scan([]string{"/r"}, f)
	id := e.id(f)
	c, err := e.st.SetStatus(e.ctx, id, store.Acknowledged, "alice", "ticket SEC-42")
	e.must(err)
	if c.From != store.Open || c.To != store.Acknowledged || c.Actor != "alice" || c.Note != "ticket SEC-42" || c.At.IsZero() || c.FindingID != id {
		t.Errorf("change %+v", c)
	}
	got := e.get(id)
	if got.Status != store.Acknowledged || !got.StatusChanged.Equal(c.At) {
		t.Errorf("after set: %+v", got)
	}
	// The same status again records the note without changing the time.
	_, err = e.st.SetStatus(e.ctx, id, store.Acknowledged, "bob", "still on it")
	e.must(err)
	if g := e.get(id); !g.StatusChanged.Equal(got.StatusChanged) {
		t.Errorf("status time moved on a note: %v -> %v", got.StatusChanged, g.StatusChanged)
	}
	h, err := e.st.History(e.ctx, id)
	e.must(err)
	if len(h) != 2 || h[1].Note != "still on it" || h[1].From != store.Acknowledged || h[1].ScanID != 0 {
		t.Errorf("history %+v", h)
	}
	_, err = e.st.SetStatus(e.ctx, "0000000000000000", store.Open, "alice", "")
	wantErr(t, err, store.ErrNotFound, "unknown finding")
	if _, err := e.st.SetStatus(e.ctx, id, "fixed", "alice", ""); err == nil {
		t.Error("unknown status accepted")
	}
	if _, err := e.st.SetStatus(e.ctx, id, store.Open, " ", ""); err == nil {
		t.Error("empty actor accepted")
	}
	e.status(id, store.Acknowledged)
}

// testHolders: a caller that writes places without recording the items
// holding them (Store.Write asks for them) still has them settled: the
// places' paths get item rows, a rescan of the root that no longer sees
// one resolves its finding, and a later record of the item itself wins
// over the stand-in row.
func testHolders(t *testing.T, e *env) {
	f := e.secret("aws-key", awsValue, "/h/a.env", 0)
	g := e.secret("email", "erin.west@example.com", "/h/b.txt", 0)
	for _, fs := range [][]finding.Finding{{f, g}, {f}} {
		id := e.begin("/h")
		e.must(e.st.Write(e.ctx, id, store.Batch{Findings: fs}))
		if _, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{}); err != nil {
			t.Fatal(err)
		}
	}
	e.status(e.id(f), store.Open)
	e.status(e.id(g), store.Resolved)

	real := store.Item{Root: "/h", Path: "/h/a.env", Size: 40, ModTime: time.Unix(1700000000, 0)}
	id := e.begin("/h")
	e.must(e.st.Write(e.ctx, id, store.Batch{Items: []store.Item{real}}))
	e.must(e.st.Write(e.ctx, id, store.Batch{Findings: []finding.Finding{f}})) // the item came first this time
	_, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{})
	e.must(err)
	if ok, err := e.st.Unchanged(e.ctx, "d1", []store.Item{real}); err != nil || !ok[0] {
		t.Errorf("the recorded item was replaced by a stand-in: unchanged %v (%v)", ok, err)
	}
}

// testSeenUnderRoot checks the count of findings seen (live under the
// scan's roots) against places outside them in each direction of path
// order: before the root, beside it with the root as a prefix (/p-old
// sorts between /p and /p/), and after it. The count skips its path test
// when no place lies outside, so each step puts one kind outside.
func testSeenUnderRoot(t *testing.T, e *env) {
	mail := func(user, path string) finding.Finding {
		return e.secret("email", user+"@example.org", path, 0)
	}
	steps := []struct {
		name  string
		roots []string
		fs    []finding.Finding
		seen  int64
	}{
		{"all under the root", []string{"/p"}, []finding.Finding{mail("in", "/p/in.txt")}, 1},
		{"a sibling with the root as prefix", []string{"/p-old"}, []finding.Finding{mail("old", "/p-old/a.txt")}, 1},
		{"beside: /p-old is not under /p", []string{"/p"}, []finding.Finding{mail("in", "/p/in.txt")}, 1},
		{"before: /p and /p-old sort before /z", []string{"/z"}, []finding.Finding{mail("z", "/z/f.txt")}, 1},
		{"after: /p, /p-old and /z sort after /a", []string{"/a"}, []finding.Finding{mail("a", "/a/f.txt")}, 1},
		{"a root that is a file", []string{"/p/in.txt"}, []finding.Finding{mail("in", "/p/in.txt")}, 1},
		{"relative paths", []string{"."}, []finding.Finding{mail("rel", "docs/r.txt")}, 1},
		{"every root", []string{"/"}, []finding.Finding{mail("in", "/p/in.txt"), mail("z", "/z/f.txt")}, 2},
	}
	for _, s := range steps {
		if _, out := e.scan(s.roots, s.fs...); out.Seen != s.seen {
			t.Errorf("%s: seen %d, want %d", s.name, out.Seen, s.seen)
		}
	}
}
