package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

// Synthetic values the fake scanner finds. They are made up: no real
// credential or person.
const (
	fakeSecret = "LGTEST-SECRET-0123456789abcdef"
	fakeEmail  = "jane.doe@example.com"
)

// fakeScanner stands in for extractors and engine: it finds the synthetic
// values above by byte offset, carries the plaintext (which the server must
// drop) and records what it was given.
type fakeScanner struct {
	mu     sync.Mutex
	inputs []seenInput
}

type seenInput struct {
	Name, ContentType, Body string
}

func (fs *fakeScanner) Scan(ctx context.Context, in Input) (Result, error) {
	b, err := io.ReadAll(in.Body)
	if err != nil {
		return Result{Errors: []finding.ItemError{{Location: finding.Location{Path: in.Name}, Reason: finding.ReasonUnreadable, Error: err.Error()}}}, nil
	}
	fs.mu.Lock()
	fs.inputs = append(fs.inputs, seenInput{in.Name, in.ContentType, string(b)})
	fs.mu.Unlock()
	text := string(b)
	res := Result{Stats: finding.Stats{Items: 1, Bytes: int64(len(b))}}
	for _, v := range []struct {
		value, rule, entity string
		kind                finding.Kind
		conf                finding.Confidence
		masked              string
	}{
		{fakeSecret, "test-secret", "", finding.Secret, finding.High, ""},
		{fakeEmail, "email", "EMAIL_ADDRESS", finding.PII, finding.Medium, "ja…om"},
	} {
		for at := 0; ; {
			i := strings.Index(text[at:], v.value)
			if i < 0 {
				break
			}
			start := at + i
			res.Findings = append(res.Findings, finding.Finding{
				Rule: v.rule, Name: v.rule + " name", Kind: v.kind, Entity: v.entity, Confidence: v.conf,
				Severity: finding.SevHigh, Masked: v.masked, Secret: v.value, Fingerprint: "fp-" + v.rule,
				Location: finding.Location{Path: in.Name, Offset: int64(start), EndOffset: int64(start + len(v.value))},
			})
			at = start + len(v.value)
		}
	}
	res.Stats.Findings = int64(len(res.Findings))
	return res, nil
}

func (fs *fakeScanner) seen() []seenInput {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]seenInput(nil), fs.inputs...)
}

// testServer is a running API with one token.
type testServer struct {
	url   string
	token string
	toks  *Tokens
	scan  *fakeScanner
}

// start runs New(cfg) on a loopback listener, with the fake scanner when
// cfg has no Scan, and a fresh token store holding one token.
func start(t *testing.T, cfg Config) *testServer {
	t.Helper()
	toks, err := OpenTokens(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	token, err := toks.Create("test")
	if err != nil {
		t.Fatal(err)
	}
	fs := &fakeScanner{}
	if cfg.Scan == nil {
		cfg.Scan = fs.Scan
	}
	cfg.Tokens = toks
	hs := httptest.NewServer(New(cfg))
	t.Cleanup(hs.Close)
	return &testServer{url: hs.URL, token: token, toks: toks, scan: fs}
}

// do sends a request with the server's token (none when token is "") and
// returns the response with its body read.
func (ts *testServer) do(t *testing.T, method, path, contentType string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	return ts.doAs(t, ts.token, method, path, contentType, body)
}

func (ts *testServer) doAs(t *testing.T, token, method, path, contentType string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// decode parses a JSON answer into v.
func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("answer is not the JSON expected: %v\n%s", err, b)
	}
}

// wantError checks an error answer: its status and a JSON {"error"} body
// containing substr.
func wantError(t *testing.T, resp *http.Response, body []byte, status int, substr string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("error Content-Type %q, want application/json", ct)
	}
	var e struct{ Error string }
	decode(t, body, &e)
	if !strings.Contains(e.Error, substr) {
		t.Errorf("error %q does not say %q", e.Error, substr)
	}
}

// noPlaintext fails when an answer holds a synthetic value in clear.
func noPlaintext(t *testing.T, body []byte) {
	t.Helper()
	for _, v := range []string{fakeSecret, fakeEmail} {
		if strings.Contains(string(body), v) {
			t.Errorf("answer holds the value %q in clear: %s", v, body)
		}
	}
}

func dirOf(t *Tokens) string { return filepath.Dir(t.Path()) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
