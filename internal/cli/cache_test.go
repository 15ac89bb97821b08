package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/report"
	"github.com/leakguard/leakguard/internal/scancache"
)

func TestScanCacheReplaysUnchangedFiles(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{
		"conf/.env":  secretLine,
		"notes.txt":  "contact: jane.doe@example.com\n",
		"clean.txt":  "nothing to see here\n",
		"other/.env": "API_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\n",
	})
	cache := filepath.Join(t.TempDir(), "scan.cache")
	scanJSON := func() report.Result { return scanCached(t, cache, dir) }
	first := scanJSON()
	if first.Stats.Cached != 0 || len(first.Findings) < 3 {
		t.Fatalf("first scan: cached %d, %d findings", first.Stats.Cached, len(first.Findings))
	}
	second := scanJSON()
	if second.Stats.Cached != 4 || second.Stats.Bytes != 0 {
		t.Errorf("second scan: cached %d items, read %d bytes; want 4 and 0", second.Stats.Cached, second.Stats.Bytes)
	}
	if a, b := mustJSON(t, first.Findings), mustJSON(t, second.Findings); a != b {
		t.Errorf("replayed findings differ:\n%s\n%s", a, b)
	}

	// A changed file is read again; the others are still replayed.
	p := filepath.Join(dir, "clean.txt")
	os.WriteFile(p, []byte("now with a password=Tr0ub4dor&3xyz\n"), 0o644)
	os.Chtimes(p, time.Now(), time.Now().Add(time.Second))
	third := scanJSON()
	if third.Stats.Cached != 3 || len(third.Findings) != len(first.Findings)+1 {
		t.Errorf("after a change: cached %d (want 3), %d findings (want %d)", third.Stats.Cached, len(third.Findings), len(first.Findings)+1)
	}

	// Other rules: the cache is not reused.
	_, out, _ := run(t, "", "scan", "--format", "json", "--kind", "secret", "--cache", cache, dir)
	var res report.Result
	json.Unmarshal([]byte(out), &res)
	if res.Stats.Cached != 0 {
		t.Errorf("cache reused under other rules: %d cached", res.Stats.Cached)
	}
}

// A file rewritten with the same size in the same timestamp tick as the
// scan that read it keeps its size, time and inode: the content hash taken
// because its time was that close to the scan is what tells the rescan to
// read it again. A file untouched for long is trusted without a hash.
func TestScanCacheRereadsRacyRewrite(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{
		"racy.env":  "DB_PASSWORD=s3cr3tPa55w0rd\n",
		"same.env":  secretLine,
		"aged.env":  "API_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\n",
		"clean.txt": "nothing to see here\n",
	})
	aged := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "aged.env"), aged, aged); err != nil {
		t.Fatal(err)
	}
	// racy.env and same.env must be read within the granularity of their
	// time. On a shared machine the scan may start seconds from now (rules
	// compile first), so their time is set ahead by more than any such
	// delay: a time not yet past when read is in doubt all the same.
	// (scancache's own test takes the same second with a clock of its own.)
	tick := time.Now().Add(30 * scancache.Granularity)
	for _, f := range []string{"racy.env", "same.env"} {
		if err := os.Chtimes(filepath.Join(dir, f), tick, tick); err != nil {
			t.Fatal(err)
		}
	}
	cache := filepath.Join(t.TempDir(), "scan.cache")
	scanJSON := func() report.Result { return scanCached(t, cache, dir) }
	masked := func(r report.Result, path string) []string {
		var out []string
		for _, f := range r.Findings {
			if filepath.Base(f.Location.Path) == path {
				out = append(out, f.Masked)
			}
		}
		return out
	}
	first := scanJSON()
	if first.Stats.Cached != 0 || len(masked(first, "racy.env")) != 1 {
		t.Fatalf("first scan: cached %d, racy.env findings %v", first.Stats.Cached, masked(first, "racy.env"))
	}
	// A record's head is its path, size, time, identity and hash.
	raw, _ := os.ReadFile(cache)
	for _, f := range []string{"racy.env", "same.env"} {
		i := bytes.Index(raw, []byte(f))
		if i < 0 || !bytes.Contains(raw[i:min(len(raw), i+len(f)+64)], []byte("sha256:")) {
			t.Fatalf("the cache holds no content hash of %s, a file in doubt", f)
		}
	}

	// Same size, same modification time, same inode, other secret.
	p := filepath.Join(dir, "racy.env")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("DB_PASSWORD=Xq9vTzL2mW8rKp\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if fj, _ := os.Stat(p); fj.Size() != fi.Size() || !fj.ModTime().Equal(fi.ModTime()) || !os.SameFile(fi, fj) {
		t.Fatal("the rewrite changed size, time or identity; the test needs them unchanged")
	}
	// The aged file gets the same treatment: outside the window of doubt,
	// size, time and identity are trusted (the hole every such cache has,
	// narrowed to files changed behind the scan's back without a new time).
	pa := filepath.Join(dir, "aged.env")
	if err := os.WriteFile(pa, []byte("API_TOKEN=ghp_ZYXWVUTSRQPONMLKJIzyxwvutsrqpo987654\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(pa, aged, aged)

	second := scanJSON()
	if second.Stats.Cached != 3 {
		t.Errorf("second scan: %d items replayed, want 3 (all but the rewritten racy.env)", second.Stats.Cached)
	}
	if a, b := masked(first, "racy.env"), masked(second, "racy.env"); len(b) != 1 || a[0] == b[0] {
		t.Errorf("racy.env not read again: findings %v, then %v", a, b)
	}
	if a, b := masked(first, "same.env"), masked(second, "same.env"); mustJSON(t, a) != mustJSON(t, b) {
		t.Errorf("same.env (in doubt, unchanged) changed: %v, then %v", a, b)
	}
	if a, b := masked(first, "aged.env"), masked(second, "aged.env"); mustJSON(t, a) != mustJSON(t, b) {
		t.Errorf("aged.env was read again (%v, then %v); files outside the window are trusted", a, b)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// scanCached scans dir with the cache file cache and returns the JSON report.
func scanCached(t *testing.T, cache, dir string) report.Result {
	t.Helper()
	res, _ := scanReport(t, "--cache", cache, dir)
	return res
}

// scanReport runs 'scan --format json' with args and returns the report
// and what it said on standard error.
func scanReport(t *testing.T, args ...string) (report.Result, string) {
	t.Helper()
	_, out, errs := run(t, "", append([]string{"scan", "--format", "json"}, args...)...)
	var res report.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, errs)
	}
	return res, errs
}

// A cache remembers what was recorded into one inventory: replaying it
// into another (the inventory file deleted, or another --db) would mark
// the items reused there while none of their findings is in it. The
// cache is bound to the inventory's identity, so such a scan reads
// everything and records it.
func TestScanCacheBoundToInventory(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", state)
	dir := tree(t, map[string]string{
		"conf/.env": secretLine,
		"notes.txt": "contact: jane.doe@example.com\n",
	})
	scan := func(args ...string) report.Result {
		t.Helper()
		res, _ := scanReport(t, append(args, dir)...)
		return res
	}
	listed := func(args ...string) int {
		t.Helper()
		return len(listJSON(t, args...).Findings)
	}
	first := scan()
	n := listed()
	if len(first.Findings) < 2 || n < 2 {
		t.Fatalf("first scan: %d findings reported, %d in the inventory", len(first.Findings), n)
	}
	if again := scan(); again.Stats.Cached != 2 {
		t.Fatalf("rescan into the same inventory: %d items cached, want 2", again.Stats.Cached)
	}

	other := filepath.Join(t.TempDir(), "other.db")
	if res := scan("--db", other); res.Stats.Cached != 0 || len(res.Findings) != len(first.Findings) {
		t.Errorf("scan into another inventory: %d cached (want 0), %d findings (want %d)", res.Stats.Cached, len(res.Findings), len(first.Findings))
	}
	if got := listed("--db", other); got != n {
		t.Errorf("other inventory holds %d findings, want %d", got, n)
	}

	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(state, "inventory.db"+suffix))
	}
	if res := scan(); res.Stats.Cached != 0 {
		t.Errorf("scan into a new inventory.db: %d cached, want 0", res.Stats.Cached)
	}
	if got := listed(); got != n {
		t.Errorf("new inventory holds %d findings, want %d", got, n)
	}
}

