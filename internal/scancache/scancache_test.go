package scancache

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

func TestRoundTripAndInvalidation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	mod := time.Unix(1700000000, 123456789)
	c, err := Open(path, "d1")
	if err != nil || c.Len() != 0 {
		t.Fatalf("open new: %v, %d", err, c.Len())
	}
	c.Store("a.txt", 10, mod, "1:42", Record{Findings: []finding.Finding{{Rule: "r", Kind: finding.Secret, Confidence: finding.High, Severity: finding.SevHigh, Masked: "ab…", Secret: "plaintext"}}})
	c.Store("stdin", -1, mod, "", Record{}) // unknown size: never cached
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if contains(raw, "plaintext") {
		t.Fatal("cache file holds a plaintext value")
	}

	c, err = Open(path, "d1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1 {
		t.Fatalf("reopen: %v, %d entries", err, c.Len())
	}
	if r, ok := c.Lookup("a.txt", 10, mod, "1:42"); !ok || len(r.Findings) != 1 || r.Findings[0].Rule != "r" {
		t.Errorf("lookup unchanged: %v %+v", ok, r)
	}
	if _, ok := c.Lookup("a.txt", 10, mod, "1:43"); ok {
		t.Error("a file replaced by another (new inode) with the same size and time taken for unchanged")
	}
	if _, ok := c.Lookup("a.txt", 11, mod, "1:42"); ok {
		t.Error("size change not noticed")
	}
	if _, ok := c.Lookup("a.txt", 10, mod.Add(time.Nanosecond), "1:42"); ok {
		t.Error("mtime change not noticed")
	}
	if c, _ := Open(path, "d2"); c.Len() != 0 {
		t.Error("cache of another configuration reused")
	}
	os.WriteFile(path, []byte("{\"format\":1,\"digest\":\"d1\"}\n{broken"), 0o600)
	if _, err := Open(path, "d1"); err == nil {
		t.Error("damaged cache accepted")
	}
}

func contains(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return true
		}
	}
	return false
}
