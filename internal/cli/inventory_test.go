package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/scan"
	fssource "github.com/leakguard/leakguard/internal/source/fs"
	"github.com/leakguard/leakguard/internal/store"
)

// scanInto scans root with the built-in rules into the state directory's
// inventory, wired as 'scan' wires it, and returns the scan's outcome.
func scanInto(t *testing.T, state, root string) store.Outcome {
	t.Helper()
	ctx := context.Background()
	sf := scanFlags{engineFlags: engineFlags{minConfidence: "low", state: state}}
	e, err := sf.build()
	if err != nil {
		t.Fatal(err)
	}
	inv, err := openInventory(ctx, &sf)
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.begin(ctx, &sf, []string{root}, ""); err != nil {
		t.Fatal(err)
	}
	sc, err := scan.New(e, scan.Options{Workers: 2, ItemDone: inv.itemDone(ctx)})
	if err != nil {
		t.Fatal(err)
	}
	stats, err := sc.Run(ctx, fssource.New([]string{root}, fssource.Options{}), inv)
	out, _, ferr := inv.finish(ctx, stats, err != nil)
	if err != nil || ferr != nil {
		t.Fatal(err, ferr)
	}
	return out
}

// Planted values in documented formats; none is a real credential.
const (
	plantedKey  = "AKIAZX3KQ7PLM2NB8VYT"
	plantedPass = "Tr0ub4dorHorseStaple9"
	plantedMail = "grace.hopper.planted@example.com"
)

func listJSON(t *testing.T, args ...string) findingsPage {
	t.Helper()
	code, out, errs := run(t, "", append([]string{"findings", "list", "--format", "json"}, args...)...)
	if code != ExitClean {
		t.Fatalf("findings list %v: exit %d: %s", args, code, errs)
	}
	var p findingsPage
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("findings list %v: %v\n%s", args, err, out)
	}
	return p
}

