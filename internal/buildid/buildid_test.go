package buildid

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

// TestExecutable names the test binary itself by the hash of its file.
func TestExecutable(t *testing.T) {
	p, err := os.Executable()
	if err != nil {
		t.Skip("no executable path on this system")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got, want := Executable(), hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("Executable() = %q, want %q", got, want)
	}
}
