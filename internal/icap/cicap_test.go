package icap

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/icap/icaptest"
)

// TestCICAPClient runs c-icap-client, an independent ICAP implementation,
// against the server: OPTIONS, REQMOD and RESPMOD, with and without
// preview and 204.
func TestCICAPClient(t *testing.T) {
	bin := icaptest.CICAPClient(t)
	var s seen
	addr, _ := startServer(t, Limits{}, s.readAllCheck)
	host, port, _ := net.SplitHostPort(addr)
	dir := t.TempDir()
	clean := pattern(200_000)
	cleanFile := filepath.Join(dir, "clean.txt")
	markedFile := filepath.Join(dir, "marked.txt")
	os.WriteFile(cleanFile, clean, 0o600)
	os.WriteFile(markedFile, []byte("name,card\nalice,"+marker+"\n"), 0o600)

	run := func(args ...string) (string, []byte) {
		t.Helper()
		out := filepath.Join(dir, "out")
		os.Remove(out)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		args = append([]string{"-i", host, "-p", port, "-v", "-o", out}, args...)
		stdout, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("c-icap-client %s: %v\n%s", strings.Join(args, " "), err, stdout)
		}
		body, _ := os.ReadFile(out)
		return string(stdout), body
	}

	t.Run("OPTIONS", func(t *testing.T) {
		out, _ := run("-s", "reqmod")
		for _, want := range []string{"ICAP/1.0 200 OK", "Methods: REQMOD", "Allow 204: Yes", "Preview: 4096", `ISTag: "leakguard"`} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in\n%s", want, out)
			}
		}
	})
	t.Run("REQMOD clean, 204", func(t *testing.T) {
		out, _ := run("-s", "reqmod", "-f", cleanFile, "-req", "http://origin.example/up", "-method", "POST",
			"-x", "X-Client-IP: 198.51.100.4", "-x", "X-Authenticated-User: bob")
		if !strings.Contains(out, "ICAP/1.0 204 No Content") {
			t.Fatalf("want 204:\n%s", out)
		}
		r, body := s.last(t)
		if !bytes.Equal(body, clean) || r.ClientIP != "198.51.100.4" || r.User != "bob" || r.URL != "http://origin.example/up" {
			t.Errorf("Check saw %d body bytes (want %d), ip %q user %q url %q", len(body), len(clean), r.ClientIP, r.User, r.URL)
		}
	})
	t.Run("REQMOD marked, 403", func(t *testing.T) {
		out, page := run("-s", "reqmod", "-f", markedFile, "-req", "http://origin.example/up", "-method", "POST")
		if !strings.Contains(out, "HTTP/1.1 403 Forbidden") || !bytes.Contains(page, []byte("test marker")) || bytes.Contains(page, []byte(marker)) {
			t.Fatalf("want the 403 page without the value:\n%s\n%s", out, page)
		}
	})
	t.Run("REQMOD clean, no 204: echoed through preview and 100 Continue", func(t *testing.T) {
		out, body := run("-s", "reqmod", "-f", cleanFile, "-req", "http://origin.example/up", "-method", "POST", "-no204")
		if !strings.Contains(out, "ICAP/1.0 200 OK") || !bytes.Equal(body, clean) {
			t.Fatalf("echo: %d bytes back of %d\n%s", len(body), len(clean), out)
		}
	})
	t.Run("RESPMOD clean, no preview, no 204", func(t *testing.T) {
		_, body := run("-s", "respmod", "-f", cleanFile, "-resp", "http://origin.example/dl", "-no204", "-nopreview")
		if !bytes.Equal(body, clean) {
			t.Fatalf("echo: %d bytes back of %d", len(body), len(clean))
		}
	})
	t.Run("RESPMOD marked, 403", func(t *testing.T) {
		out, page := run("-s", "respmod", "-f", markedFile, "-resp", "http://origin.example/dl")
		if !strings.Contains(out, "403 Forbidden") || !bytes.Contains(page, []byte("download")) {
			t.Fatalf("want the 403 page:\n%s\n%s", out, page)
		}
	})
	t.Run("wrong service", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, _ := exec.CommandContext(ctx, bin, "-i", host, "-p", port, "-v", "-s", "avscan").CombinedOutput()
		if !strings.Contains(string(out), "404") {
			t.Fatalf("want 404:\n%s", out)
		}
	})
}
