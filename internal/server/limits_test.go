package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// unsized hides a body's length, so that the client sends it chunked and
// only reading it tells its size.
type unsized struct{ io.Reader }

func TestBodyOverLimit(t *testing.T) {
	big := strings.Repeat("x", 300)
	t.Run("declared length", func(t *testing.T) {
		ts := start(t, Config{MaxBody: 100})
		resp, b := ts.do(t, "POST", "/v1/scan", "text/plain", strings.NewReader(big))
		wantError(t, resp, b, http.StatusRequestEntityTooLarge, "limit of 100 bytes")
		if n := len(ts.scan.seen()); n != 0 {
			t.Errorf("scanner ran on a body declared too large")
		}
	})
	t.Run("chunked", func(t *testing.T) {
		ts := start(t, Config{MaxBody: 100})
		resp, b := ts.do(t, "POST", "/v1/scan", "text/plain", unsized{strings.NewReader(big)})
		wantError(t, resp, b, http.StatusRequestEntityTooLarge, "limit of 100 bytes")
	})
	t.Run("chunked, scanner stops early", func(t *testing.T) {
		ts := start(t, Config{MaxBody: 100, Scan: func(_ context.Context, in Input) (Result, error) {
			io.ReadFull(in.Body, make([]byte, 10))
			return Result{}, nil
		}})
		resp, b := ts.do(t, "POST", "/v1/scan", "text/plain", unsized{strings.NewReader(big)})
		wantError(t, resp, b, http.StatusRequestEntityTooLarge, "limit")
	})
	t.Run("multipart", func(t *testing.T) {
		ts := start(t, Config{MaxBody: 100})
		ct, body := multipartBody(t, [][3]string{{"a.txt", "text/plain", big}}, nil)
		resp, b := ts.do(t, "POST", "/v1/scan", ct, unsized{body})
		wantError(t, resp, b, http.StatusRequestEntityTooLarge, "limit")
	})
	t.Run("redact and analyze", func(t *testing.T) {
		ts := start(t, Config{MaxBody: 100})
		resp, b := ts.do(t, "POST", "/v1/redact", "text/plain", unsized{strings.NewReader(big)})
		wantError(t, resp, b, http.StatusRequestEntityTooLarge, "limit")
		resp, b = ts.do(t, "POST", "/analyze", "application/json", unsized{strings.NewReader(`{"text":"` + big + `"}`)})
		wantError(t, resp, b, http.StatusRequestEntityTooLarge, "limit")
	})
	t.Run("at the limit", func(t *testing.T) {
		ts := start(t, Config{MaxBody: 300})
		resp, b := ts.do(t, "POST", "/v1/scan", "text/plain", unsized{strings.NewReader(big)})
		if resp.StatusCode != http.StatusOK {
			t.Errorf("a body of exactly MaxBody got %d: %s", resp.StatusCode, b)
		}
	})
}

func TestTooManyInFlight(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	ts := start(t, Config{MaxConcurrent: 1, Scan: func(ctx context.Context, in Input) (Result, error) {
		io.ReadAll(in.Body)
		select {
		case entered <- struct{}{}:
		default:
		}
		<-release
		return Result{}, nil
	}})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		resp, b := ts.do(t, "POST", "/v1/scan", "", strings.NewReader("first"))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("first request: %d %s", resp.StatusCode, b)
		}
	}()
	<-entered
	resp, b := ts.do(t, "POST", "/analyze", "application/json", strings.NewReader(`{"text":"second"}`))
	wantError(t, resp, b, http.StatusServiceUnavailable, "too many")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	// Probes and monitoring are not scanning work: they still answer.
	for _, p := range []string{"/health", "/metrics", "/supportedentities", "/openapi.json"} {
		if resp, _ := ts.do(t, "GET", p, "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s answered %d while the server is at its limit", p, resp.StatusCode)
		}
	}
	close(release)
	wg.Wait()
	if resp, b := ts.do(t, "POST", "/v1/scan", "", strings.NewReader("third")); resp.StatusCode != http.StatusOK {
		t.Errorf("after the slot was freed: %d %s", resp.StatusCode, b)
	}
}

func TestScanTimeLimit(t *testing.T) {
	ts := start(t, Config{Timeout: 100 * time.Millisecond, Scan: func(ctx context.Context, in Input) (Result, error) {
		io.ReadAll(in.Body)
		<-ctx.Done()
		return Result{}, ctx.Err()
	}})
	t0 := time.Now()
	resp, b := ts.do(t, "POST", "/v1/scan", "", strings.NewReader("slow to scan"))
	wantError(t, resp, b, http.StatusServiceUnavailable, "time limit")
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("answered after %s", d)
	}
}

func TestSlowBody(t *testing.T) {
	ts := start(t, Config{Timeout: 300 * time.Millisecond})
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() {
		pw.Write([]byte("the start of a body, then nothing"))
	}()
	t0 := time.Now()
	resp, b := ts.do(t, "POST", "/v1/scan", "text/plain", pr)
	wantError(t, resp, b, http.StatusRequestTimeout, "not received within the time limit")
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("a stalled body held the request for %s", d)
	}
}

func TestPanicIsA500(t *testing.T) {
	calls := 0
	var mu sync.Mutex
	ts := start(t, Config{Scan: func(_ context.Context, in Input) (Result, error) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			panic("scanner bug")
		}
		return Result{}, nil
	}})
	resp, b := ts.do(t, "POST", "/v1/scan", "", strings.NewReader("x"))
	wantError(t, resp, b, http.StatusInternalServerError, "internal error")
	if resp, _ := ts.do(t, "POST", "/v1/scan", "", strings.NewReader("x")); resp.StatusCode != http.StatusOK {
		t.Errorf("after a panic: %d", resp.StatusCode)
	}
}

func TestUnknownRoutesAnswerJSON(t *testing.T) {
	ts := start(t, Config{})
	resp, b := ts.do(t, "GET", "/v2/nothing", "", nil)
	wantError(t, resp, b, http.StatusNotFound, "no such endpoint")
	resp, b = ts.do(t, "GET", "/v1/scan", "", nil)
	wantError(t, resp, b, http.StatusMethodNotAllowed, "not allowed")
	if resp.Header.Get("Allow") != "POST" {
		t.Errorf("Allow %q, want POST", resp.Header.Get("Allow"))
	}
}

// A request that ends before its body is read leaves a read deadline on
// the connection; the next request on the same connection must not
// inherit it.
func TestKeepAliveAfterTimeLimit(t *testing.T) {
	ts := start(t, Config{Timeout: 200 * time.Millisecond})
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	send := func(path, ct, body string) int {
		req, _ := http.NewRequest("POST", ts.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+ts.token)
		req.Header.Set("Content-Type", ct)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send("/v1/redact", "application/zip", "PK"); code != http.StatusUnsupportedMediaType {
		t.Fatalf("first request: %d", code)
	}
	time.Sleep(400 * time.Millisecond)
	for i := range 3 {
		if code := send("/v1/scan", "text/plain", "k="+fakeSecret); code != http.StatusOK {
			t.Fatalf("request %d on the kept-alive connection: %d", i, code)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
