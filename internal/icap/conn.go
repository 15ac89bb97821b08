package icap

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"time"
)

// ioBufferSize sizes each connection's read and write buffers.
const ioBufferSize = 16 << 10

// answerGrace is the least time left to answer after Check returns.
const answerGrace = 10 * time.Second

// serveConn serves the requests of one connection until it closes, a
// request asks it to, the server shuts down, or a request goes wrong in a
// way that loses the framing.
func (s *Server) serveConn(c *conn, lim Limits) {
	br := bufio.NewReaderSize(c, ioBufferSize)
	bw := bufio.NewWriterSize(c, ioBufferSize)
	log := s.logger()
	for {
		s.setIdle(c, true)
		c.SetReadDeadline(time.Now().Add(lim.IdleTimeout))
		if _, err := br.Peek(1); err != nil {
			return
		}
		s.setIdle(c, false)
		start := time.Now()
		c.SetReadDeadline(start.Add(lim.HeaderTimeout))
		wr, err := readRequest(br, lim.MaxHeaderBytes)
		if err != nil {
			s.refuse(c, bw, err, log)
			return
		}
		c.SetDeadline(start.Add(lim.RequestTimeout))
		closing := wr.close || s.inShutdown.Load()
		if !s.serveRequest(c, br, bw, wr, lim, start, closing) || closing {
			return
		}
	}
}

// refuse answers a request that could not be read with its error status
// (none if the client went away) and the connection closes after it: its
// framing is lost.
func (s *Server) refuse(c *conn, bw *bufio.Writer, err error, log *slog.Logger) {
	status := errorStatus(err)
	if status == 0 {
		if !errors.Is(err, io.EOF) {
			log.Debug("icap: connection dropped", "err", err)
		}
		return
	}
	log.Warn("icap: refused request", "status", status, "err", err)
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	s.writeStatus(bw, status, true)
}

// serveRequest answers one request whose headers were read and reports
// whether the connection can carry another.
func (s *Server) serveRequest(c *conn, br *bufio.Reader, bw *bufio.Writer, wr *wireRequest, lim Limits, start time.Time, closing bool) bool {
	var method string
	switch wr.service {
	case "reqmod":
		method = methodREQMOD
	case "respmod":
		method = methodRESPMOD
	default:
		s.logger().Warn("icap: unknown service", "method", wr.method)
		s.writeStatus(bw, statusServiceNotFound, true)
		return false
	}
	if wr.method == methodOPTIONS {
		if wr.hasBody() && !newBody(br, -1, nil).drain(lim.DrainBytes) {
			closing, c.unread = true, true
		}
		return s.writeOptions(bw, method, lim, closing) == nil && !closing
	}
	if wr.method != method {
		s.logger().Warn("icap: method not allowed for service", "method", wr.method, "service", wr.service)
		s.writeStatus(bw, statusMethodNotAllowed, true)
		return false
	}
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(lim.RequestTimeout))
	defer cancel()
	return s.adapt(ctx, c, br, bw, wr, lim, start, closing)
}

// outcome is what happened to one message, for its log record.
type outcome struct {
	status    int
	action    Action
	reason    string
	truncated bool
	cut       bool // blocked after streaming began: the transfer was cut short
	checkErr  error
}

