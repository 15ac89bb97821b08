package keyed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	k1, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 || len(k1) != KeySize {
		t.Fatalf("key file %v mode %v", err, st.Mode())
	}
	k2, err := LoadOrCreate(dir)
	if err != nil || string(k1) != string(k2) {
		t.Fatal("second load gave another key")
	}
	os.WriteFile(filepath.Join(dir, KeyFile), []byte("short"), 0o600)
	if _, err := LoadOrCreate(dir); err == nil {
		t.Error("truncated key accepted")
	}
}

func TestEnvKey(t *testing.T) {
	t.Setenv(EnvKey, strings.Repeat("ab", KeySize))
	k, err := Load(t.TempDir())
	if err != nil || k[0] != 0xab {
		t.Fatalf("%v %x", err, k)
	}
	t.Setenv(EnvKey, "xyz")
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("bad LEAKGUARD_KEY accepted")
	}
}

func TestSum(t *testing.T) {
	a, a2, b := New([]byte("one")), New([]byte("one")), New([]byte("two"))
	if a.Sum([]byte("v")) == b.Sum([]byte("v")) || a.Sum([]byte("v")) != a2.Sum([]byte("v")) || len(a.Sum(nil)) != 32 {
		t.Error("keyed hashes must depend on the key, be stable and 128 bits")
	}
}

// TestSumVector holds Sum to HMAC-SHA-256 (RFC 4231, test case 2) cut to
// 128 bits, also when one Hasher is used again and from many goroutines.
func TestSumVector(t *testing.T) {
	h := New([]byte("Jefe"))
	const want = "5bdcc146bf60754e6a042426089575c7"
	done := make(chan string, 64)
	for range cap(done) {
		go func() {
			h.Sum([]byte("something else first"))
			done <- h.Sum([]byte("what do ya want for nothing?"))
		}()
	}
	for range cap(done) {
		if got := <-done; got != want {
			t.Fatalf("Sum = %s, want %s", got, want)
		}
	}
}
