package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func TestRoundTrip(t *testing.T) {
	f := finding.Finding{Rule: "r", Fingerprint: "fp", Masked: "ab…cd", Secret: "abXXcd", Location: finding.Location{Path: "a.env", Line: 3}}
	var buf bytes.Buffer
	if err := Write(&buf, []finding.Finding{f, f}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "abXXcd") || strings.Contains(buf.String(), "ab…cd") || strings.Count(buf.String(), `"rule"`) != 1 {
		t.Fatalf("baseline holds values or duplicates:\n%s", buf.String())
	}
	p := filepath.Join(t.TempDir(), "b.json")
	os.WriteFile(p, buf.Bytes(), 0o644)
	s, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	moved := f
	moved.Location.Line = 40 // edits above the secret do not make it new
	other := f
	other.Location.Path = "b.env"
	if !s.Contains(moved) || s.Contains(other) {
		t.Error("baseline matching")
	}
	os.WriteFile(p, []byte(`{"version": 9}`), 0o644)
	if _, err := Load(p); err == nil {
		t.Error("unknown version accepted")
	}
}
