package edm

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScale registers LEAKGUARD_EDM_SCALE synthetic rows and reports the
// time, index size and memory, then opens the set and matches prose and a
// dump with it:
//
//	LEAKGUARD_EDM_SCALE=10000000 go test -run TestScale -v -timeout 30m ./internal/fingerprint/edm/
func TestScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("LEAKGUARD_EDM_SCALE"))
	if n <= 0 {
		t.Skip("set LEAKGUARD_EDM_SCALE to a number of rows")
	}
	dir := filepath.Join(t.TempDir(), "set")
	start := time.Now()
	st := registerPeople(t, dir, n)
	reg := time.Since(start)
	t.Logf("registered %d rows (%d primary values) in %v (%.0f rows/s); index %.1f MiB; peak RSS so far %s",
		st.Rows, st.Entries, reg.Round(time.Millisecond), float64(n)/reg.Seconds(), float64(st.Bytes)/(1<<20), procStatus("VmHWM"))

	debug.FreeOSMemory() // what follows is what a scanning process holds
	t.Logf("RSS after registration, heap returned: %s", procStatus("VmRSS"))
	start = time.Now()
	ix, err := Open(dir, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	t.Logf("opened in %v; RSS %s", time.Since(start).Round(time.Microsecond), procStatus("VmRSS"))

	prose := corpus(t, filepath.Join(dataDir(t), "text-reuse", "sotu"), 8<<20)
	code := corpus(t, filepath.Join(dataDir(t), "secrets", "creddata-dev", "data"), 8<<20)
	var dump strings.Builder
	want := map[int64]bool{}
	for i := 0; dump.Len() < 4<<20; i++ {
		row := int(uint64(i) * 2_654_435_761 % uint64(n))
		dump.WriteString(reformatted(makePerson(1, row), i))
		want[int64(row)+1] = true
	}
	for _, c := range []struct {
		name string
		text []byte
	}{{"prose (cold)", prose}, {"prose (warm)", prose}, {"code", code}, {"dump", []byte(dump.String())}} {
		found, wrong := map[int64]bool{}, 0
		m := ix.NewMatcher(MatchOptions{}, func(mt Match) error {
			found[mt.Row] = true
			if !want[mt.Row] {
				wrong++
			}
			return nil
		})
		start = time.Now()
		for off := 0; off < len(c.text); off += 32 << 10 {
			m.Write(c.text[off:min(len(c.text), off+32<<10)])
		}
		m.Close()
		d := time.Since(start)
		t.Logf("%s: %.1f MiB in %v, %.1f MB/s, %d records found, %d wrong; RSS %s", c.name, float64(len(c.text))/(1<<20),
			d.Round(time.Millisecond), float64(len(c.text))/d.Seconds()/1e6, len(found), wrong, procStatus("VmRSS"))
		if c.name == "dump" && (len(found) < len(want)*99/100 || wrong > 0) {
			t.Errorf("dump: %d of %d records found, %d wrong", len(found), len(want), wrong)
		}
	}
}

// procStatus reads a field of /proc/self/status ("" elsewhere).
func procStatus(field string) string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "?"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