// TestInventoryTriageAcrossScans drives the inventory through the CLI over
// real scans: list, show, set; a decision survives rescans, a deleted
// secret is resolved, and one that comes back is reopened. Then it searches
// the SQLite files for every planted value.
func TestInventoryTriageAcrossScans(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", state)
	t.Setenv(store.EnvDB, "")
	t.Setenv("USER", "alice")
	root := tree(t, map[string]string{
		"conf/app.env":    "AWS_ACCESS_KEY_ID=" + plantedKey + "\n",
		"conf/copy.env":   "# backup\nAWS_ACCESS_KEY_ID=" + plantedKey + "\n",
		"db/.env":         "DB_PASSWORD=" + plantedPass + "\n",
		"hr/contacts.txt": "Contact: " + plantedMail + "\n",
	})
	if code, _, errs := run(t, "", "findings", "list"); code != ExitError || !strings.Contains(errs, "no inventory") {
		t.Errorf("list before any scan: exit %d, %q", code, errs)
	}
	out := scanInto(t, state, root)
	all := listJSON(t)
	if out.New == 0 || int64(len(all.Findings)) != out.New || all.Total != out.New {
		t.Fatalf("scan 1 outcome %+v, listed %d of %d", out, len(all.Findings), all.Total)
	}
	byPath := map[string]store.Finding{}
	for _, f := range all.Findings {
		byPath[f.Where.Path] = f
		if f.Status != store.Open || len(f.ID) != store.IDLen {
			t.Errorf("new finding %+v", f)
		}
	}
	key, ok := byPath[filepath.Join(root, "conf/app.env")]
	if !ok || key.Locations != 2 {
		t.Fatalf("the key in two files should be one finding with 2 places: %+v", all.Findings)
	}
	pass, ok := byPath[filepath.Join(root, "db/.env")]
	if !ok {
		t.Fatalf("no finding for the password: %+v", all.Findings)
	}

	// Triage by id prefix; the text list and show agree.
	code, stdout, errs := run(t, "", "findings", "set", key.ID[:8], "--status", "false-positive", "--note", "rotated test key")
	if code != ExitClean || !strings.Contains(stdout, key.ID+": open → false-positive") {
		t.Fatalf("set: exit %d %q %q", code, stdout, errs)
	}
	code, stdout, _ = run(t, "", "findings", "show", key.ID)
	for _, want := range []string{key.ID, "false-positive", "conf/app.env:1:", "conf/copy.env:2:", "open → false-positive by alice: \"rotated test key\"", key.Masked} {
		if code != ExitClean || !strings.Contains(stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = run(t, "", "findings", "list", "--status", "open")
	if code != ExitClean || strings.Contains(stdout, key.ID) || !strings.Contains(stdout, pass.ID) {
		t.Errorf("text list of open findings:\n%s", stdout)
	}

	// The password file is deleted, the key file rewritten with the same
	// key: resolved and false-positive respectively.
	os.Remove(filepath.Join(root, "db/.env"))
	time.Sleep(10 * time.Millisecond)
	if out := scanInto(t, state, root); out.Resolved != 1 || out.New != 0 {
		t.Errorf("scan 2 outcome %+v, want the password resolved", out)
	}
	if l := listJSON(t, "--status", "resolved"); len(l.Findings) != 1 || l.Findings[0].ID != pass.ID {
		t.Errorf("resolved after scan 2: %+v", l.Findings)
	}
	// It comes back: reopened; the decision on the key still stands.
	os.WriteFile(filepath.Join(root, "db/.env"), []byte("DB_PASSWORD="+plantedPass+"\n"), 0o644)
	if out := scanInto(t, state, root); out.Reopened != 1 {
		t.Errorf("scan 3 outcome %+v, want the password reopened", out)
	}
	got := map[string]store.Status{}
	for _, f := range listJSON(t).Findings {
		got[f.ID] = f.Status
	}
	if got[pass.ID] != store.Open || got[key.ID] != store.FalsePositive {
		t.Errorf("after scan 3: %v", got)
	}
	code, stdout, _ = run(t, "", "findings", "show", pass.ID, "--format", "json")
	var shown struct {
		History []store.Change `json:"history"`
	}
	json.Unmarshal([]byte(stdout), &shown)
	var hist []string
	for _, c := range shown.History {
		hist = append(hist, string(c.From)+">"+string(c.To)+" "+c.Actor)
	}
	if code != ExitClean || !slices.Equal(hist, []string{"open>resolved leakguard", "resolved>open leakguard"}) {
		t.Errorf("password history %v", hist)
	}

	// Scans: three, newest first; scan 2 resolved one.
	code, stdout, _ = run(t, "", "scans", "list", "--format", "json")
	var scans struct{ Scans []store.Scan }
	json.Unmarshal([]byte(stdout), &scans)
	if code != ExitClean || len(scans.Scans) != 3 || scans.Scans[0].ID != 3 || scans.Scans[1].Outcome.Resolved != 1 {
		t.Errorf("scans list: %s", stdout)
	}
	code, stdout, _ = run(t, "", "scans", "show", "2")
	if code != ExitClean || !strings.Contains(stdout, "1 resolved") || !strings.Contains(stdout, root) {
		t.Errorf("scans show 2:\n%s", stdout)
	}

	// Never plaintext: the inventory's files hold none of the values.
	var raw []byte
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, _ := os.ReadFile(filepath.Join(state, store.DBFile+suffix))
		raw = append(raw, b...)
	}
	if !bytes.Contains(raw, []byte(key.Masked)) {
		t.Fatalf("the inventory files do not hold the masked preview %q: nothing was audited", key.Masked)
	}
	for _, v := range []string{plantedKey, plantedPass, plantedMail} {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("planted value %.4s… found in the inventory", v)
		}
	}
}

