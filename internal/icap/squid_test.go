package icap

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hashCheck streams a body, blocks it at the marker and records the
// SHA-256 and length of what it read, so a 50 MB upload is not held.
type hashCheck struct {
	mu     sync.Mutex
	sums   []string
	sizes  []int64
	header []http.Header
	ips    []string
	method []string
}

// lastREQMOD returns the index of the latest REQMOD seen; the origin's
// answer to an upload comes back as a RESPMOD after it.
func (h *hashCheck) lastREQMOD(t *testing.T) int {
	t.Helper()
	for i := len(h.method) - 1; i >= 0; i-- {
		if h.method[i] == methodREQMOD {
			return i
		}
	}
	t.Fatal("no REQMOD seen")
	return -1
}

func (h *hashCheck) check(_ context.Context, r Request) (Verdict, error) {
	sum := sha256.New()
	var n int64
	var tail []byte
	buf := make([]byte, 64<<10)
	verdict := Verdict{}
	for {
		k, err := r.Body.Read(buf)
		sum.Write(buf[:k])
		n += int64(k)
		window := append(tail, buf[:k]...)
		if bytes.Contains(window, []byte(marker)) {
			verdict = Verdict{Action: Block, Reason: "test marker"}
			break
		}
		tail = append(tail[:0], window[max(0, len(window)-len(marker)):]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Verdict{}, err
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sums = append(h.sums, hex.EncodeToString(sum.Sum(nil)))
	h.sizes = append(h.sizes, n)
	h.header = append(h.header, r.Header)
	h.ips = append(h.ips, r.ClientIP)
	h.method = append(h.method, r.Method)
	return verdict, nil
}

// origin is the test's HTTP server behind Squid: it answers an upload with
// the SHA-256 and length of what reached it, and serves two downloads.
type origin struct {
	mu    sync.Mutex
	posts int
}

func (o *origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/upload":
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		o.mu.Lock()
		o.posts++
		o.mu.Unlock()
		fmt.Fprintf(w, "%s %d", hex.EncodeToString(h.Sum(nil)), n)
	case "/report.csv":
		fmt.Fprintf(w, "name,card\nalice,%s\n", marker)
	case "/clean.txt":
		w.Header().Set("Content-Length", "300000")
		w.Write(pattern(300_000))
	case "/clean-chunked.txt":
		w.Write(pattern(300_000))
	case "/late-marker.txt":
		w.Write(pattern(200_000))
		fmt.Fprintf(w, "\ncard %s\n", marker)
		w.Write(pattern(100_000))
	default:
		http.NotFound(w, r)
	}
}

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

// TestSquid puts Debian's squid on loopback in front of a local origin,
// with leakguard as its REQMOD and RESPMOD service, and sends traffic
// through it with curl. It needs the squid and curl packages.
func TestSquid(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	squid, err := exec.LookPath("squid")
	if err != nil {
		if squid, err = exec.LookPath("/usr/sbin/squid"); err != nil {
			t.Skip("squid not installed (apt-get install -y squid); skipping the Squid integration test")
		}
	}
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed (apt-get install -y curl); skipping the Squid integration test")
	}

	var hc hashCheck
	icapAddr, _ := startServer(t, Limits{MaxBodyBytes: 64 << 20, SpoolDir: t.TempDir()}, hc.check)
	var org origin
	originSrv := httptest.NewServer(&org)
	t.Cleanup(originSrv.Close)
	proxy := startSquid(t, squid, icapAddr)

	dir := t.TempDir()
	curlTry := func(args ...string) (int, []byte, error) {
		t.Helper()
		out := filepath.Join(dir, "response")
		os.Remove(out)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		args = append([]string{"-sS", "--noproxy", "", "-x", "http://" + proxy, "-o", out, "-w", "%{http_code}"}, args...)
		code, err := exec.CommandContext(ctx, curl, args...).Output()
		n, _ := strconv.Atoi(string(code))
		body, _ := os.ReadFile(out)
		return n, body, err
	}
	curlDo := func(args ...string) (int, []byte) {
		t.Helper()
		code, body, err := curlTry(args...)
		if err != nil {
			t.Fatalf("curl %v: %v", args, err)
		}
		return code, body
	}
	upload := func(name string, content []byte) (int, []byte) {
		t.Helper()
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return curlDo("-H", "Content-Type: application/octet-stream", "--data-binary", "@"+f, originSrv.URL+"/upload")
	}
	sumOf := func(b []byte) string {
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:]) + " " + strconv.Itoa(len(b))
	}

	t.Run("clean upload reaches the origin unchanged", func(t *testing.T) {
		body := pattern(10_000)
		code, resp := upload("clean", body)
		if code != 200 || string(resp) != sumOf(body) {
			t.Fatalf("HTTP %d, origin got %q, want %q", code, resp, sumOf(body))
		}
		hc.mu.Lock()
		defer hc.mu.Unlock()
		if ip := hc.ips[hc.lastREQMOD(t)]; ip != "127.0.0.1" {
			t.Errorf("X-Client-IP seen as %q", ip)
		}
	})
	t.Run("upload with the marker gets 403", func(t *testing.T) {
		org.mu.Lock()
		before := org.posts
		org.mu.Unlock()
		code, page := upload("marked", append(pattern(50_000), "\ncard "+marker+"\n"...))
		if code != 403 || !bytes.Contains(page, []byte("test marker")) || bytes.Contains(page, []byte(marker)) {
			t.Fatalf("HTTP %d, page:\n%s", code, page)
		}
		org.mu.Lock()
		defer org.mu.Unlock()
		if org.posts != before {
			t.Error("the blocked upload reached the origin")
		}
	})
	t.Run("50 MB clean upload passes preview and 100 Continue intact", func(t *testing.T) {
		body := pattern(50 << 20)
		start := time.Now()
		code, resp := upload("big", body)
		if code != 200 || string(resp) != sumOf(body) {
			t.Fatalf("HTTP %d, origin got %q, want %q", code, resp, sumOf(body))
		}
		hc.mu.Lock()
		defer hc.mu.Unlock()
		last := hc.lastREQMOD(t)
		if hc.sizes[last] != int64(len(body)) || hc.header[last].Get("Preview") == "" {
			t.Errorf("Check read %d bytes (want %d), Preview header %q", hc.sizes[last], len(body), hc.header[last].Get("Preview"))
		}
		t.Logf("50 MiB through Squid and leakguard in %v", time.Since(start).Round(time.Millisecond))
	})
	t.Run("20 MB upload with an early value gets 403", func(t *testing.T) {
		body := append(append(pattern(100_000), marker...), pattern(20<<20)...)
		code, page := upload("big-marked", body)
		if code != 403 || !bytes.Contains(page, []byte("test marker")) {
			t.Fatalf("HTTP %d, page:\n%s", code, page)
		}
	})
	t.Run("chunked 8 MB upload without a length passes intact", func(t *testing.T) {
		body := pattern(8 << 20)
		f := filepath.Join(dir, "chunked")
		if err := os.WriteFile(f, body, 0o600); err != nil {
			t.Fatal(err)
		}
		code, resp := curlDo("-H", "Transfer-Encoding: chunked", "--data-binary", "@"+f, originSrv.URL+"/upload")
		if code != 200 || string(resp) != sumOf(body) {
			t.Fatalf("HTTP %d, origin got %q, want %q", code, resp, sumOf(body))
		}
	})
	t.Run("download with the marker gets 403", func(t *testing.T) {
		code, page := curlDo(originSrv.URL + "/report.csv")
		if code != 403 || bytes.Contains(page, []byte(marker)) || !bytes.Contains(page, []byte("download")) {
			t.Fatalf("HTTP %d, page:\n%s", code, page)
		}
	})
	for _, path := range []string{"/clean.txt", "/clean-chunked.txt"} {
		t.Run("clean download unchanged "+path, func(t *testing.T) {
			code, body := curlDo(originSrv.URL + path)
			if code != 200 || !bytes.Equal(body, pattern(300_000)) {
				t.Fatalf("HTTP %d, %d bytes", code, len(body))
			}
		})
	}
	t.Run("long download blocked late is cut short before the value", func(t *testing.T) {
		code, body, err := curlTry(originSrv.URL + "/late-marker.txt")
		if err == nil || bytes.Contains(body, []byte(marker)) || len(body) >= 200_000 {
			t.Fatalf("HTTP %d, curl %v, %d bytes, value in them: %v", code, err, len(body), bytes.Contains(body, []byte(marker)))
		}
		t.Logf("cut after %d bytes (curl: %v)", len(body), err)
	})
}

// startSquid runs squid in the foreground with a private configuration in a
// temporary directory and returns its proxy address; it is stopped when the
// test ends.
func startSquid(t *testing.T, squid, icapAddr string) string {
	t.Helper()
	// Squid started as root drops to its own user, which must write here.
	dir, err := os.MkdirTemp("", "leakguard-squid-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	port := freePort(t)
	_, icapPort, _ := net.SplitHostPort(icapAddr)
	conf := strings.NewReplacer("{{PROXY}}", port, "{{DIR}}", dir, "{{ICAP}}", icapPort).Replace(squidConf)
	confFile := filepath.Join(dir, "squid.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(squid, "-k", "parse", "-f", confFile).CombinedOutput(); err != nil {
		t.Fatalf("squid -k parse: %v\n%s", err, out)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(squid, "-N", "-f", confFile)
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "cache.log"))
			t.Logf("squid output:\n%s\ncache.log:\n%s", stderr.String(), log)
		}
	})
	addr := net.JoinHostPort("127.0.0.1", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return addr
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "cache.log"))
			t.Fatalf("squid exited: %v\n%s\n%s", err, stderr.String(), log)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("squid did not start listening within 30 s")
		}
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
