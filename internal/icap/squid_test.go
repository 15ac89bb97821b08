package icap

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/icap/icaptest"
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

// downloads are the origin's files beside /upload: a report with the
// marker, clean files with and without a length, and one whose marker
// comes late.
func downloads(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
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

// TestSquid puts Debian's squid on loopback in front of a local origin,
// with leakguard as its REQMOD and RESPMOD service, and sends traffic
// through it with curl. It needs the squid and curl packages.
func TestSquid(t *testing.T) {
	var hc hashCheck
	icapAddr, _ := startServer(t, Limits{MaxBodyBytes: 64 << 20, SpoolDir: t.TempDir()}, hc.check)
	org := icaptest.StartOrigin(t, http.HandlerFunc(downloads))
	proxy := icaptest.StartSquid(t, icapAddr)
	upload := func(content []byte) (int, []byte) {
		t.Helper()
		return proxy.Upload(t, org.URL+"/upload", "application/octet-stream", content)
	}

	t.Run("clean upload reaches the origin unchanged", func(t *testing.T) {
		body := pattern(10_000)
		code, resp := upload(body)
		if code != 200 || string(resp) != icaptest.Sum(body) {
			t.Fatalf("HTTP %d, origin got %q, want %q", code, resp, icaptest.Sum(body))
		}
		hc.mu.Lock()
		defer hc.mu.Unlock()
		if ip := hc.ips[hc.lastREQMOD(t)]; ip != "127.0.0.1" {
			t.Errorf("X-Client-IP seen as %q", ip)
		}
	})
	t.Run("upload with the marker gets 403", func(t *testing.T) {
		before := org.Uploads()
		code, page := upload(append(pattern(50_000), "\ncard "+marker+"\n"...))
		if code != 403 || !bytes.Contains(page, []byte("test marker")) || bytes.Contains(page, []byte(marker)) {
			t.Fatalf("HTTP %d, page:\n%s", code, page)
		}
		if org.Uploads() != before {
			t.Error("the blocked upload reached the origin")
		}
	})
	t.Run("50 MB clean upload passes preview and 100 Continue intact", func(t *testing.T) {
		body := pattern(50 << 20)
		start := time.Now()
		code, resp := upload(body)
		if code != 200 || string(resp) != icaptest.Sum(body) {
			t.Fatalf("HTTP %d, origin got %q, want %q", code, resp, icaptest.Sum(body))
		}
		hc.mu.Lock()
		defer hc.mu.Unlock()
		last := hc.lastREQMOD(t)
		if hc.sizes[last] != int64(len(body)) || hc.header[last].Get("Preview") == "" {
			t.Errorf("Check read %d bytes (want %d), Preview header %q", hc.sizes[last], len(body), hc.header[last].Get("Preview"))
		}
		if want := sha256.Sum256(body); hc.sums[last] != hex.EncodeToString(want[:]) {
			t.Error("Check read other bytes than were sent")
		}
		t.Logf("50 MiB through Squid and leakguard in %v", time.Since(start).Round(time.Millisecond))
	})
	t.Run("20 MB upload with an early value gets 403", func(t *testing.T) {
		body := append(append(pattern(100_000), marker...), pattern(20<<20)...)
		code, page := upload(body)
		if code != 403 || !bytes.Contains(page, []byte("test marker")) {
			t.Fatalf("HTTP %d, page:\n%s", code, page)
		}
	})
	t.Run("chunked 8 MB upload without a length passes intact", func(t *testing.T) {
		body := pattern(8 << 20)
		code, resp := proxy.Upload(t, org.URL+"/upload", "application/octet-stream", body, "-H", "Transfer-Encoding: chunked")
		if code != 200 || string(resp) != icaptest.Sum(body) {
			t.Fatalf("HTTP %d, origin got %q, want %q", code, resp, icaptest.Sum(body))
		}
	})
	t.Run("download with the marker gets 403", func(t *testing.T) {
		code, page := proxy.MustCurl(t, org.URL+"/report.csv")
		if code != 403 || bytes.Contains(page, []byte(marker)) || !bytes.Contains(page, []byte("download")) {
			t.Fatalf("HTTP %d, page:\n%s", code, page)
		}
	})
	for _, path := range []string{"/clean.txt", "/clean-chunked.txt"} {
		t.Run("clean download unchanged "+path, func(t *testing.T) {
			code, body := proxy.MustCurl(t, org.URL+path)
			if code != 200 || !bytes.Equal(body, pattern(300_000)) {
				t.Fatalf("HTTP %d, %d bytes", code, len(body))
			}
		})
	}
	t.Run("long download blocked late is cut short before the value", func(t *testing.T) {
		code, body, err := proxy.Curl(t, org.URL+"/late-marker.txt")
		if err == nil || bytes.Contains(body, []byte(marker)) || len(body) >= 200_000 {
			t.Fatalf("HTTP %d, curl %v, %d bytes, value in them: %v", code, err, len(body), bytes.Contains(body, []byte(marker)))
		}
		t.Logf("cut after %d bytes (curl: %v)", len(body), err)
	})
}
