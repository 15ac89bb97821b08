package server

import (
	"net/http"
	"strings"
	"testing"
)

func TestEveryEndpointButHealthNeedsAToken(t *testing.T) {
	ts := start(t, Config{Trace: fakeTrace})
	other, err := ts.toks.Create("other")
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range routes() {
		t.Run(rt.pattern(), func(t *testing.T) {
			for _, c := range []struct {
				name, header string
				ok           bool
			}{
				{"no header", "", false},
				{"wrong token", "Bearer " + TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false},
				{"token without prefix", "Bearer " + strings.TrimPrefix(ts.token, TokenPrefix), false},
				{"basic scheme", "Basic " + ts.token, false},
				{"empty bearer", "Bearer ", false},
				{"token", "Bearer " + ts.token, true},
				{"scheme in lower case", "bearer " + other, true},
			} {
				req, _ := http.NewRequest(rt.method, ts.url+rt.path, strings.NewReader(`{"text":"x"}`))
				if c.header != "" {
					req.Header.Set("Authorization", c.header)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				refused := resp.StatusCode == http.StatusUnauthorized
				switch {
				case rt.public && refused:
					t.Errorf("%s: public endpoint refused", c.name)
				case !rt.public && c.ok && refused:
					t.Errorf("%s: refused with a valid token", c.name)
				case !rt.public && !c.ok && !refused:
					t.Errorf("%s: answered %d without a valid token", c.name, resp.StatusCode)
				case refused && resp.Header.Get("WWW-Authenticate") == "":
					t.Errorf("%s: 401 without WWW-Authenticate", c.name)
				}
			}
		})
	}
}

func TestRevokedTokenIsRefusedAtOnce(t *testing.T) {
	ts := start(t, Config{})
	if resp, _ := ts.do(t, "GET", "/supportedentities", "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d with a fresh token", resp.StatusCode)
	}
	// Revoked through another handle on the same file, as the CLI does
	// while the server runs.
	cli, err := OpenTokens(dirOf(ts.toks))
	if err != nil {
		t.Fatal(err)
	}
	if err := cli.Revoke("test"); err != nil {
		t.Fatal(err)
	}
	resp, b := ts.do(t, "GET", "/supportedentities", "", nil)
	wantError(t, resp, b, http.StatusUnauthorized, "bearer token")
}

func TestNoTokensConfiguredRefusesAll(t *testing.T) {
	h := New(Config{Scan: (&fakeScanner{}).Scan})
	for _, rt := range routes() {
		rec := newRecorder()
		req, _ := http.NewRequest(rt.method, rt.path, strings.NewReader("x"))
		req.Header.Set("Authorization", "Bearer "+TokenPrefix+"anything")
		h.ServeHTTP(rec, req)
		if want := http.StatusUnauthorized; !rt.public && rec.Code != want {
			t.Errorf("%s: %d without a token store, want %d", rt.pattern(), rec.Code, want)
		}
	}
}

func TestBearer(t *testing.T) {
	for _, c := range []struct {
		h, token string
		ok       bool
	}{
		{"Bearer abc", "abc", true},
		{"BEARER  abc ", "abc", true},
		{"Bearer", "", false},
		{"Token abc", "", false},
		{"", "", false},
	} {
		if tok, ok := bearer(c.h); tok != c.token || ok != c.ok {
			t.Errorf("bearer(%q) = %q, %v", c.h, tok, ok)
		}
	}
}
