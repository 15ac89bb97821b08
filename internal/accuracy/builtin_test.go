package accuracy

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

// These tests measure the built-in rules on the shared labelled data and
// fail when a number drops below its floor. The floors sit slightly under
// what the rules reached when they were set (558 rules, min confidence low:
// CredData P 0.973 R 0.974 F1 0.973, strict P 0.906; leaky-repo 96 risk
// lines at most, 162 of 175 lines, 1 false positive; Presidio large F1 1.000
// for cards, IBAN, SSN, e-mail and IP, 0.946 for phone numbers; vectors
// 238/302 positives, 180/183 negatives). See BENCHMARKS.md and `go run
// ./cmd/lgaccuracy`; raise the floors when the rules get better, never
// lower them to make a change pass.

// sharedData finds ../shared/data (from this package: ../../../shared/data)
// or $LEAKGUARD_SHARED_DATA, and fails the test when it is missing: an
// accuracy number that silently is not measured is worse than a red test.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, err := FindDataDir(filepath.Join("..", "..", "..", "shared", "data"))
	if err != nil {
		t.Fatalf("accuracy tests need the labelled data: %v", err)
	}
	return dir
}

func builtinEngine(t *testing.T, min finding.Confidence) *detect.Engine {
	t.Helper()
	rs := rules.Builtin()
	e, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("accuracy"))), detect.WithMinConfidence(min))
	if err != nil {
		t.Fatalf("compile built-in rules: %v", err)
	}
	return e
}

func atLeast(t *testing.T, what string, got, floor float64) {
	t.Helper()
	if got < floor {
		t.Errorf("%s = %.3f, below its floor %.3f", what, got, floor)
	}
}

func atMost(t *testing.T, what string, got, ceiling float64) {
	t.Helper()
	if got > ceiling {
		t.Errorf("%s = %.0f, above its ceiling %.0f", what, got, ceiling)
	}
}

func TestBuiltinCredData(t *testing.T) {
	dir := sharedData(t)
	r, err := CredData(context.Background(), dir, builtinEngine(t, finding.Low))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CredData: TP %d FP %d FN %d, precision %.3f recall %.3f F1 %.3f; X hits %d, unlabelled %d, strict precision %.3f",
		r.TP, r.FP, r.FN, r.Precision(), r.Recall(), r.F1(), r.XHits, r.Unlabelled, r.StrictPrecision())
	if r.True != 2362 {
		t.Errorf("CredData has %d true rows, its README says 2,362: the data or the parser changed", r.True)
	}
	atLeast(t, "precision", r.Precision(), 0.95)
	atLeast(t, "recall", r.Recall(), 0.95)
	atLeast(t, "F1", r.F1(), 0.95)
}

func TestBuiltinLeakyRepo(t *testing.T) {
	dir := sharedData(t)
	r, err := LeakyRepo(context.Background(), dir, builtinEngine(t, finding.Low))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("leaky-repo: risk lines ≤%d (≥%d) of %d, lines %d of %d, FP %d (%d unlisted); benchmark.py count %d / FP %d",
		r.RiskFound, r.RiskFoundMin, r.Risk, r.Found, r.Total, r.FP, r.UnlistedFP, r.BenchFound, r.BenchFP)
	if r.Risk != 96 || r.Total != 175 {
		t.Errorf("expected %d risk and %d lines, the set says 96 and 175", r.Risk, r.Total)
	}
	atLeast(t, "risk lines found", float64(r.RiskFound), 94)
	atLeast(t, "lines found", float64(r.Found), 158)
	atMost(t, "false positives", float64(r.FP), 3)
}

func TestBuiltinPresidio(t *testing.T) {
	dir := sharedData(t)
	rs, err := PresidioPII(context.Background(), dir, builtinEngine(t, finding.Low))
	if err != nil {
		t.Fatal(err)
	}
	// overlap F1 per entity on generated_large.json
	floors := map[string]float64{
		"CREDIT_CARD": 0.98, "IBAN_CODE": 0.98, "US_SSN": 0.98, "EMAIL_ADDRESS": 0.98, "IP_ADDRESS": 0.98,
		"PHONE_NUMBER": 0.92,
	}
	for _, r := range rs {
		for _, e := range r.Entities {
			t.Logf("%s %s: gold %d found %d, overlap P %.3f R %.3f F1 %.3f, exact F1 %.3f",
				r.File, e.Entity, e.Gold, e.Pred, e.Overlap.Precision(), e.Overlap.Recall(), e.Overlap.F1(), e.Exact.F1())
		}
		if r.File != "generated_large.json" {
			continue
		}
		got := map[string]float64{}
		for _, e := range r.Entities {
			got[e.Entity] = e.Overlap.F1()
		}
		for ent, floor := range floors {
			atLeast(t, r.File+" "+ent+" F1", got[ent], floor)
		}
	}
}

func TestBuiltinPresidioVectors(t *testing.T) {
	dir := sharedData(t)
	r, err := PresidioVectors(context.Background(), dir, builtinEngine(t, finding.Low))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("vectors: positives %d/%d, negatives clean %d/%d, %d out of scope", r.PosFound, r.Pos, r.NegClean, r.Neg, r.OutOfScope)
	atLeast(t, "positives found", float64(r.PosFound), 230)
	atLeast(t, "negatives clean", float64(r.NegClean), 176)
}
