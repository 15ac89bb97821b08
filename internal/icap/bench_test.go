package icap

import (
	"context"
	"io"
	"testing"
)

// BenchmarkREQMOD measures one keep-alive connection answering 10 KB
// uploads the way Squid sends them: a 4 KiB preview, "100 Continue", the
// rest, then 204.
func BenchmarkREQMOD(b *testing.B) {
	read := func(_ context.Context, r Request) (Verdict, error) {
		_, err := io.Copy(io.Discard, r.Body)
		return Verdict{}, err
	}
	addr, _ := startServer(b, Limits{}, read)
	tc := dial(b, addr)
	req := uploadReq(string(pattern(10 << 10)))
	req.preview, req.allow204 = 4096, true
	b.SetBytes(10 << 10)
	b.ReportAllocs()
	for b.Loop() {
		if resp, cont := tc.do(req); resp.status != statusNoContent || !cont {
			b.Fatalf("status %d continue %v", resp.status, cont)
		}
	}
}
