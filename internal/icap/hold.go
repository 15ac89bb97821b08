package icap

import (
	"bufio"
	"bytes"
	"io"
)

// holder keeps the body Check reads until the verdict, for a proxy that
// takes no 204 after the preview and so must be sent the message back.
//
// A RESPMOD is held for at most Limits.StreamAfter bytes: Squid (5.7 as
// Debian ships it, see Squid bug 5352) stops sending a response body after
// about 64 KiB until the ICAP server starts answering, so a longer response
// is streamed back while Check still reads it, and a late block verdict cuts
// the transfer short instead of replacing it with the 403 page. Streaming
// lags behind Check: a byte is sent only once Check has read it and lag
// bytes more, so a value Check blocks on is not sent, even when it straddles
// two reads. Requests (uploads) are always held whole: an upload is never
// half forwarded.
type holder struct {
	s           *Server
	w           *bufio.Writer
	wr          *wireRequest
	closing     bool
	sp          *spool
	streamAfter int64       // 0: never stream
	lag         int         // bytes Check has read that are still kept back
	pastPreview func() bool // streaming must wait for "100 Continue"
	streaming   bool
	tail        []byte // kept back while streaming: the lag, then the unread
}

// streamLag is the lag behind Check while streaming: longer than any value
// a rule matches.
const streamLag = 16 << 10

func (h *holder) Write(p []byte) (int, error) {
	if h.streaming {
		// Everything in tail was read by Check before p: send all but
		// the lag, and keep p, which it has not read yet.
		if err := h.send(len(h.tail) - h.lag); err != nil {
			return 0, err
		}
		h.tail = append(h.tail, p...)
		return len(p), nil
	}
	n, err := h.sp.Write(p)
	if err != nil {
		return n, err
	}
	if h.streamAfter > 0 && h.sp.size >= h.streamAfter && h.pastPreview() {
		return n, h.startStreaming(len(p))
	}
	return n, nil
}

// startStreaming answers 200 with the unchanged head and sends what was
// held but the lag and the last unread bytes.
func (h *holder) startStreaming(unread int) error {
	h.streaming = true
	h.s.writeEchoHead(h.w, h.wr, h.closing)
	held, err := io.ReadAll(h.sp.reader())
	if err != nil {
		return err
	}
	h.sp.close()
	h.tail = held
	return h.send(len(held) - unread - h.lag)
}

// send writes the first n bytes of tail as a chunk and flushes.
func (h *holder) send(n int) error {
	if n <= 0 {
		return nil
	}
	if _, err := (chunkWriter{h.w}).Write(h.tail[:n]); err != nil {
		return err
	}
	h.tail = h.tail[:copy(h.tail, h.tail[n:])]
	return h.w.Flush()
}

// held returns what was kept back, to send after an allow verdict.
func (h *holder) held() io.Reader {
	switch {
	case h == nil:
		return eofReader{}
	case h.streaming:
		return bytes.NewReader(h.tail)
	}
	return h.sp.reader()
}

func (h *holder) close() {
	if h != nil {
		h.sp.close()
	}
}