// A recorded rescan that reuses unchanged files keeps their findings open
// (files without findings are not even written to the inventory), and
// still resolves the findings of a deleted file and of one edited clean.
func TestRescanKeepsReusedAndResolvesGone(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{
		"keep/.env": secretLine,
		"clean.txt": "nothing to see here\n",
		"gone.txt":  "contact: jane.doe@example.com\n",
		"edit.txt":  "contact: john.roe@example.org\n",
	})
	scan := func() (report.Result, string) {
		t.Helper()
		return scanReport(t, dir)
	}
	ids := func(status string) map[string]string {
		t.Helper()
		m := map[string]string{}
		for _, f := range listJSON(t, "--status", status).Findings {
			m[filepath.Base(f.Where.Path)] = f.ID
		}
		return m
	}
	scan()
	open := ids("open")
	for _, f := range []string{".env", "gone.txt", "edit.txt"} {
		if open[f] == "" {
			t.Fatalf("first scan: no open finding in %s: %v", f, open)
		}
	}
	if res, errs := scan(); res.Stats.Cached != 4 || !strings.Contains(errs, ", 0 new, 0 resolved") {
		t.Errorf("unchanged rescan: %d cached (want 4); %s", res.Stats.Cached, errs)
	}
	if again := ids("open"); len(again) != len(open) {
		t.Errorf("open after an unchanged rescan: %v, want %v", again, open)
	}

	os.Remove(filepath.Join(dir, "gone.txt"))
	edit := filepath.Join(dir, "edit.txt")
	os.WriteFile(edit, []byte("no address any more\n"), 0o644)
	os.Chtimes(edit, time.Now(), time.Now().Add(time.Second))
	for range 2 { // the second rescan reuses the edited file, now clean
		res, errs := scan()
		if !strings.Contains(errs, ", 0 reopened") {
			t.Errorf("rescan: %s", errs)
		}
		resolved, open := ids("resolved"), ids("open")
		if resolved["gone.txt"] == "" || resolved["edit.txt"] == "" || open[".env"] == "" || len(open) != 1 {
			t.Errorf("after deleting gone.txt and editing edit.txt (%d cached): open %v, resolved %v", res.Stats.Cached, open, resolved)
		}
	}
}
