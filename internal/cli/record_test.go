package cli

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
)

type jsonReport struct {
	Findings []finding.Finding `json:"findings"`
	Stats    finding.Stats     `json:"stats"`
}

// TestScanRecordsIncrementally checks that 'scan' records into the
// inventory by default, that a rescan of an unchanged tree reads nothing yet
// reports (and exits) as the first did, that --full reads everything again,
// and that --no-store leaves the inventory alone.
func TestScanRecordsIncrementally(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", state)
	t.Setenv("LEAKGUARD_DB", "")
	root := tree(t, map[string]string{"a/app.env": "AWS_ACCESS_KEY_ID=" + plantedKey + "\n", "b/notes.txt": "nothing here\n"})
	scanJSON := func(args ...string) (int, jsonReport, string) {
		t.Helper()
		code, out, errs := run(t, "", append([]string{"scan", "--format", "json", "--no-progress"}, append(args, root)...)...)
		var r jsonReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("scan %v: %v\n%s\n%s", args, err, out, errs)
		}
		return code, r, errs
	}
	code, first, errs := scanJSON()
	if code != ExitFindings || len(first.Findings) != 1 || first.Stats.Cached != 0 || !strings.Contains(errs, "scan 1 recorded: 1 findings, 1 new") {
		t.Fatalf("first scan: exit %d, %d findings, stats %+v\n%s", code, len(first.Findings), first.Stats, errs)
	}
	code, again, errs := scanJSON()
	if code != ExitFindings || len(again.Findings) != 1 || again.Stats.Cached != 2 || again.Stats.Bytes != 0 ||
		!strings.Contains(errs, "scan 2 recorded: 1 findings, 0 new, 0 resolved") {
		t.Errorf("unchanged rescan: exit %d, %d findings, stats %+v\n%s", code, len(again.Findings), again.Stats, errs)
	}
	if again.Findings[0].Fingerprint != first.Findings[0].Fingerprint {
		t.Errorf("replayed finding differs: %+v vs %+v", again.Findings[0], first.Findings[0])
	}
	// A file replaced by another of the same size and time (a new inode,
	// as a restore or a rename over it leaves) is read again.
	notes := filepath.Join(root, "b/notes.txt")
	fi, _ := os.Stat(notes)
	tmp := filepath.Join(root, "b/notes.new")
	os.WriteFile(tmp, []byte("NOTHING here\n"), 0o644)
	os.Chtimes(tmp, fi.ModTime(), fi.ModTime())
	if err := os.Rename(tmp, notes); err != nil {
		t.Fatal(err)
	}
	if _, swapped, _ := scanJSON(); swapped.Stats.Cached != 1 || swapped.Stats.Bytes == 0 {
		t.Errorf("after a same-size, same-time replacement: stats %+v, want that file read again", swapped.Stats)
	}
	_, full, _ := scanJSON("--full")
	if full.Stats.Cached != 0 || full.Stats.Bytes == 0 {
		t.Errorf("--full: stats %+v, want every file read", full.Stats)
	}
	os.Remove(filepath.Join(root, "a/app.env"))
	if _, _, errs := scanJSON(); !strings.Contains(errs, "0 findings, 0 new, 1 resolved") {
		t.Errorf("after the key was removed: %s", errs)
	}
	if _, _, errs := scanJSON("--no-store"); strings.Contains(errs, "inventory") {
		t.Errorf("--no-store recorded: %s", errs)
	}
	if _, out, _ := run(t, "", "scans", "list", "--format", "json"); strings.Count(out, `"id"`) != 5 {
		t.Errorf("scans list: want 5 recorded scans\n%s", out)
	}
}

