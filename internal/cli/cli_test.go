package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
)

// run executes the CLI in-process with a private state directory.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const secretLine = "DB_PASSWORD=s3cr3tPa55w0rd\n"

func TestExitCodes(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	clean := tree(t, map[string]string{"a.txt": "nothing to see here\n"})
	dirty := tree(t, map[string]string{"conf/.env": secretLine, "bin.dat": "\x00\x01\x02binary"})
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"clean tree", []string{"scan", clean}, ExitClean},
		{"findings", []string{"scan", dirty}, ExitFindings},
		{"a missing path among others is an item error", []string{"scan", filepath.Join(clean, "nope"), clean}, ExitClean},
		{"nothing to scan at all", []string{"scan", filepath.Join(clean, "nope")}, ExitError},
		{"unknown format", []string{"scan", "--format", "xml", clean}, ExitError},
		{"unknown flag", []string{"scan", "--bogus", clean}, ExitError},
		{"no path", []string{"scan"}, ExitError},
		{"missing rules file", []string{"scan", "--rules", "/nonexistent.yaml", clean}, ExitError},
		{"bad confidence", []string{"scan", "--min-confidence", "sure", clean}, ExitError},
		{"kind filter leaves nothing", []string{"scan", "--kind", "marking", "--no-builtin", clean}, ExitError},
		{"rules check", []string{"rules", "check"}, ExitClean},
	}
	for _, c := range cases {
		code, _, stderr := run(t, "", c.args...)
		if code != c.want {
			t.Errorf("%s: exit %d, want %d (stderr %q)", c.name, code, c.want, stderr)
		}
	}
}

