package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/report"
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
	scanJSON := func() report.Result {
		t.Helper()
		_, out, errs := run(t, "", "scan", "--format", "json", "--cache", cache, dir)
		var res report.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v\n%s\n%s", err, out, errs)
		}
		return res
	}
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

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