// TestScanRefusesAnotherKey: a scan whose installation key is not the one
// the inventory's fingerprints were made with is refused before it writes
// anything, with an error that says where its key came from: recorded, it
// would have resolved the finding and added it again under another id,
// its triage lost. The scan without the inventory still runs.
func TestScanRefusesAnotherKey(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", state)
	t.Setenv("LEAKGUARD_DB", "")
	t.Setenv(keyed.EnvKey, "")
	root := tree(t, map[string]string{"app.env": "AWS_ACCESS_KEY_ID=" + plantedKey + "\n"})
	if code, _, errs := run(t, "", "scan", "--no-progress", root); code != ExitFindings {
		t.Fatalf("first scan, key from the state directory: exit %d\n%s", code, errs)
	}
	t.Setenv(keyed.EnvKey, strings.Repeat("ab", keyed.KeySize))
	code, _, errs := run(t, "", "scan", "--no-progress", root)
	if code != ExitError || !strings.Contains(errs, "another installation key") || !strings.Contains(errs, "$"+keyed.EnvKey) {
		t.Fatalf("scan with another key: exit %d, want %d and the reason\n%s", code, ExitError, errs)
	}
	if code, _, errs := run(t, "", "scan", "--no-progress", "--no-store", root); code != ExitFindings {
		t.Errorf("--no-store with another key: exit %d\n%s", code, errs)
	}
	t.Setenv(keyed.EnvKey, "")
	if code, _, errs := run(t, "", "scan", "--no-progress", root); code != ExitFindings || !strings.Contains(errs, "0 new, 0 resolved") {
		t.Errorf("the inventory's own key again: exit %d\n%s", code, errs)
	}
	if _, out, _ := run(t, "", "scans", "list", "--format", "json"); strings.Count(out, `"id"`) != 2 {
		t.Errorf("scans list: want the 2 scans with the inventory's key\n%s", out)
	}
}

// TestScanReportsAFailedLastWrite checks what happens when the inventory
// refuses the scan's last rows, which are written after the scan, while the
// report is: the report is whole, the command fails with the inventory's
// error, the scan stays incomplete, and the scan cache is not saved, so that
// the next scan does not trust what was not recorded.
func TestScanReportsAFailedLastWrite(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", state)
	t.Setenv("LEAKGUARD_DB", "")
	root := tree(t, map[string]string{"app.env": "AWS_ACCESS_KEY_ID=" + plantedKey + "\n", "notes.txt": "nothing here\n"})
	if code, _, errs := run(t, "", "scan", "--no-progress", root); code != ExitFindings {
		t.Fatalf("first scan: exit %d\n%s", code, errs)
	}
	caches, _ := filepath.Glob(filepath.Join(state, "cache", "*.cache"))
	if len(caches) != 1 {
		t.Fatalf("scan caches after the first scan: %v", caches)
	}
	before, err := os.ReadFile(caches[0])
	if err != nil {
		t.Fatal(err)
	}
	// The rescan writes two rows, in the batch written after the scan
	// (UPDATEs both): the item holding the finding, marked reused, and
	// notes.txt, read again because its time changed. That one's record
	// makes the scan cache's next file differ from the one on disk, so
	// that putting it in place would show.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(root, "notes.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(state, "inventory.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TRIGGER refuse BEFORE UPDATE ON items BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errs := run(t, "", "scan", "--no-progress", "--format", "jsonl", root)
	if code != ExitError || !strings.Contains(errs, "inventory:") || !strings.Contains(errs, "refused by the test") {
		t.Fatalf("rescan with the last write refused: exit %d, want %d and the inventory's error\n%s", code, ExitError, errs)
	}
	if !strings.Contains(out, plantedKey[:4]) || strings.Count(out, "\n") != 1 {
		t.Errorf("rescan with the last write refused: report %q, want the one finding", out)
	}
	if after, _ := os.ReadFile(caches[0]); !bytes.Equal(after, before) {
		t.Error("the scan cache was saved after a scan the inventory did not record")
	}
	_, list, _ := run(t, "", "scans", "list", "--format", "json")
	var scans struct {
		Scans []struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		} `json:"scans"`
	}
	if err := json.Unmarshal([]byte(list), &scans); err != nil || len(scans.Scans) != 2 {
		t.Fatalf("scans list: %v\n%s", err, list)
	}
	for _, s := range scans.Scans {
		if want := map[int64]string{1: "finished", 2: "incomplete"}[s.ID]; s.State != want {
			t.Errorf("scan %d: state %q, want %q", s.ID, s.State, want)
		}
	}
}
