package buildid

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoBuildID reads the test binary's Go build ID as `go tool buildid`
// prints it, and names the binary by it.
func TestGoBuildID(t *testing.T) {
	p, err := os.Executable()
	if err != nil {
		t.Skip("no executable path on this system")
	}
	out, err := exec.Command("go", "tool", "buildid", p).Output()
	if err != nil {
		t.Skipf("no go command to read the build ID with: %v", err)
	}
	want := strings.TrimSpace(string(out))
	got := goBuildID(p)
	if got == "" || got != want {
		t.Fatalf("goBuildID = %q, want %q", got, want)
	}
	if e := Executable(); len(e) != 64 || e == fileDigest(p) {
		t.Errorf("Executable() = %q: not the digest of the build ID", e)
	}
}

// TestWithoutBuildID falls back to the file's digest for a file that is
// not an executable with a Go build ID, and gives "" for none.
func TestWithoutBuildID(t *testing.T) {
	p := filepath.Join(t.TempDir(), "not-elf")
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho hello\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	if id := goBuildID(p); id != "" {
		t.Errorf("a shell script has build ID %q", id)
	}
	sum := sha256.Sum256([]byte("#!/bin/sh\necho hello\n"))
	if d := fileDigest(p); d != hex.EncodeToString(sum[:]) {
		t.Errorf("digest %q", d)
	}
	if d := fileDigest(filepath.Join(t.TempDir(), "missing")); d != "" {
		t.Errorf("a missing file has digest %q", d)
	}
}
