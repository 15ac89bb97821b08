package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkScanOverhead measures what the server adds to a scan of a 10 KB
// body over loopback (routing, token check, limits, JSON), with a scanner
// that only reads the body.
func BenchmarkScanOverhead(b *testing.B) {
	toks, err := OpenTokens(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	token, _ := toks.Create("bench")
	hs := httptest.NewServer(New(Config{Tokens: toks, Scan: func(_ context.Context, in Input) (Result, error) {
		_, err := io.Copy(io.Discard, in.Body)
		return Result{}, err
	}}))
	defer hs.Close()
	body := []byte(strings.Repeat("0123456789abcdef", 640)) // 10 KiB
	b.SetBytes(int64(len(body)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", hs.URL+"/v1/scan", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}
