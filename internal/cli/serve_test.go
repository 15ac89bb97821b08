package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// reqmod sends one REQMOD with body to the ICAP service at addr and returns
// the whole answer.
func reqmod(t *testing.T, addr, body string) string {
	return reqmodAs(t, addr, "text/plain", body)
}

// reqmodAs is reqmod for a body of content type ctype.
func reqmodAs(t *testing.T, addr, ctype, body string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	hdr := "POST /upload HTTP/1.1\r\nHost: files.example.net\r\nContent-Type: " + ctype + "\r\n\r\n"
	fmt.Fprintf(conn, "REQMOD icap://%s/reqmod ICAP/1.0\r\nHost: %s\r\nAllow: 204\r\nConnection: close\r\n"+
		"X-Client-IP: 10.1.2.3\r\nEncapsulated: req-hdr=0, req-body=%d\r\n\r\n%s%x\r\n%s\r\n0\r\n\r\n",
		addr, addr, len(hdr), hdr, len(body), body)
	b, err := io.ReadAll(conn)
	if err != nil && !bytes.Contains(b, []byte("\r\n\r\n")) {
		t.Fatalf("reading the ICAP answer: %v", err)
	}
	return string(b)
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitListen waits until something accepts connections at addr.
func waitListen(t *testing.T, addr string, log *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not listen on %s: %v\n%s", addr, err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServeICAP runs 'serve' with the real engine and the default policy:
// an upload with a card number gets the 403 page, a clean one 204, and
// the server stops when its context ends.
func TestServeICAP(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"serve", "--http", "off", "--icap", addr, "--milter", "off"}, strings.NewReader(""), io.Discard, &stderr)
	}()
	waitListen(t, addr, &stderr)
	if got := reqmod(t, addr, "order note: card 4111 1111 1111 1111 exp 12/29\n"); !strings.Contains(got, "HTTP/1.1 403") ||
		!strings.Contains(got, "credit-card") || strings.Contains(got, "4111 1111") {
		t.Errorf("upload with a card number: want the 403 page naming the rule, not the value; got\n%s", got)
	}
	// A browser's form upload of a zip: the card number is in a file in
	// the zip in a part of the form.
	form := "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.zip\"\r\nContent-Type: application/zip\r\n\r\n" +
		string(zipOf(t, map[string]string{"cards.txt": "card 4111 1111 1111 1111 exp 12/29\n"})) + "\r\n--XyZ--\r\n"
	if got := reqmodAs(t, addr, `multipart/form-data; boundary=XyZ`, form); !strings.Contains(got, "HTTP/1.1 403") {
		t.Errorf("form upload of a zip with a card number: want 403, got\n%.300s", got)
	}
	if got := reqmod(t, addr, "quarterly newsletter, nothing sensitive\n"); !strings.HasPrefix(got, "ICAP/1.0 204") {
		t.Errorf("clean upload: want 204, got\n%s", got)
	}
	if !stopServe(t, cancel, done, &stderr) {
		t.FailNow()
	}
	// The block is in the inventory too, masked.
	code, out, _ := run(t, "", "events", "list", "--format", "json")
	if code != ExitClean || !strings.Contains(out, `"channel": "icap"`) || !strings.Contains(out, `"client": "10.1.2.3"`) ||
		strings.Contains(out, "4111 1111") || strings.Contains(out, "4111111111111111") {
		t.Errorf("events list: exit %d\n%s", code, out)
	}
	if log := stderr.String(); !strings.Contains(log, `"action":"block"`) || !strings.Contains(log, `"client":"10.1.2.3"`) ||
		strings.Contains(log, "4111 1111") {
		t.Errorf("event log: want a masked block event with the client:\n%s", log)
	}
}

// TestServeHidesShowSecrets: serve shares the engine flags of scan, but
// never answers with a value in clear, so --show-secrets is neither offered
// in its help nor accepted.
func TestServeHidesShowSecrets(t *testing.T) {
	code, out, errOut := run(t, "", "serve", "--help")
	if code != ExitClean || !strings.Contains(out, "--icap") {
		t.Fatalf("serve --help: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, "show-secrets") {
		t.Errorf("serve --help offers --show-secrets:\n%s", out)
	}
	if _, out, _ := run(t, "", "scan", "--help"); !strings.Contains(out, "--show-secrets") {
		t.Error("scan --help lost --show-secrets: hiding it on serve must not touch scan")
	}
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	code, _, errOut = run(t, "", "serve", "--show-secrets", "--http", "off", "--milter", "off", "--icap", freeAddr(t))
	if code != ExitError || !strings.Contains(errOut, "--show-secrets is for scan and trace") {
		t.Errorf("serve --show-secrets: want a refusal before serving, got exit %d\n%s", code, errOut)
	}
}

// stopServe ends the context of a 'serve' started with Run and waits up to
// 30 s for it to exit cleanly; it reports whether it exited at all.
func stopServe(t *testing.T, cancel context.CancelFunc, done <-chan int, stderr fmt.Stringer) bool {
	t.Helper()
	cancel()
	select {
	case code := <-done:
		if code != ExitClean {
			t.Errorf("serve exited %d\n%s", code, stderr.String())
		}
		return true
	case <-time.After(30 * time.Second):
		t.Error("serve did not stop within 30 s of its context ending")
		return false
	}
}
