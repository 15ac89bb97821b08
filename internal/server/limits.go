package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// admit takes a concurrency slot without waiting: a server at its limit
// answers 503 at once rather than queueing work it may not finish in time.
func (s *server) admit() (release func(), ok bool) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, true
	default:
		return nil, false
	}
}

// limit applies the body-size and time limits to a scanning request. It
// answers 413 itself, and returns nil, when the declared length is already
// too large.
func (s *server) limit(w *statusWriter, r *http.Request) (*http.Request, context.CancelFunc) {
	if r.ContentLength > s.cfg.MaxBody {
		writeError(w, http.StatusRequestEntityTooLarge, tooLarge(s.cfg.MaxBody))
		return nil, nil
	}
	deadline := time.Now().Add(s.cfg.Timeout)
	ctx, cancel := context.WithDeadline(r.Context(), deadline)
	// The read deadline stops a client that sends its body too slowly
	// (slowloris); the body reader clears it at the end of the body so that
	// it cannot cut the response or the next request on the connection.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(deadline) // not supported by every ResponseWriter: then only ctx bounds the scan
	// MaxBytesReader gets the connection's own writer: through it, it
	// tells the server to close the connection rather than drain the rest.
	b := &body{r: http.MaxBytesReader(w.ResponseWriter, r.Body, s.cfg.MaxBody), rc: rc}
	r = r.WithContext(ctx)
	r.Body = b
	return r, cancel
}

func tooLarge(max int64) string {
	return fmt.Sprintf("request body larger than the limit of %d bytes", max)
}

// body reads a request body under its limits and remembers how it ended,
// so that the answer can say why a scan stopped, whatever the scanner made
// of the read error.
type body struct {
	r       io.ReadCloser
	rc      *http.ResponseController
	n       int64
	eof     bool
	tooBig  bool
	readErr error // the first error other than EOF and too-big
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		if !b.eof {
			b.eof = true
			b.rc.SetReadDeadline(time.Time{})
		}
	default:
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			b.tooBig = true
		} else if b.readErr == nil {
			b.readErr = err
		}
	}
	return n, err
}

func (b *body) Close() error { return b.r.Close() }

// finish reads what the scanner left of the body, up to the limit, so that
// a body over the limit is refused even when the scanner stopped early.
func (b *body) finish() {
	if !b.eof && !b.tooBig && b.readErr == nil {
		io.Copy(io.Discard, b)
	}
}

// failure returns the status and message for a scanning request whose
// body could not be read whole or whose time ran out, or 0. It is checked
// before the scanner's own error, which is often only a consequence.
func (s *server) failure(ctx context.Context, b *body) (int, string) {
	if b != nil {
		b.finish()
		switch {
		case b.tooBig:
			return http.StatusRequestEntityTooLarge, tooLarge(s.cfg.MaxBody)
		case isTimeout(b.readErr):
			return http.StatusRequestTimeout, fmt.Sprintf("request body not received within the time limit (%s)", s.cfg.Timeout)
		case b.readErr != nil:
			return http.StatusBadRequest, "reading the request body: " + b.readErr.Error()
		}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return http.StatusServiceUnavailable, fmt.Sprintf("the scan did not finish within the time limit (%s)", s.cfg.Timeout)
	}
	if ctx.Err() != nil {
		return http.StatusServiceUnavailable, "request canceled"
	}
	return 0, ""
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// bodyOf returns the limited body of a scanning request.
func bodyOf(r *http.Request) *body {
	b, _ := r.Body.(*body)
	return b
}
