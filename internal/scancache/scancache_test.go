package scancache

import (
	"os"
	"path/filepath"
	"strings"
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
	odd := "dir/a \"quoted\" back\\slash\nnewline <é>.txt"
	c.Store(odd, 3, mod, "1:7", Record{})
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
	if c.Len() != 2 {
		t.Fatalf("reopen: %v, %d entries", err, c.Len())
	}
	if _, ok := c.Lookup(odd, 3, mod, "1:7", nil); !ok {
		t.Errorf("a path with quotes, backslashes and a newline not found again")
	}
	if r, ok := c.Lookup("a.txt", 10, mod, "1:42", nil); !ok || len(r.Findings) != 1 || r.Findings[0].Rule != "r" {
		t.Errorf("lookup unchanged: %v %+v", ok, r)
	}
	if _, ok := c.Lookup("a.txt", 10, mod, "1:43", nil); ok {
		t.Error("a file replaced by another (new inode) with the same size and time taken for unchanged")
	}
	if _, ok := c.Lookup("a.txt", 11, mod, "1:42", nil); ok {
		t.Error("size change not noticed")
	}
	if _, ok := c.Lookup("a.txt", 10, mod.Add(time.Nanosecond), "1:42", nil); ok {
		t.Error("mtime change not noticed")
	}
	if c, _ := Open(path, "d2"); c.Len() != 0 {
		t.Error("cache of another configuration reused")
	}
	// Damaged files are file_test.go's; a cache of format 2 (JSON lines)
	// is one to start over.
	os.WriteFile(path, []byte("{\"format\":2,\"digest\":\"d1\"}\n{broken"), 0o600)
	if c, err := Open(path, "d1"); err != nil {
		t.Errorf("cache of format 2: %v", err)
	} else if c.Len() != 0 {
		t.Errorf("cache of format 2: %d records", c.Len())
	}
}

// A file read less than Granularity after its modification time, or
// before it, is in doubt: it is remembered only with its content hash, and
// replayed only while its content still has that hash; a lookup past the
// window drops the hash, as any later write must change the time. Files
// modified long before they were read are trusted without being hashed.
func TestInDoubtConfirmedByContentHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	t0 := time.Unix(1800000000, 0)
	open := func(now time.Time) *Cache {
		t.Helper()
		c, err := Open(path, "d1")
		if err != nil {
			t.Fatal(err)
		}
		c.now = func() time.Time { return now }
		return c
	}
	old, racy, future := t0.Add(-time.Hour), t0.Add(-time.Second), t0.Add(time.Hour)
	c := open(t0)
	for _, m := range []time.Time{old, t0.Add(-Granularity - 1)} {
		if c.InDoubt(m) {
			t.Errorf("%v read at %v in doubt", m, t0)
		}
	}
	for _, m := range []time.Time{racy, t0.Add(-Granularity), t0, future} {
		if !c.InDoubt(m) {
			t.Errorf("%v read at %v not in doubt", m, t0)
		}
	}
	c.Store("old", 5, old, "1:1", Record{})
	c.Store("racy-unhashed", 5, racy, "1:2", Record{})
	c.Store("racy", 5, racy, "1:3", Record{Hash: "sha256:aa"})
	c.Store("future", 5, future, "1:4", Record{Hash: "sha256:bb"})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	// The same second: the racy file is still in doubt.
	c = open(t0.Add(time.Second))
	if c.Len() != 3 {
		t.Errorf("%d records kept, want 3 (a file in doubt without a hash is not remembered)", c.Len())
	}
	never := func() (string, error) { t.Error("a file not in doubt was hashed"); return "", nil }
	if _, ok := c.Lookup("old", 5, old, "1:1", never); !ok {
		t.Error("old unchanged file not replayed")
	}
	hashes := func(h string, err error) func() (string, error) { return func() (string, error) { return h, err } }
	for _, tc := range []struct {
		path string
		mod  time.Time
		id   string
		hash func() (string, error)
		want bool
	}{
		{"racy", racy, "1:3", hashes("sha256:cc", nil), false},
		{"racy", racy, "1:3", hashes("", os.ErrPermission), false},
		{"racy", racy, "1:3", nil, false},
		{"racy", racy, "1:3", hashes("sha256:aa", nil), true},
		{"future", future, "1:4", hashes("sha256:aa", nil), false},
		{"future", future, "1:4", hashes("sha256:bb", nil), true},
	} {
		if _, ok := c.Lookup(tc.path, 5, tc.mod, tc.id, tc.hash); ok != tc.want {
			t.Errorf("lookup %s: replayed %v, want %v", tc.path, ok, tc.want)
		}
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	// An hour later the racy file is confirmed once more, then trusted.
	c = open(t0.Add(time.Hour + Granularity))
	if _, ok := c.Lookup("racy", 5, racy, "1:3", hashes("sha256:aa", nil)); !ok {
		t.Error("racy file, confirmed past the window, not replayed")
	}
	if r, ok := c.Lookup("future", 5, future, "1:4", hashes("sha256:bb", nil)); !ok || r.Hash == "" {
		t.Errorf("file with a time in the future: replayed %v, hash %q kept", ok, r.Hash)
	}
	c.Save()
	c = open(t0.Add(2 * time.Hour))
	if _, ok := c.Lookup("racy", 5, racy, "1:3", never); !ok {
		t.Error("racy file confirmed past the window still hashed, or not replayed")
	}

	if h, _ := ContentHash(strings.NewReader("abc")); h != "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("ContentHash(abc) = %s", h)
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
