package cli

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/server"
)

// runTokens runs the tokens command in-process; root.go wires it into the
// CLI, this test does not depend on that.
func runTokens(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	ev := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	cmd := newTokensCmd(ev)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func TestTokensCommand(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runTokens(t, "create", "--name", "ci", "--state", dir)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	token := lines[len(lines)-1]
	if !regexp.MustCompile(`^lgt_[A-Za-z0-9_-]{43}$`).MatchString(token) {
		t.Fatalf("last line %q is not a token alone", token)
	}
	toks, err := server.OpenTokens(dir)
	if err != nil {
		t.Fatal(err)
	}
	if name, ok := toks.Verify(token); !ok || name != "ci" {
		t.Fatalf("printed token not accepted: %q %v", name, ok)
	}

	if _, _, err := runTokens(t, "create", "--name", "ci", "--state", dir); err == nil {
		t.Error("a second token named ci was created")
	}
	if _, _, err := runTokens(t, "create", "--state", dir); err == nil {
		t.Error("create without --name succeeded")
	}
	if _, _, err := runTokens(t, "create", "--name", "two words", "--state", dir); err == nil {
		t.Error("create with a bad name succeeded")
	}

	out, _, err = runTokens(t, "list", "--state", dir)
	if err != nil || !strings.Contains(out, "NAME") || !strings.Contains(out, "ci ") || strings.Contains(out, token) {
		t.Errorf("list: %v\n%s", err, out)
	}

	if _, _, err := runTokens(t, "revoke", "ci", "--state", dir); err != nil {
		t.Fatal(err)
	}
	if _, ok := toks.Verify(token); ok {
		t.Error("revoked token still accepted")
	}
	if _, _, err := runTokens(t, "revoke", "ci", "--state", dir); err == nil {
		t.Error("revoking an unknown token succeeded")
	}
	out, errOut, _ := runTokens(t, "list", "--state", dir)
	if out != "" || !strings.Contains(errOut, "no tokens") {
		t.Errorf("list after revoke: %q %q", out, errOut)
	}
}

func TestTokensStateFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", dir)
	out, _, err := runTokens(t, "create", "--name", "env")
	if err != nil {
		t.Fatal(err)
	}
	toks, _ := server.OpenTokens(dir)
	if _, ok := toks.Verify(strings.TrimSpace(out)); !ok {
		t.Error("token not stored in $LEAKGUARD_HOME")
	}
}
