package server

import (
	"io"
	"net"
	"testing"
	"time"
)

// A client that never finishes its headers is disconnected after
// ReadHeaderTimeout, before any handler runs.
func TestHTTPServerDropsSlowHeaders(t *testing.T) {
	srv := HTTPServer("127.0.0.1:0", New(Config{Scan: (&fakeScanner{}).Scan}))
	if srv.ReadHeaderTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Fatalf("limits unset: %+v", srv)
	}
	srv.ReadHeaderTimeout = 200 * time.Millisecond // keep the test short
	l, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()

	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	t0 := time.Now()
	b, _ := io.ReadAll(c) // ends when the server closes the connection
	if d := time.Since(t0); d > 3*time.Second {
		t.Errorf("connection held %s by an unfinished header", d)
	}
	if len(b) > 0 && string(b[:12]) == "HTTP/1.1 200" {
		t.Errorf("handler answered an unfinished request: %q", b)
	}
}
