package icaptest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// squidConf is a private Squid on loopback that caches nothing and hands
// every request (REQMOD) and response (RESPMOD) to the ICAP service, with
// preview, the client's address and user, and persistent ICAP
// connections. bypass=0: a failing service is an error, never a silent
// pass, so a test cannot succeed without the service.
const squidConf = `http_port 127.0.0.1:{{PROXY}}
pid_filename {{DIR}}/squid.pid
access_log stdio:{{DIR}}/access.log
cache_log {{DIR}}/cache.log
cache_store_log none
coredump_dir {{DIR}}
netdb_filename none
pinger_enable off
cache deny all
cache_mem 8 MB
shutdown_lifetime 1 seconds
visible_hostname leakguard-test
http_access allow localhost
http_access deny all
icap_enable on
icap_preview_enable on
icap_send_client_ip on
icap_send_client_username on
icap_client_username_header X-Authenticated-User
icap_persistent_connections on
icap_service lg_req reqmod_precache bypass=0 icap://127.0.0.1:{{ICAP}}/reqmod
icap_service lg_resp respmod_precache bypass=0 icap://127.0.0.1:{{ICAP}}/respmod
adaptation_access lg_req allow all
adaptation_access lg_resp allow all
`

// Squid is a running private Squid and the curl that talks through it.
type Squid struct {
	Addr string // the proxy's host:port on loopback
	dir  string // configuration, logs, and curl's scratch files
	curl string
}

// StartSquid runs squid in the foreground with a private configuration
// whose ICAP services are icap://icapAddr/reqmod and /respmod, plus the
// directives in extra (one per line), waits until it listens, and stops it
// when the test ends (logging its logs if the test failed). It skips the
// test under -short and when squid or curl is not installed.
func StartSquid(t testing.TB, icapAddr string, extra ...string) *Squid {
	t.Helper()
	squid, curl := NeedSquid(t)
	// Squid started as root drops to its own user, which must write here:
	// hence a world-writable directory outside t.TempDir's private tree.
	dir, err := os.MkdirTemp("", "leakguard-squid-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	port := FreePort(t)
	_, icapPort, err := net.SplitHostPort(icapAddr)
	if err != nil {
		t.Fatalf("ICAP address %q: %v", icapAddr, err)
	}
	conf := strings.NewReplacer("{{PROXY}}", port, "{{DIR}}", dir, "{{ICAP}}", icapPort).Replace(squidConf)
	for _, line := range extra {
		conf += line + "\n"
	}
	confFile := filepath.Join(dir, "squid.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(squid, "-k", "parse", "-f", confFile).CombinedOutput(); err != nil {
		t.Fatalf("squid -k parse: %v\n%s", err, out)
	}
	var output bytes.Buffer
	cmd := exec.Command(squid, "-N", "-f", confFile)
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	cacheLog := func() string {
		b, _ := os.ReadFile(filepath.Join(dir, "cache.log"))
		return string(b)
	}
	accessLog := func() string {
		b, _ := os.ReadFile(filepath.Join(dir, "access.log"))
		return string(b)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("squid output:\n%s\ncache.log:\n%s\naccess.log:\n%s", output.String(), cacheLog(), accessLog())
		}
	})
	s := &Squid{Addr: net.JoinHostPort("127.0.0.1", port), dir: dir, curl: curl}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.Addr, time.Second)
		if err == nil {
			c.Close()
			return s
		}
		select {
		case err := <-exited:
			t.Fatalf("squid exited: %v\n%s\n%s", err, output.String(), cacheLog())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("squid did not start listening within 30 s")
		}
	}
}

// NeedSquid skips the test under -short and when squid or curl is not
// installed, and returns their paths: a test calls it before any costly
// setup of its own.
func NeedSquid(t testing.TB) (squid, curl string) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test with Squid; skipped under -short")
	}
	if squid = lookPath("squid", "/usr/sbin/squid"); squid == "" {
		t.Skip("squid not installed (apt-get install -y squid); skipping the Squid integration test")
	}
	if curl = lookPath("curl", "/usr/bin/curl"); curl == "" {
		t.Skip("curl not installed (apt-get install -y curl); skipping the Squid integration test")
	}
	return squid, curl
}

// Curl runs curl through the proxy with args (a URL and any options) and
// returns the HTTP status, the response body and curl's own error (a
// transfer cut short shows there, with what arrived before in body).
func (s *Squid) Curl(t testing.TB, args ...string) (int, []byte, error) {
	t.Helper()
	out := filepath.Join(s.dir, "curl-response")
	os.Remove(out)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args = append([]string{"-sS", "--noproxy", "", "-x", "http://" + s.Addr, "-o", out, "-w", "%{http_code}"}, args...)
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, s.curl, args...)
	cmd.Stderr = &stderr
	code, err := cmd.Output()
	n, _ := strconv.Atoi(string(code))
	body, _ := os.ReadFile(out)
	if err != nil {
		err = fmt.Errorf("%w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return n, body, err
}

// MustCurl is Curl failing the test when curl fails.
func (s *Squid) MustCurl(t testing.TB, args ...string) (int, []byte) {
	t.Helper()
	code, body, err := s.Curl(t, args...)
	if err != nil {
		t.Fatalf("curl %v: %v", args, err)
	}
	return code, body
}

// Upload POSTs content to url through the proxy as curl --data-binary
// does, with a Content-Type header and any further curl options, and
// returns the HTTP status and the response body.
func (s *Squid) Upload(t testing.TB, url, contentType string, content []byte, opts ...string) (int, []byte) {
	t.Helper()
	f := filepath.Join(s.dir, "curl-upload")
	if err := os.WriteFile(f, content, 0o600); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(f)
	args := append([]string{"-H", "Content-Type: " + contentType, "--data-binary", "@" + f}, opts...)
	return s.MustCurl(t, append(args, url)...)
}

// FreePort returns a loopback TCP port nothing listens on at the moment.
func FreePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// lookPath finds a program on PATH or at its Debian location (sbin
// directories are not on every user's PATH); "" when it is neither.
func lookPath(name, debian string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p, err := exec.LookPath(debian); err == nil {
		return p
	}
	return ""
}