// adapt runs Check on one REQMOD or RESPMOD and answers it: 204 when
// allowed and the proxy takes it, the unchanged message when it does not,
// the 403 page when blocked.
func (s *Server) adapt(ctx context.Context, c *conn, br *bufio.Reader, bw *bufio.Writer, wr *wireRequest, lim Limits, start time.Time, closing bool) bool {
	b := emptyBody()
	var h *holder
	if wr.hasBody() {
		b = newBody(br, wr.preview, func() error { return writeContinue(bw) })
		if readsAhead(wr) {
			// What Check and a drain after a block may read; see readAhead.
			b.readAheadUpTo(lim.MaxBodyBytes+lim.DrainBytes+1, lim.SpoolDir)
			defer b.close(c)
		}
		if !wr.allow204 {
			h = &holder{s: s, w: bw, wr: wr, closing: closing, sp: &spool{dir: lim.SpoolDir},
				pastPreview: func() bool { return !b.inPreview }}
			if wr.method == methodRESPMOD && lim.StreamAfter > 0 {
				h.streamAfter = lim.StreamAfter
				h.lag = int(min(streamLag, lim.StreamAfter/2))
			}
			defer h.close()
			b.tee = h
		}
	}
	limited := &io.LimitedReader{R: b, N: lim.MaxBodyBytes}
	v, checkErr := s.runCheck(ctx, newRequest(wr, limited, s.UserBase64))
	out := outcome{checkErr: checkErr}
	defer func() { s.logOutcome(wr, b, out, start) }()
	closing = closing || s.inShutdown.Load()
	// A Check that ran out of time still gets its answer (OnError) sent.
	if dl := time.Now().Add(answerGrace); dl.After(start.Add(lim.RequestTimeout)) {
		c.SetDeadline(dl)
	}
	streaming := h != nil && h.streaming
	fail := func(err error) bool {
		if streaming { // an answer is under way: only cutting it is left
			out.status, out.checkErr = 0, err
			return false
		}
		return s.bodyFailed(bw, err, &out)
	}

	if b.err != nil {
		return fail(b.err)
	}
	if checkErr != nil {
		v = Verdict{Action: lim.OnError, Reason: "the content could not be checked"}
	}
	if v.Action == Allow && limited.N <= 0 {
		more, err := b.more()
		if err != nil {
			return fail(err)
		}
		if more {
			out.truncated = true
			if lim.OverLimit == Block {
				v = Verdict{Action: Block, Reason: "too large to check"}
			}
		}
	}
	out.action, out.reason = v.Action, v.Reason
	b.tee = nil

	switch {
	case streaming && v.Action == Block:
		// Too late for the 403 page: cut the transfer short.
		out.status, out.cut = 0, true
		return false
	case v.Action == Block:
		out.status = statusOK
		if b.inPreview {
			if err := b.parkPreview(); err != nil {
				return fail(err)
			}
		}
		if err := s.writeBlock(bw, wr, v.Reason, closing); err != nil {
			return false
		}
		if !b.drain(lim.DrainBytes) {
			c.unread = true
			return false
		}
		return !closing
	case streaming:
		out.status = statusOK
		return writeEchoBody(bw, wr, h.held(), b) == nil && !closing
	case b.inPreview || wr.allow204:
		// A 204 is always welcome right after a preview (RFC 3507 4.5),
		// later only with "Allow: 204"; the rest of the body is dropped.
		if err := b.parkPreview(); err != nil {
			return fail(err)
		}
		if !b.inPreview {
			if _, err := io.Copy(io.Discard, readerFunc(b.read)); err != nil {
				return fail(err)
			}
		}
		out.status = statusNoContent
		return s.writeStatus(bw, statusNoContent, closing) == nil && !closing
	default:
		out.status = statusOK
		if err := s.writeEcho(bw, wr, h.held(), b, closing); err != nil {
			out.status = 0
			return false
		}
		return !closing
	}
}

// bodyFailed answers a body that could not be read: a malformed chunk is a
// 400, a stalled client a 408, a vanished one gets nothing. The connection
// closes after it.
func (s *Server) bodyFailed(bw *bufio.Writer, err error, out *outcome) bool {
	out.status = errorStatus(err)
	if out.status == 0 && !isNetErr(err) {
		// Not the client's fault: the spool could not be written.
		out.status = statusServerError
	}
	if out.status != 0 {
		s.writeStatus(bw, out.status, true)
	}
	out.checkErr = err
	return false
}

// isNetErr reports whether err is the connection failing rather than us.
func isNetErr(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || isConnErr(err)
}

// runCheck calls Check, turning a panic into an error: one bad message must
// not take the service down.
func (s *Server) runCheck(ctx context.Context, r Request) (v Verdict, err error) {
	defer func() {
		if p := recover(); p != nil {
			// Only a runtime error is shown: a panic value may carry content.
			if re, ok := p.(runtime.Error); ok {
				err = fmt.Errorf("icap: check panicked: %w", re)
			} else {
				err = fmt.Errorf("icap: check panicked (%T)", p)
			}
		}
	}()
	return s.Check(ctx, r)
}

func (s *Server) logOutcome(wr *wireRequest, b *body, out outcome, start time.Time) {
	log := s.logger()
	attrs := []any{
		"method", wr.method, "status", out.status, "action", out.action.String(),
		"bytes", b.n, "truncated", out.truncated, "cut", out.cut, "preview", wr.preview,
		"ms", time.Since(start).Milliseconds(),
	}
	switch {
	case out.checkErr != nil:
		log.Warn("icap: message", append(attrs, "reason", out.reason, "err", out.checkErr)...)
	case out.action == Block:
		log.Info("icap: message blocked", append(attrs, "reason", out.reason)...)
	default:
		log.Debug("icap: message", attrs...)
	}
}

// eofReader is an empty reader.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
