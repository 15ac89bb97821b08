// Package reporttest loads the findings of a real JSON Lines report for
// the benchmarks of the packages that write reports: the mix of paths,
// masked values and fingerprints a scan's report holds, which a handful
// of made-up findings does not show.
package reporttest

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

// Env names the JSON Lines report the benchmarks read, for example the
// benchmark corpus' that scripts/bench.sh leaves in its results folder.
const Env = "LEAKGUARD_BENCH_REPORT"

// Findings returns the findings of the report Env names, in its order; the
// benchmark is skipped when Env is not set.
func Findings(tb testing.TB) []finding.Finding {
	tb.Helper()
	name := os.Getenv(Env)
	if name == "" {
		tb.Skip(Env + " not set")
	}
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []finding.Finding
	lines := bufio.NewScanner(f)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		var x finding.Finding
		if err := json.Unmarshal(lines.Bytes(), &x); err != nil {
			tb.Fatal(err)
		}
		out = append(out, x)
	}
	if err := lines.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
