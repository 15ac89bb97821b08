package server

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var tokenShape = regexp.MustCompile(`^lgt_[A-Za-z0-9_-]{43}$`)

func TestTokensLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state") // created on first write
	toks, err := OpenTokens(dir)
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := toks.List(); len(l) != 0 {
		t.Fatalf("new store lists %v", l)
	}
	a, err := toks.Create("ci")
	if err != nil {
		t.Fatal(err)
	}
	b, err := toks.Create("alice@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !tokenShape.MatchString(a) || a == b {
		t.Errorf("tokens %q and %q: want distinct lgt_ + 43 base64url characters (32 bytes)", a, b)
	}
	if name, ok := toks.Verify(a); !ok || name != "ci" {
		t.Errorf("Verify(a) = %q, %v", name, ok)
	}
	if name, ok := toks.Verify(b); !ok || name != "alice@example.org" {
		t.Errorf("Verify(b) = %q, %v", name, ok)
	}
	for _, bad := range []string{"", "lgt_", a[:len(a)-1], a + "x", strings.TrimPrefix(a, "lgt_"), strings.ToUpper(a)} {
		if _, ok := toks.Verify(bad); ok {
			t.Errorf("Verify(%q) accepted", bad)
		}
	}

	// The file holds hashes only, and is private.
	p := filepath.Join(dir, TokensFile)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("tokens file mode %v, want 0600", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(p)
	if strings.Contains(string(raw), a) || strings.Contains(string(raw), strings.TrimPrefix(a, TokenPrefix)) {
		t.Error("tokens file holds a token in clear")
	}
	sum := sha256.Sum256([]byte(a))
	if !strings.Contains(string(raw), hex.EncodeToString(sum[:])) {
		t.Errorf("tokens file lacks the SHA-256 of the token: %s", raw)
	}

	l, _ := toks.List()
	if len(l) != 2 || l[0].Name != "alice@example.org" || l[1].Name != "ci" || l[0].Created.IsZero() {
		t.Errorf("List = %+v", l)
	}
	if _, err := toks.Create("ci"); err == nil {
		t.Error("a second token named ci was created")
	}
	if err := toks.Revoke("ci"); err != nil {
		t.Fatal(err)
	}
	if _, ok := toks.Verify(a); ok {
		t.Error("revoked token accepted")
	}
	if _, ok := toks.Verify(b); !ok {
		t.Error("revoking ci revoked alice's token too")
	}
	if err := toks.Revoke("ci"); err == nil {
		t.Error("revoking an unknown name succeeded")
	}
}

func TestTokenNames(t *testing.T) {
	for _, n := range []string{"ci", "build-7", "a.b_c@d", strings.Repeat("x", 64)} {
		if !ValidTokenName(n) {
			t.Errorf("%q refused", n)
		}
	}
	for _, n := range []string{"", "with space", "tab\t", "ünï", "a/b", strings.Repeat("x", 65)} {
		if ValidTokenName(n) {
			t.Errorf("%q accepted", n)
		}
	}
	toks, _ := OpenTokens(t.TempDir())
	if _, err := toks.Create("bad name"); err == nil {
		t.Error("Create accepted a bad name")
	}
}

// Another process (the CLI) changing the file is seen by the next Verify,
// even within the file system's time resolution.
func TestTokensSeeOtherWriters(t *testing.T) {
	dir := t.TempDir()
	server, _ := OpenTokens(dir)
	cli, _ := OpenTokens(dir)
	if _, ok := server.Verify(TokenPrefix + "x"); ok {
		t.Fatal("empty store accepted a token")
	}
	for i := range 5 {
		tok, err := cli.Create("t" + string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := server.Verify(tok); !ok {
			t.Fatalf("token %d created by another handle not accepted", i)
		}
		if err := cli.Revoke("t" + string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
		if _, ok := server.Verify(tok); ok {
			t.Fatalf("token %d revoked by another handle still accepted", i)
		}
	}
}

func TestTokensBrokenFileAcceptsNothing(t *testing.T) {
	dir := t.TempDir()
	toks, _ := OpenTokens(dir)
	tok, _ := toks.Create("ci")
	if err := os.WriteFile(filepath.Join(dir, TokensFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := toks.Verify(tok); ok {
		t.Error("a token was accepted while the tokens file is unreadable")
	}
	if _, err := OpenTokens(dir); err == nil {
		t.Error("OpenTokens read a broken file without error")
	}
	if _, err := toks.Create("other"); err == nil {
		t.Error("Create overwrote a broken file")
	}
}

func TestTokensConcurrentVerify(t *testing.T) {
	toks, _ := OpenTokens(t.TempDir())
	tok, _ := toks.Create("ci")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if _, ok := toks.Verify(tok); !ok {
					t.Error("token refused under concurrency")
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNilTokensAcceptNothing(t *testing.T) {
	var toks *Tokens
	if _, ok := toks.Verify(TokenPrefix + "x"); ok {
		t.Error("nil Tokens accepted a token")
	}
}
