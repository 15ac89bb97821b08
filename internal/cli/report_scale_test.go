package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/backend"
	"github.com/leakguard/leakguard/internal/store/storetest"
)

// EnvReportScale names an inventory (an SQLite file, or a postgres:// URL
// whose search_path parameter names an existing schema) to time every
// report format on. An empty one is filled first with the store's scale
// fixture of $LEAKGUARD_STORE_SCALE findings (default 1,000,000); time the
// reports in a second run, so that the filling's memory does not count.
const EnvReportScale = "LEAKGUARD_REPORT_SCALE"

func TestReportScale(t *testing.T) {
	db := os.Getenv(EnvReportScale)
	if db == "" {
		t.Skipf("set %s=/tmp/scale.db (filled on first use) to time reports over the scale fixture", EnvReportScale)
	}
	ctx := context.Background()
	st, err := backend.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	have, err := st.CountFindings(ctx, store.Filter{})
	if err != nil || have == 0 {
		n, _ := strconv.Atoi(os.Getenv(storetest.EnvScale))
		if n <= 0 {
			n = 1_000_000
		}
		t0 := time.Now()
		out, _, err := storetest.FillScale(ctx, st, n)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("filled %s with %d findings in %v (%+v); run again to time the reports", store.ParseTarget(db), n, time.Since(t0).Round(time.Second), out)
		return
	}
	st.Close()
	dir := t.TempDir()
	for _, c := range [][]string{
		{"html"}, {"ocsf"}, {"json"}, {"jsonl"}, {"csv"}, {"sarif"}, {"sarif", "--max-results", "0"},
		{"html", "--kind", "pii", "--path", "/data/share/d050"},
		{"csv", "--rule", "iban"},
	} {
		if c[0] == "sarif" && len(c) > 1 && os.Getenv("LEAKGUARD_REPORT_SCALE_SARIF_ALL") == "" {
			continue // every finding in one SARIF document takes gigabytes at a million
		}
		out := filepath.Join(dir, "report."+c[0])
		args := append([]string{"report", "--db", db, "--output", out, "--format"}, c...)
		debug.FreeOSMemory()
		resetPeak()
		stop := sampleHeap()
		t0 := time.Now()
		code, _, errs := run(t, "", args...)
		took := time.Since(t0)
		heap := stop()
		if code != ExitClean {
			t.Fatalf("%v: exit %d: %s", c, code, errs)
		}
		st, _ := os.Stat(out)
		t.Logf("report %-38s %8.1f MB in %6.2f s, peak Go heap %3d MiB, peak RSS %s (SQLite maps the database file in)",
			strings.Join(c, " "), float64(st.Size())/1e6, took.Seconds(), heap>>20, peakRSS())
		os.Remove(out)
	}
}

// sampleHeap samples the live Go heap every 10 ms until the returned
// function is called, which returns the largest sample.
func sampleHeap() func() uint64 {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var top uint64
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			top = max(top, s[0].Value.Uint64())
			select {
			case <-done:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-peak }
}

// resetPeak resets the process's peak resident set (Linux), so that each
// report's peak is its own.
func resetPeak() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return fmt.Sprintf("%d MiB", kb/1024)
		}
	}
	return "?"
}
