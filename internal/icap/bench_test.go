package icap

import (
	"context"
	"io"
	"testing"
)

// BenchmarkREQMOD measures one keep-alive connection answering uploads the
// way Squid sends them: a 4 KiB preview, "100 Continue", the rest, then
// 204. The 10 KB upload is read at Check's pace, the 8 MB one ahead of it
// (readAhead), through the spool.
func BenchmarkREQMOD(b *testing.B) {
	read := func(_ context.Context, r Request) (Verdict, error) {
		_, err := io.Copy(io.Discard, r.Body)
		return Verdict{}, err
	}
	for _, size := range []struct {
		name string
		n    int
	}{{"10KB", 10 << 10}, {"8MB", 8 << 20}} {
		b.Run(size.name, func(b *testing.B) {
			addr, _ := startServer(b, Limits{SpoolDir: b.TempDir()}, read)
			tc := dial(b, addr)
			req := uploadReq(string(pattern(size.n)))
			req.preview, req.allow204, req.chunk = 4096, true, 64<<10
			b.SetBytes(int64(size.n))
			b.ReportAllocs()
			for b.Loop() {
				if resp, cont := tc.do(req); resp.status != statusNoContent || !cont {
					b.Fatalf("status %d continue %v", resp.status, cont)
				}
			}
		})
	}
}
