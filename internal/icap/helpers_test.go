package icap

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// marker is the synthetic "sensitive value" the tests' Check blocks.
const marker = "LG-TEST-MARKER-7Q2"

// seen records what Check was given.
type seen struct {
	mu   sync.Mutex
	reqs []Request
	body [][]byte
}

func (s *seen) add(r Request, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
	s.body = append(s.body, b)
}

func (s *seen) last(t *testing.T) (Request, []byte) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		t.Fatal("Check was not called")
	}
	return s.reqs[len(s.reqs)-1], s.body[len(s.body)-1]
}

// readAllCheck reads the whole body and blocks it if it holds the marker.
func (s *seen) readAllCheck(_ context.Context, r Request) (Verdict, error) {
	b, err := io.ReadAll(r.Body)
	s.add(r, b)
	if err != nil {
		return Verdict{}, err
	}
	if bytes.Contains(b, []byte(marker)) {
		return Verdict{Action: Block, Reason: "test marker"}, nil
	}
	return Verdict{}, nil
}

// streamCheck reads the body a little at a time and stops at the first
// marker, as a streaming scanner does: a marker in the preview blocks
// without the rest being asked for.
func (s *seen) streamCheck(_ context.Context, r Request) (Verdict, error) {
	var all []byte
	buf := make([]byte, 256)
	for {
		n, err := r.Body.Read(buf)
		all = append(all, buf[:n]...)
		if bytes.Contains(all, []byte(marker)) {
			s.add(r, all)
			return Verdict{Action: Block, Reason: "test marker"}, nil
		}
		if errors.Is(err, io.EOF) {
			s.add(r, all)
			return Verdict{}, nil
		}
		if err != nil {
			s.add(r, all)
			return Verdict{}, err
		}
	}
}

// startServer serves on a loopback port until the test ends.
func startServer(t testing.TB, lim Limits, check func(context.Context, Request) (Verdict, error)) (string, *Server) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{Check: check, Limits: lim}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return l.Addr().String(), srv
}

// pattern returns n bytes of deterministic, marker-free text.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = "abcdefghijklmnopqrstuvwxyz0123456789 \n"[(i*7+i/91)%38]
	}
	return b
}

// listen returns a loopback listener and a Server the test starts itself.
func listen(t *testing.T) (net.Listener, *Server) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l, &Server{}
}

func itoa(n int) string { return strconv.Itoa(n) }