func TestJSONContract(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{"conf/.env": "# settings\n" + secretLine, "img.bin": "\x00\x00\x00"})
	code, out, _ := run(t, "", "scan", "--format", "json", dir)
	if code != ExitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Findings []finding.Finding   `json:"findings"`
		Errors   []finding.ItemError `json:"errors"`
		Stats    finding.Stats       `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(doc.Findings) != 1 {
		t.Fatalf("findings %+v", doc.Findings)
	}
	f := doc.Findings[0]
	if f.Rule != "generic-password-assignment" || f.Location.Line != 2 || f.Location.Column != 13 || f.Masked != "s3…rd" || len(f.Fingerprint) != 32 {
		t.Errorf("finding %+v", f)
	}
	if strings.Contains(out, "s3cr3tPa55w0rd") {
		t.Error("plaintext value in the report without --show-secrets")
	}
	if doc.Stats.Items != 2 || doc.Stats.Skipped[finding.ReasonBinary] != 1 {
		t.Errorf("stats %+v", doc.Stats)
	}
	_, out, _ = run(t, "", "scan", "--format", "json", "--show-secrets", dir)
	if !strings.Contains(out, `"secret": "s3cr3tPa55w0rd"`) {
		t.Error("--show-secrets did not include the value")
	}
}

func TestFormats(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{".env": secretLine})
	for format, marker := range map[string]string{
		"text":  "generic-password-assignment",
		"jsonl": `{"rule":"generic-password-assignment"`,
		"sarif": `"version": "2.1.0"`,
		"csv":   "rule,kind,entity,confidence",
	} {
		code, out, _ := run(t, "", "scan", "--format", format, dir)
		if code != ExitFindings || !strings.Contains(out, marker) {
			t.Errorf("%s: exit %d, output lacks %q:\n%s", format, code, marker, out)
		}
	}
}

func TestStdinAndOutputFile(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	out := filepath.Join(t.TempDir(), "r.jsonl")
	code, stdout, _ := run(t, "token = \"Zq8vLm2Px7Rt\"\n", "scan", "--format", "jsonl", "-o", out, "-")
	if code != ExitFindings || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), `"path":"-"`) {
		t.Fatalf("report %q (%v)", b, err)
	}
}

// TestOutputFile: the report file is created before the scan (a path that
// cannot be written fails at once and records nothing), is the owner's
// only, and replaces the previous report only when the new one is whole.
func TestOutputFile(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{".env": secretLine})
	state := t.TempDir()
	code, _, stderr := run(t, "", "scan", "--state", state, "-o", filepath.Join(t.TempDir(), "missing", "r.json"), dir)
	if code != ExitError || !strings.Contains(stderr, "missing") {
		t.Fatalf("unwritable output: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(state, "inventory.db")); !os.IsNotExist(err) {
		t.Errorf("the scan ran before its output failed: inventory %v", err)
	}

	out := filepath.Join(t.TempDir(), "r.json")
	os.WriteFile(out, []byte("previous report"), 0o644)
	code, _, stderr = run(t, "", "scan", "--no-store", "--baseline", filepath.Join(dir, "no-such-baseline.json"), "-o", out, dir)
	if b, _ := os.ReadFile(out); code != ExitError || string(b) != "previous report" {
		t.Fatalf("failed scan: exit %d (%s), report now %q", code, stderr, b)
	}
	if code, _, stderr = run(t, "", "scan", "--no-store", "--format", "json", "-o", out, dir); code != ExitFindings {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	fi, err := os.Stat(out)
	if b, _ := os.ReadFile(out); err != nil || !strings.Contains(string(b), "generic-password-assignment") {
		t.Fatalf("report %q (%v)", b, err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want owner only", fi.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".r.json.*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestOutputNotAFile: an output that is not a regular file is written as
// it is, never replaced by a renamed one: a named pipe stays a pipe and
// its reader gets the report (as /dev/null stays the device), a symbolic
// link stays a link and its target gets the report.
func TestOutputNotAFile(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{".env": secretLine})
	out := t.TempDir()
	fifo := filepath.Join(out, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the scan opens its end
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	if code, _, stderr := run(t, "", "scan", "--no-store", "--format", "jsonl", "-o", fifo, dir); code != ExitFindings {
		t.Fatalf("scan to a named pipe: exit %d: %s", code, stderr)
	}
	select {
	case b := <-got:
		if !strings.Contains(string(b), "generic-password-assignment") {
			t.Errorf("the pipe's reader got %q", b)
		}
	case <-time.After(10 * time.Second):
		t.Error("the scan never opened the named pipe")
		os.WriteFile(fifo, nil, 0) // let the reader go
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe was replaced: %v %v", fi.Mode(), err)
	}
	target := filepath.Join(out, "reports", "latest.json")
	os.MkdirAll(filepath.Dir(target), 0o700)
	os.WriteFile(target, []byte("old"), 0o600)
	link := filepath.Join(out, "report.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "", "scan", "--no-store", "--format", "json", "-o", link, dir); code != ExitFindings {
		t.Fatalf("scan to a link: exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); !strings.Contains(string(b), "generic-password-assignment") {
		t.Errorf("the link's target holds %q", b)
	}
	if code, _, stderr := run(t, "", "scan", "--no-store", "-o", out, dir); code != ExitError || !strings.Contains(stderr, "is a directory") {
		t.Errorf("a directory as output: exit %d: %s", code, stderr)
	}
}

func TestBaseline(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{".env": secretLine})
	base := filepath.Join(t.TempDir(), "base.json")
	if code, _, stderr := run(t, "", "baseline", "create", "-o", base, dir); code != ExitClean {
		t.Fatalf("baseline create: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(base)
	if strings.Contains(string(b), "s3cr3t") || !strings.Contains(string(b), "generic-password-assignment") {
		t.Fatalf("baseline content %s", b)
	}
	code, out, _ := run(t, "", "scan", "--format", "json", "--baseline", base, dir)
	if code != ExitClean || !strings.Contains(out, `"baseline": 1`) {
		t.Errorf("known finding not suppressed: exit %d\n%s", code, out)
	}
	// a new secret is still reported
	if err := os.WriteFile(filepath.Join(dir, "new.properties"), []byte("db.password=An0therOne!\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := run(t, "", "scan", "--baseline", base, dir); code != ExitFindings {
		t.Errorf("new finding: exit %d", code)
	}
	// Under another installation key no fingerprint of the baseline can
	// match: refused, not silently ignored.
	t.Setenv(keyed.EnvKey, strings.Repeat("cd", keyed.KeySize))
	if code, _, stderr := run(t, "", "scan", "--no-store", "--baseline", base, dir); code != ExitError || !strings.Contains(stderr, "another installation key") {
		t.Errorf("baseline of another key: exit %d\n%s", code, stderr)
	}
}

func TestRulesList(t *testing.T) {
	code, out, _ := run(t, "", "rules", "list", "--format", "json")
	var list []struct{ ID, Kind, Severity string }
	if code != ExitClean || json.Unmarshal([]byte(out), &list) != nil || len(list) == 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, r := range list {
		if r.ID == "" || r.Kind == "" || r.Severity == "" {
			t.Errorf("incomplete rule %+v", r)
		}
	}
}

func TestGitleaksConfig(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := tree(t, map[string]string{
		"gitleaks.toml": "[[rules]]\nid = \"acme-key\"\ndescription = \"Acme API key\"\nregex = '''acme_key\\s*=\\s*\"([a-z0-9]{32})\"'''\nsecretGroup = 1\nkeywords = [\"acme\"]\n",
		"src/app.py":    "acme_key = \"0123456789abcdefghij0123456789ab\"\n",
	})
	code, out, stderr := run(t, "", "scan", "--no-builtin", "--rules", filepath.Join(dir, "gitleaks.toml"), "--format", "jsonl", filepath.Join(dir, "src"))
	if code != ExitFindings || !strings.Contains(out, `"rule":"gitleaks.acme-key"`) || !strings.Contains(out, `"column":13`) {
		t.Errorf("exit %d, %s %s", code, out, stderr)
	}
}
