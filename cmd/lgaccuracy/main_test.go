package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunPrintsCommandAndTable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pii", "presidio_recognizer_vectors.jsonl")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	vec := `{"source": "s", "entities": ["EMAIL_ADDRESS"], "text": "write to jane.doe@example.org today", "expected_count": 1, "spans": [[9, 29]]}` + "\n"
	if err := os.WriteFile(p, []byte(vec), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	args := []string{"-data", dir, "-set", "vectors", "-min-confidence", "low"}
	if err := run(context.Background(), args, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Command: `go run ./cmd/lgaccuracy " + strings.Join(args, " ") + "`",
		"min confidence low",
		"| EMAIL_ADDRESS | 1/1 | 0/0 |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"-data", dir, "-set", "nosuchset"},
		{"-data", dir, "-min-confidence", "sure"},
		{"-data", filepath.Join(dir, "missing")},
		{"-data", dir, "extra-arg"},
	} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("run %q: no error", args)
		}
	}
}

func TestDataDirFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("LEAKGUARD_SHARED_DATA", dir)
	got, err := dataDir("")
	if err != nil || got != dir {
		t.Errorf("dataDir = %q, %v; want %q", got, err, dir)
	}
	t.Setenv("LEAKGUARD_SHARED_DATA", filepath.Join(dir, "missing"))
	if _, err := dataDir(""); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing data dir: err = %v, want one naming the place", err)
	}
}
