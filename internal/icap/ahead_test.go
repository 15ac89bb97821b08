package icap

import (
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// heldCheck reads the first bytes of a body, then waits for release before
// reading the rest: a scanner far slower than the client. It records what
// it read in all, and answers the verdict.
type heldCheck struct {
	once    sync.Once // only the first message is held
	started chan struct{}
	release chan struct{}
	verdict Verdict
	sum     [32]byte
	n       int
}

func newHeldCheck(v Verdict) *heldCheck {
	return &heldCheck{started: make(chan struct{}), release: make(chan struct{}), verdict: v}
}

func (h *heldCheck) check(_ context.Context, r Request) (Verdict, error) {
	head := make([]byte, 8<<10) // past a 4096-byte preview
	n, err := io.ReadFull(r.Body, head)
	if err == io.ErrUnexpectedEOF {
		err = nil // a short body
	}
	h.once.Do(func() { close(h.started) })
	<-h.release
	if err != nil {
		return Verdict{}, err
	}
	if h.verdict.Action == Block {
		return h.verdict, nil
	}
	sum := sha256.New()
	sum.Write(head[:n])
	m, err := io.Copy(sum, r.Body)
	h.n = n + int(m)
	copy(h.sum[:], sum.Sum(nil))
	return h.verdict, err
}

// spoolFiles lists what the server left in its spool directory.
func spoolFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestUploadReadAhead sends an upload far larger than the connection's
// socket buffers while Check is stuck on its first bytes: the whole body
// must still leave the client, because the server reads it ahead into its
// spool. Squid 5.7 kills an upload whose service falls that far behind
// (bug 5405). Check then gets every byte, and the connection carries the
// next request.
func TestUploadReadAhead(t *testing.T) {
	for _, preview := range []int{-1, 4096} {
		t.Run("preview "+itoa(preview), func(t *testing.T) {
			dir := t.TempDir()
			hc := newHeldCheck(Verdict{})
			addr, _ := startServer(t, Limits{SpoolDir: dir}, hc.check)
			tc := dial(t, addr)
			body := pattern(24 << 20)
			req := uploadReq(string(body))
			req.allow204, req.preview, req.chunk = true, preview, 64<<10
			first := req.first() // without a preview: the whole body
			sent := make(chan error, 1)
			if preview < 0 {
				go func() { _, err := tc.c.Write(first); sent <- err }()
			} else {
				if _, err := tc.c.Write(first); err != nil {
					t.Fatal(err)
				}
				if resp, err := readTestResp(tc.br); err != nil || resp.status != statusContinue {
					t.Fatalf("after the preview: %v, %+v", err, resp)
				}
				go func() { _, err := tc.c.Write(req.rest()); sent <- err }()
			}
			waitSent(t, hc, sent)
			if files := spoolFiles(t, dir); len(files) != 1 {
				t.Errorf("spool while Check waits: %v, want one file", files)
			}
			close(hc.release)
			resp, err := readTestResp(tc.br)
			if err != nil || resp.status != statusNoContent {
				t.Fatalf("answer: %v, %+v", err, resp)
			}
			if hc.n != len(body) || hc.sum != sha256.Sum256(body) {
				t.Errorf("Check read %d bytes (want %d) or other bytes than were sent", hc.n, len(body))
			}
			cleanAndInStep(t, dir, tc)
		})
	}
}

// cleanAndInStep checks, after an answered upload, that its spool is gone
// and the connection carries the next request.
func cleanAndInStep(t *testing.T, dir string, tc *testClient) {
	t.Helper()
	if files := spoolFiles(t, dir); len(files) != 0 {
		t.Errorf("spool left behind: %v", files)
	}
	next := uploadReq("next")
	next.allow204 = true
	if resp, _ := tc.do(next); resp.status != statusNoContent {
		t.Errorf("next request on the connection: status %d", resp.status)
	}
}

// waitSent waits until the client has written the whole rest of the body
// while Check still holds on its first bytes.
func waitSent(t *testing.T, hc *heldCheck, sent chan error) {
	t.Helper()
	select {
	case err := <-sent:
		if err != nil {
			t.Fatalf("sending the body: %v", err)
		}
	case <-time.After(15 * time.Second):
		close(hc.release)
		t.Fatal("the client could not send the body while Check was slow: the server did not read ahead")
	}
	<-hc.started
}

// TestUploadReadAheadLimit: past MaxBodyBytes and DrainBytes the server
// stops reading ahead and reads the rest off the wire itself, so an
// over-limit upload costs bounded disk and still ends in step.
func TestUploadReadAheadLimit(t *testing.T) {
	dir := t.TempDir()
	var s seen
	addr, _ := startServer(t, Limits{SpoolDir: dir, MaxBodyBytes: 1 << 20, DrainBytes: 64 << 10}, s.readAllCheck)
	tc := dial(t, addr)
	req := uploadReq(string(pattern(6 << 20)))
	req.allow204, req.preview, req.chunk = true, 4096, 64<<10
	resp, cont := tc.do(req)
	if resp.status != statusNoContent || !cont {
		t.Fatalf("status %d (continue %v), want 204 after the rest", resp.status, cont)
	}
	if _, got := s.last(t); len(got) != 1<<20 {
		t.Errorf("Check read %d bytes, want the limit", len(got))
	}
	cleanAndInStep(t, dir, tc)
}

// TestUploadReadAheadBlocked: an upload blocked while the client still
// sends gets its 403 page, and its spool is gone as soon as the answer is,
// though the client has neither finished nor closed.
func TestUploadReadAheadBlocked(t *testing.T) {
	dir := t.TempDir()
	hc := newHeldCheck(Verdict{Action: Block, Reason: "test marker"})
	addr, _ := startServer(t, Limits{SpoolDir: dir, DrainBytes: 64 << 10}, hc.check)
	tc := dial(t, addr)
	req := uploadReq(string(pattern(24 << 20)))
	req.chunk = 64 << 10
	// The head and 2 MiB of the body, then nothing: the read-ahead waits
	// on the wire when the verdict comes.
	part := append(req.head(), req.chunks(pattern(2<<20))...)
	if _, err := tc.c.Write(part); err != nil {
		t.Fatal(err)
	}
	<-hc.started
	deadline := time.Now().Add(5 * time.Second)
	for len(spoolFiles(t, dir)) == 0 {
		if time.Now().After(deadline) {
			close(hc.release)
			t.Fatal("the 2 MiB sent were never spooled: nothing read ahead")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(hc.release)
	resp, err := readTestResp(tc.br)
	if err != nil || resp.status != 200 || !strings.HasPrefix(resp.resHdr, "HTTP/1.1 403 Forbidden\r\n") {
		t.Fatalf("answer: %v, %+v", err, resp)
	}
	deadline = time.Now().Add(3 * time.Second) // within the server's linger
	for len(spoolFiles(t, dir)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("spool left behind: %v", spoolFiles(t, dir))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReadsAhead(t *testing.T) {
	for _, c := range []struct {
		method, length string
		want           bool
	}{
		{methodREQMOD, "", true},          // chunked: no length declared
		{methodREQMOD, "10240", false},    // a form post
		{methodREQMOD, "65536", false},    // aheadFrom itself
		{methodREQMOD, "65537", true},     // past it
		{methodREQMOD, "5000000", true},   // an upload Squid's buffer cannot hold
		{methodREQMOD, "-1", true},        // nonsense: read ahead
		{methodRESPMOD, "5000000", false}, // downloads are streamed, not read ahead
	} {
		h := http.Header{}
		if c.length != "" {
			h.Set("Content-Length", c.length)
		}
		wr := &wireRequest{method: c.method, reqHead: &HTTPRequestHead{Method: "POST", Header: h}}
		if got := readsAhead(wr); got != c.want {
			t.Errorf("%s with Content-Length %q: reads ahead %v, want %v", c.method, c.length, got, c.want)
		}
	}
}

// TestUploadReadAheadCatchesUp sends an upload in bursts to a Check
// slower than a burst and faster than the pauses between them, so that it
// falls behind (the spool moves to its file) and catches up (the spool
// starts over) again and again: it must still read every byte in order.
func TestUploadReadAheadCatchesUp(t *testing.T) {
	dir := t.TempDir()
	sum := sha256.New()
	var n int64
	check := func(_ context.Context, r Request) (Verdict, error) {
		buf := make([]byte, 64<<10)
		for {
			k, err := io.ReadFull(r.Body, buf)
			sum.Write(buf[:k])
			n += int64(k)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return Verdict{}, nil
			}
			if err != nil {
				return Verdict{}, err
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	addr, _ := startServer(t, Limits{SpoolDir: dir}, check)
	tc := dial(t, addr)
	body := pattern(6 << 20)
	req := uploadReq(string(body))
	req.allow204, req.chunk = true, 64<<10
	rest := req.chunks(body)
	if _, err := tc.c.Write(req.head()); err != nil {
		t.Fatal(err)
	}
	const burst = 512 << 10
	for len(rest) > 0 {
		k := min(burst, len(rest))
		if _, err := tc.c.Write(rest[:k]); err != nil {
			t.Fatal(err)
		}
		rest = rest[k:]
		time.Sleep(30 * time.Millisecond)
	}
	if _, err := tc.c.Write([]byte("0\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	resp, err := readTestResp(tc.br)
	if err != nil || resp.status != statusNoContent {
		t.Fatalf("answer: %v, %+v", err, resp)
	}
	if want := sha256.Sum256(body); n != int64(len(body)) || string(sum.Sum(nil)) != string(want[:]) {
		t.Errorf("Check read %d bytes (want %d) or other bytes than were sent", n, len(body))
	}
	cleanAndInStep(t, dir, tc)
}
