package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestBodies(t *testing.T) {
	clean, card := cleanBody(), cardBody()
	if len(clean) != BodySize || len(card) != BodySize {
		t.Fatalf("sizes %d and %d, want %d", len(clean), len(card), BodySize)
	}
	if bytes.Contains(clean, []byte(testCard)) || bytes.Count(card, []byte(testCard)) != 1 {
		t.Error("the clean body must hold no card number and the carded one exactly one")
	}
	if bytes.ContainsAny(clean, "0123456789@") {
		t.Error("the clean body holds digits or an @: a rule could fire on it")
	}
	if !bytes.Equal(clean, cleanBody()) {
		t.Error("bodies must be the same on every call: wrk and the load client send the same bytes")
	}
}

// post sends body to the origin with the headers the load clients set.
func post(t *testing.T, url, kind string, body []byte, sum string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/upload", bytes.NewReader(body))
	req.Header.Set(hdrKind, kind)
	req.Header.Set(hdrDigest, sum)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestOriginCountsWhatArrives(t *testing.T) {
	o := &origin{}
	srv := httptest.NewServer(o)
	defer srv.Close()
	clean, card := cleanBody(), cardBody()
	if code, got := post(t, srv.URL, "clean", clean, digest(clean)); code != 200 || got != "ok clean 10240" {
		t.Errorf("intact clean body: HTTP %d %q", code, got)
	}
	changed := append([]byte{}, clean...)
	changed[100] ^= 1
	if code, _ := post(t, srv.URL, "clean", changed, digest(clean)); code != http.StatusConflict {
		t.Errorf("changed body: HTTP %d, want 409", code)
	}
	if code, _ := post(t, srv.URL, "card", card, digest(card)); code != http.StatusConflict {
		t.Errorf("carded body: HTTP %d, want 409", code)
	}
	// A carded body that claims to be clean is still a leak.
	if code, _ := post(t, srv.URL, "clean", card, digest(card)); code != http.StatusConflict {
		t.Errorf("carded body labelled clean: HTTP %d, want 409", code)
	}
	s, err := originStats(context.Background(), http.DefaultClient, srv.URL+"/stats")
	if err != nil {
		t.Fatal(err)
	}
	if s != (OriginStats{Clean: 1, Leaked: 2, Damaged: 1}) {
		t.Errorf("stats %+v", s)
	}
}

// fakeGuard stands for Squid with leakguard in front of the origin: it
// answers a carded body with a 403 page and forwards the rest, unless leaky,
// when it forwards everything.
func fakeGuard(o *origin, leaky bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/upload" && !leaky {
			b, _ := io.ReadAll(r.Body)
			if bytes.Contains(b, []byte(testCard)) {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, "<h1>"+blockTitle+"</h1>")
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		o.ServeHTTP(w, r)
	})
}

func TestLoadAccountsForEveryRequest(t *testing.T) {
	for _, leaky := range []bool{false, true} {
		srv := httptest.NewServer(fakeGuard(&origin{}, leaky))
		c := loadConfig{url: srv.URL + "/upload", conns: 4, duration: 300 * time.Millisecond, cardEvery: 3, timeout: 5 * time.Second, closeCarded: true}
		if err := c.check(); err != nil {
			t.Fatal(err)
		}
		res, err := load(context.Background(), c)
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		problems := res.problems()
		if res.SentCard == 0 || res.SentClean == 0 {
			t.Fatalf("leaky=%v: sent %d clean and %d carded", leaky, res.SentClean, res.SentCard)
		}
		if !leaky && len(problems) > 0 {
			t.Errorf("a guard that blocks every card: %v", problems)
		}
		if leaky && (res.Origin.Leaked != res.SentCard || !strings.Contains(strings.Join(problems, "\n"), "carded bodies reached the origin")) {
			t.Errorf("a guard that lets cards through: origin %+v, problems %v", res.Origin, problems)
		}
		if int64(len(res.Latencies)) != res.SentClean+res.SentCard {
			t.Errorf("%d latencies for %d requests", len(res.Latencies), res.SentClean+res.SentCard)
		}
	}
}

func TestLoadRefusesOtherHosts(t *testing.T) {
	for _, c := range []loadConfig{
		{url: "http://192.0.2.1:80/upload", conns: 1, duration: time.Second},
		{url: "http://127.0.0.1:80/upload", proxy: "198.51.100.7:3128", conns: 1, duration: time.Second},
		{url: "http://127.0.0.1:80/upload", conns: 1, duration: time.Hour},
	} {
		if err := c.check(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestJudge(t *testing.T) {
	page := []byte("<h1>" + blockTitle + "</h1>")
	cases := []struct {
		card   bool
		status int
		answer string
		want   string
	}{
		{false, 200, "ok clean 10240", "ok"},
		{false, 200, "ok clean 10239", "wrong"},
		{false, 403, string(page), "wrong"},
		{true, 403, string(page), "blocked"},
		{true, 403, string(page) + testCard, "wrong"},
		{true, 403, string(page) + "4111111111111111", "wrong"},
		{true, 200, "ok clean 10240", "wrong"},
		{true, 500, "ICAP failure", "wrong"},
	}
	for _, c := range cases {
		if got := judge(c.card, c.status, []byte(c.answer), nil); got != c.want {
			t.Errorf("judge(card=%v, %d, %q) = %s, want %s", c.card, c.status, c.answer, got, c.want)
		}
	}
	if got := judge(false, 0, nil, io.ErrUnexpectedEOF); got != "error" {
		t.Errorf("a transport error is %s", got)
	}
}