func TestInventoryFlagsAndFormats(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", t.TempDir()) // not the one used: --state and --db win
	t.Setenv(store.EnvDB, "")
	root := tree(t, map[string]string{"a.env": "AWS_ACCESS_KEY_ID=" + plantedKey + "\n", "b.env": "DB_PASSWORD=" + plantedPass + "\n"})
	scanInto(t, state, root)
	db := filepath.Join(state, store.DBFile)

	for _, args := range [][]string{{"--state", state}, {"--db", db}, {"--db", "sqlite:" + db}} {
		code, out, errs := run(t, "", append([]string{"findings", "list", "--format", "csv"}, args...)...)
		if code != ExitClean {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) != 3 || !slices.Equal(rows[0], findingsHeader) {
			t.Fatalf("%v: csv %v %v", args, rows, err)
		}
	}
	// Scanned names are attacker-controlled: a cell must not start a formula.
	if got := defuseRow([]string{"=cmd|' /C calc'!A0", "@SUM(1)", "-2", "+1", "/srv/ok", ""}); !slices.Equal(got,
		[]string{"'=cmd|' /C calc'!A0", "'@SUM(1)", "'-2", "'+1", "/srv/ok", ""}) {
		t.Errorf("defuseRow: %q", got)
	}
	t.Setenv(store.EnvDB, db)
	if p := listJSON(t); p.Total != 2 {
		t.Errorf("$%s: %d findings", store.EnvDB, p.Total)
	}
	// Pages: one at a time, following the cursor, ends where a full list does.
	first := listJSON(t, "--limit", "1")
	if len(first.Findings) != 1 || first.Next == "" {
		t.Fatalf("first page %+v", first)
	}
	second := listJSON(t, "--limit", "1", "--after", first.Next)
	if len(second.Findings) != 1 || second.Next != "" || second.Findings[0].ID <= first.Findings[0].ID {
		t.Errorf("second page %+v", second)
	}
	if p := listJSON(t, "--since", "1h", "--min-confidence", "low", "--kind", "secret", "--path", root+"/"); p.Total != 2 {
		t.Errorf("filters keeping everything: %d", p.Total)
	}
	if p := listJSON(t, "--since-scan", "2"); p.Total != 0 {
		t.Errorf("--since-scan 2: %d", p.Total)
	}
	if p := listJSON(t, "--path", filepath.Join(root, "a.env")); p.Total != 1 {
		t.Errorf("--path of one file: %d", p.Total)
	}

	fails := [][]string{
		{"findings", "show", "0000000000000000"},
		{"findings", "show", "abc"},
		{"findings", "set", first.Findings[0].ID},
		{"findings", "set", first.Findings[0].ID, "--status", "fixed"},
		{"findings", "list", "--status", "done"},
		{"findings", "list", "--since", "last week"},
		{"findings", "list", "--format", "xml"},
		{"scans", "show", "x"},
		{"scans", "show", "9"},
		{"findings", "list", "--db", filepath.Join(t.TempDir(), "none.db")},
	}
	for _, args := range fails {
		if code, _, errs := run(t, "", args...); code != ExitError || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with a message", args, code, errs)
		}
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"7d":                   now.AddDate(0, 0, -7),
		"36h":                  now.Add(-36 * time.Hour),
		"2026-03-01T08:00:00Z": time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
		"2026-03-01":           time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local),
	} {
		got, err := parseSince(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "-3d", "-1h"} {
		if _, err := parseSince(bad, now); err == nil {
			t.Errorf("parseSince(%q) accepted", bad)
		}
	}
}

// TestFindingsListStreams lists a whole inventory a page of the store at a
// time (two findings here): the JSON is the document writeJSON gives for
// all of it at once, and the CSV has one header and a row per finding.
func TestFindingsListStreams(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", state)
	t.Setenv(store.EnvDB, "")
	root := tree(t, map[string]string{
		"conf/app.env":    "AWS_ACCESS_KEY_ID=" + plantedKey + "\n",
		"db/.env":         "DB_PASSWORD=" + plantedPass + "\n",
		"hr/contacts.txt": "Contact: " + plantedMail + " <b>&</b>\n",
	})
	out := scanInto(t, state, root)
	if out.New < 3 {
		t.Fatalf("scan outcome %+v, want 3 findings at least", out)
	}
	defer func(n int) { listPage = n }(listPage)
	listPage = 2
	_, got, _ := run(t, "", "findings", "list", "--format", "json", "--limit", "0")
	var page findingsPage
	if err := json.Unmarshal([]byte(got), &page); err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	if int64(len(page.Findings)) != out.New || page.Total != out.New || page.Next != "" {
		t.Errorf("listed %d of %d (next %q), want all %d", len(page.Findings), page.Total, page.Next, out.New)
	}
	var want bytes.Buffer
	if err := writeJSON(&want, page); err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		t.Errorf("streamed JSON:\n%s\nwant:\n%s", got, want.String())
	}
	_, got, _ = run(t, "", "findings", "list", "--format", "csv", "--limit", "0")
	rows, err := csv.NewReader(strings.NewReader(got)).ReadAll()
	if err != nil || int64(len(rows)) != 1+out.New || rows[0][0] != "id" {
		t.Errorf("CSV: %d rows (%v), want a header and %d:\n%s", len(rows), err, out.New, got)
	}
	// A page asked for is one page, with the cursor of the next.
	_, got, _ = run(t, "", "findings", "list", "--format", "json", "--limit", "1")
	if err := json.Unmarshal([]byte(got), &page); err != nil || len(page.Findings) != 1 || page.Next == "" {
		t.Errorf("one page: %d findings, next %q (%v)", len(page.Findings), page.Next, err)
	}
}
