package icap

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/icap/icaptest"
)

// slowCheck reads the body at about 4 MB/s, as a real scanner on a busy
// machine may, and allows it.
func slowCheck(_ context.Context, r Request) (Verdict, error) {
	buf := make([]byte, 64<<10)
	for {
		_, err := r.Body.Read(buf)
		if errors.Is(err, io.EOF) {
			return Verdict{}, nil
		}
		if err != nil {
			return Verdict{}, err
		}
		time.Sleep(16 * time.Millisecond)
	}
}

// TestSquidSlowCheck uploads 8 MB through Squid, with its default request
// buffer, to a Check slower than the client. Squid 5.7 (Debian 12) drops
// such an upload, answering the client with nothing, once its request
// buffer (client_request_buffer_max_size, 512 KB) has filled and the
// service reads a little more: Squid bug 5405, fixed upstream in 2024
// (squid-cache/squid pull 1887). The server reads uploads ahead of Check
// (readAhead) so that the buffer never fills.
func TestSquidSlowCheck(t *testing.T) {
	icaptest.NeedSquid(t)
	body := pattern(8 << 20)
	addr, _ := startServer(t, Limits{SpoolDir: t.TempDir()}, slowCheck)
	org := icaptest.StartOrigin(t, nil)
	proxy := icaptest.StartSquid(t, addr)
	code, resp, err := proxy.Curl(t, "-H", "Content-Type: application/octet-stream",
		"--data-binary", "@"+writeTemp(t, body), org.URL+"/upload")
	if err != nil || code != 200 || string(resp) != icaptest.Sum(body) {
		t.Fatalf("HTTP %d, curl %v, origin got %q", code, err, resp)
	}
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "upload-")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}
