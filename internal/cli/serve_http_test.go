package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeHTTP runs 'serve' with the real engine behind the HTTP API: a
// token from 'tokens create' opens it, a zip with a key is scanned through
// the extractors, Presidio's /analyze counts code points, and /health needs
// no token.
func TestServeHTTP(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	code, out, errs := run(t, "", "tokens", "create", "--name", "ci")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if code != ExitClean || !strings.HasPrefix(token, "lgt_") {
		t.Fatalf("tokens create: exit %d %q %q", code, out, errs)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"serve", "--http", addr, "--icap", "off", "--milter", "off"}, strings.NewReader(""), io.Discard, &stderr)
	}()
	waitListen(t, addr, &stderr)
	call := func(method, path, ctype string, body []byte, auth bool) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+addr+path, bytes.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if auth {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if st, _ := call("GET", "/health", "", nil, false); st != 200 {
		t.Errorf("/health: %d", st)
	}
	if st, _ := call("POST", "/v1/scan", "application/octet-stream", []byte("x"), false); st != 401 {
		t.Errorf("/v1/scan without a token: %d, want 401", st)
	}
	zipped := zipOf(t, map[string]string{"conf/prod.env": "AWS_ACCESS_KEY_ID=" + plantedKey + "\n"})
	st, body := call("POST", "/v1/scan?name=upload.zip", "application/zip", zipped, true)
	var res struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Masked   string `json:"masked"`
			Location struct {
				Container []string `json:"container"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(body, &res); err != nil || st != 200 {
		t.Fatalf("/v1/scan: %d %v\n%s", st, err, body)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != "aws-access-key-id" ||
		strings.Join(res.Findings[0].Location.Container, "!") != "conf/prod.env" || strings.Contains(string(body), plantedKey) {
		t.Errorf("/v1/scan of a zip: %s", body)
	}
	text := "Ünïcödé 🙂 card 4111 1111 1111 1111 thanks"
	st, body = call("POST", "/analyze", "application/json", []byte(`{"text":"`+text+`","language":"en"}`), true)
	var an []struct {
		Entity string `json:"entity_type"`
		Start  int    `json:"start"`
		End    int    `json:"end"`
	}
	if err := json.Unmarshal(body, &an); err != nil || st != 200 {
		t.Fatalf("/analyze: %d %v\n%s", st, err, body)
	}
	runes := []rune(text)
	found := false
	for _, a := range an {
		if a.Entity == "CREDIT_CARD" && string(runes[a.Start:a.End]) == "4111 1111 1111 1111" {
			found = true
		}
	}
	if !found {
		t.Errorf("/analyze: want CREDIT_CARD at code points of the number, got %s", body)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// zipOf builds a zip of files in memory.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
