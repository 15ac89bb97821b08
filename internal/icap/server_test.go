package icap

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestOptions(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{MaxConnections: 7}, s.readAllCheck)
	tc := dial(t, addr)
	for _, svc := range []string{"reqmod", "respmod"} {
		resp, err := tc.raw([]byte("OPTIONS icap://127.0.0.1/" + svc + " ICAP/1.0\r\nHost: 127.0.0.1\r\n\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"Methods": strings.ToUpper(svc), "Preview": "4096", "Allow": "204",
			"Max-Connections": "7", "Options-Ttl": "3600", "Istag": `"leakguard"`,
			"Transfer-Preview": "*", "Encapsulated": "null-body=0",
		}
		if resp.status != 200 {
			t.Fatalf("%s: status %d", svc, resp.status)
		}
		for k, v := range want {
			if got := resp.header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", svc, k, got, v)
			}
		}
		if resp.header.Get("Service") == "" || resp.header.Get("Date") == "" {
			t.Errorf("%s: no Service or Date header", svc)
		}
	}
	if len(s.reqs) != 0 {
		t.Error("OPTIONS called Check")
	}
}

func TestAllow204(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{}, s.readAllCheck)
	req := uploadReq("hello, nothing to see here")
	req.allow204 = true
	resp, cont := dial(t, addr).do(req)
	if resp.status != 204 || cont {
		t.Fatalf("status %d (continue %v), want 204", resp.status, cont)
	}
	r, body := s.last(t)
	if string(body) != "hello, nothing to see here" {
		t.Errorf("Check read %q", body)
	}
	if r.Method != "REQMOD" || r.URL != "http://origin.example/upload" || r.ClientIP != "192.0.2.7" ||
		r.User != "alice" || r.ContentType != "text/plain" || r.HTTPRequest.Method != "POST" {
		t.Errorf("request seen as %+v", r)
	}
}

func TestBlockPage(t *testing.T) {
	for _, method := range []string{methodREQMOD, methodRESPMOD} {
		t.Run(method, func(t *testing.T) {
			var s seen
			addr, _ := startServer(t, Limits{}, s.readAllCheck)
			req := uploadReq("card: " + marker + " end")
			req.allow204 = true
			if method == methodRESPMOD {
				req.method = method
				req.resHdr = "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n\r\n"
			}
			resp, _ := dial(t, addr).do(req)
			if resp.status != 200 || !strings.HasPrefix(resp.resHdr, "HTTP/1.1 403 Forbidden\r\n") {
				t.Fatalf("status %d, res-hdr %q", resp.status, resp.resHdr)
			}
			if !bytes.Contains(resp.body, []byte("test marker")) || bytes.Contains(resp.body, []byte(marker)) {
				t.Errorf("page must name the policy and not echo the value:\n%s", resp.body)
			}
			if !strings.Contains(resp.resHdr, "Content-Length: "+itoa(len(resp.body))+"\r\n") {
				t.Errorf("Content-Length does not match the page: %q", resp.resHdr)
			}
			if r, _ := s.last(t); method == methodRESPMOD && r.ContentType != "text/csv" {
				t.Errorf("RESPMOD content type %q", r.ContentType)
			}
		})
	}
}

func TestPreview(t *testing.T) {
	big := pattern(100_000)
	withMarker := append(append(pattern(100), marker...), pattern(100_000)...)
	tests := []struct {
		name     string
		body     []byte
		allow204 bool
		wantCont bool
		status   int
		echo     bool
	}{
		{"marker in preview blocks without asking for the rest", withMarker, false, false, 200, false},
		{"whole body in preview (ieof) gets 204 without Allow", pattern(3000), false, false, 204, false},
		{"clean body continues, then 204 with Allow", big, true, true, 204, false},
		{"clean body continues, then echo without Allow", big, false, true, 200, true},
		{"marker after preview blocks after continue", append(pattern(10_000), marker...), false, true, 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s seen
			addr, _ := startServer(t, Limits{}, s.streamCheck)
			tc := dial(t, addr)
			req := uploadReq(string(tt.body))
			req.preview, req.allow204, req.chunk = 4096, tt.allow204, 3000
			resp, cont := tc.do(req)
			if resp.status != tt.status || cont != tt.wantCont {
				t.Fatalf("status %d continue %v, want %d %v", resp.status, cont, tt.status, tt.wantCont)
			}
			if tt.echo && (resp.reqHdr != req.reqHdr || !bytes.Equal(resp.body, tt.body)) {
				t.Errorf("echo differs: header %v, body %d bytes of %d", resp.reqHdr == req.reqHdr, len(resp.body), len(tt.body))
			}
			if tt.status == 200 && !tt.echo && !strings.HasPrefix(resp.resHdr, "HTTP/1.1 403") {
				t.Errorf("want the 403 page, got %q", resp.resHdr)
			}
			// The connection is still in step.
			again := uploadReq("second")
			again.allow204 = true
			if resp, _ := tc.do(again); resp.status != 204 {
				t.Errorf("next request on the connection: %d", resp.status)
			}
		})
	}
}

func TestEchoLargeWithoutAllow204(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{SpoolDir: t.TempDir()}, s.readAllCheck)
	body := pattern(3 << 20) // past the in-memory spool: the copy goes to a file
	req := uploadReq(string(body))
	req.chunk = 65536
	resp, _ := dial(t, addr).do(req)
	if resp.status != 200 || resp.reqHdr != req.reqHdr || !bytes.Equal(resp.body, body) {
		t.Fatalf("status %d, header same %v, body %d bytes same %v", resp.status, resp.reqHdr == req.reqHdr, len(resp.body), bytes.Equal(resp.body, body))
	}
}

func TestNullBody(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{}, s.readAllCheck)
	tc := dial(t, addr)
	get := testReq{preview: -1, reqHdr: "GET http://origin.example/?q=1 HTTP/1.1\r\nHost: origin.example\r\n\r\n"}
	resp, _ := tc.do(get)
	if resp.status != 200 || resp.reqHdr != get.reqHdr || resp.hasBody {
		t.Fatalf("echo of a GET: status %d, hdr %q, body %v", resp.status, resp.reqHdr, resp.hasBody)
	}
	get.allow204 = true
	if resp, _ := tc.do(get); resp.status != 204 {
		t.Fatalf("GET with Allow: 204: %d", resp.status)
	}
}

func TestRESPMODEcho(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{}, s.readAllCheck)
	req := uploadReq("")
	req.method = methodRESPMOD
	req.reqHdr = "GET http://origin.example/file.txt HTTP/1.1\r\nHost: origin.example\r\n\r\n"
	req.resHdr = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n"
	req.body = pattern(5000)
	req.preview = 1024
	resp, cont := dial(t, addr).do(req)
	if resp.status != 200 || !cont || resp.resHdr != req.resHdr || resp.reqHdr != "" || !bytes.Equal(resp.body, req.body) {
		t.Fatalf("status %d cont %v res-hdr same %v body same %v", resp.status, cont, resp.resHdr == req.resHdr, bytes.Equal(resp.body, req.body))
	}
}

func TestBodyLimit(t *testing.T) {
	body := string(pattern(3000)) + marker + string(pattern(2000))
	for _, tt := range []struct {
		name   string
		size   int
		policy Action
		want   int
	}{
		{"tail unscanned, default allows", 1000, Allow, 204},
		{"tail unscanned, policy blocks", 1000, Block, 200},
		{"body exactly at the limit is whole", len(body), Block, 200}, // blocked for the marker
		{"clean body at the limit passes", 3000, Block, 204},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var s seen
			addr, _ := startServer(t, Limits{MaxBodyBytes: int64(tt.size), OverLimit: tt.policy}, s.readAllCheck)
			b := body
			if tt.want == 204 && tt.policy == Block {
				b = body[:3000]
			}
			req := uploadReq(b)
			req.allow204 = true
			resp, _ := dial(t, addr).do(req)
			if resp.status != tt.want {
				t.Fatalf("status %d, want %d", resp.status, tt.want)
			}
			if _, got := s.last(t); len(got) > tt.size {
				t.Errorf("Check saw %d bytes, limit %d", len(got), tt.size)
			}
			if tt.want == 200 && tt.size == 1000 && !bytes.Contains(resp.body, []byte("too large to check")) {
				t.Errorf("page does not say why: %s", resp.body)
			}
		})
	}
}

func TestCheckFailure(t *testing.T) {
	failing := map[string]func(context.Context, Request) (Verdict, error){
		"error": func(context.Context, Request) (Verdict, error) { return Verdict{}, errors.New("engine broke") },
		"panic": func(context.Context, Request) (Verdict, error) { panic("boom") },
	}
	for name, check := range failing {
		for _, policy := range []Action{Allow, Block} {
			t.Run(name+"/"+policy.String(), func(t *testing.T) {
				addr, _ := startServer(t, Limits{OnError: policy}, check)
				tc := dial(t, addr)
				req := uploadReq("some body")
				req.allow204 = true
				for range 2 { // and the server goes on
					resp, _ := tc.do(req)
					want := map[Action]int{Allow: 204, Block: 200}[policy]
					if resp.status != want {
						t.Fatalf("status %d, want %d", resp.status, want)
					}
				}
			})
		}
	}
}

func TestConnectionClose(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{}, s.readAllCheck)
	tc := dial(t, addr)
	req := uploadReq("x")
	req.allow204 = true
	req.extra = append(req.extra, "Connection: close")
	resp, _ := tc.do(req)
	if resp.status != 204 || resp.header.Get("Connection") != "close" || !tc.closed() {
		t.Fatalf("status %d Connection %q: want 204 and the connection closed", resp.status, resp.header.Get("Connection"))
	}
}

func TestSlowClient(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{HeaderTimeout: 200 * time.Millisecond, IdleTimeout: 300 * time.Millisecond}, s.readAllCheck)

	slow := dial(t, addr)
	slow.c.Write([]byte("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n"))
	start := time.Now()
	resp, err := readTestResp(slow.br)
	if err != nil || resp.status != statusRequestTimeout || !slow.closed() {
		t.Fatalf("slow header: %v %v", resp, err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v to drop a slow client", d)
	}

	idle := dial(t, addr)
	if !idle.closed() {
		t.Fatal("idle connection not closed")
	}

	// A body that stalls mid-chunk is cut at RequestTimeout.
	addr2, _ := startServer(t, Limits{RequestTimeout: 300 * time.Millisecond}, s.readAllCheck)
	stall := dial(t, addr2)
	req := uploadReq(string(pattern(5000)))
	stall.c.Write(req.head())
	stall.c.Write([]byte("1388\r\nabc"))
	resp, err = readTestResp(stall.br)
	if err != nil || resp.status != statusRequestTimeout || !stall.closed() {
		t.Fatalf("stalled body: %v %v", resp, err)
	}
}

func TestShutdownGraceful(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	check := func(ctx context.Context, r Request) (Verdict, error) {
		started <- struct{}{}
		<-release
		return Verdict{}, nil
	}
	l, srv := listen(t)
	srv.Check = check
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()

	idle := dial(t, l.Addr().String())
	if resp, _ := idle.raw([]byte("OPTIONS icap://x/reqmod ICAP/1.0\r\n\r\n")); resp == nil || resp.status != 200 {
		t.Fatal("OPTIONS failed")
	}
	busy := dial(t, l.Addr().String())
	req := uploadReq("in flight")
	req.allow204 = true
	busy.c.Write(req.first())
	<-started

	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(context.Background()) }()
	if !idle.closed() {
		t.Fatal("idle keep-alive connection not closed by Shutdown")
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned %v with a message in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	resp, err := readTestResp(busy.br)
	if err != nil || resp.status != 204 || resp.header.Get("Connection") != "close" {
		t.Fatalf("in-flight message: %v %v", resp, err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve: %v", err)
	}
}

func TestShutdownDeadline(t *testing.T) {
	l, srv := listen(t)
	block := make(chan struct{})
	defer close(block)
	srv.Check = func(ctx context.Context, r Request) (Verdict, error) { <-block; return Verdict{}, nil }
	go srv.Serve(l)
	busy := dial(t, l.Addr().String())
	busy.c.Write(uploadReq("stuck").first())
	time.Sleep(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want the deadline", err)
	}
	if !busy.closed() {
		t.Fatal("connection left open after the deadline")
	}
}

func TestMaxConnections(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{MaxConnections: 2}, s.readAllCheck)
	options := []byte("OPTIONS icap://x/reqmod ICAP/1.0\r\n\r\n")
	a, b := dial(t, addr), dial(t, addr)
	for _, c := range []*testClient{a, b} {
		if resp, err := c.raw(options); err != nil || resp.status != 200 {
			t.Fatal(resp, err)
		}
	}
	third := dial(t, addr)
	third.c.Write(options)
	third.c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := third.br.ReadByte(); err == nil {
		t.Fatal("a third connection was served over MaxConnections 2")
	}
	a.c.Close()
	third.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if resp, err := readTestResp(third.br); err != nil || resp.status != 200 {
		t.Fatalf("third connection after a slot freed: %v %v", resp, err)
	}
}

func TestUserAndClient(t *testing.T) {
	for _, tt := range []struct {
		hdr    []string
		base64 bool
		user   string
		ip     string
	}{
		{[]string{"X-Authenticated-User: TG9jYWw6Ly9hbGljZQ==", "X-Client-IP: 2001:db8::1"}, true, "alice", "2001:db8::1"},
		{[]string{"X-Authenticated-User: WinNT://EXAMPLE/bob"}, false, "EXAMPLE/bob", ""},
		{[]string{"X-Client-Username: carol", "X-Client-IP: not-an-ip"}, false, "carol", ""},
	} {
		h := http.Header{}
		for _, kv := range tt.hdr {
			k, v, _ := strings.Cut(kv, ": ")
			h.Set(k, v)
		}
		r := newRequest(&wireRequest{method: methodREQMOD, header: h}, nil, tt.base64)
		if r.User != tt.user || r.ClientIP != tt.ip {
			t.Errorf("%v: user %q ip %q, want %q %q", tt.hdr, r.User, r.ClientIP, tt.user, tt.ip)
		}
	}
}

func TestRESPMODStreaming(t *testing.T) {
	clean := pattern(300_000)
	late := append(append(pattern(200_000), marker...), pattern(100_000)...)
	for _, tt := range []struct {
		name        string
		body        []byte
		streamAfter int64
		whole       bool // the full echo arrives
		page        bool // the 403 page arrives
	}{
		{"clean long response is streamed back whole", clean, 0, true, false},
		{"late value cuts the stream before it", late, 0, false, false},
		{"holding responses whole gives the page", late, -1, false, true},
		{"short response is held and gets the page", []byte("x " + marker), 0, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var s seen
			addr, _ := startServer(t, Limits{StreamAfter: tt.streamAfter, SpoolDir: t.TempDir()}, s.streamCheck)
			req := uploadReq("")
			req.method, req.body, req.preview, req.chunk = methodRESPMOD, tt.body, 4096, 8192
			req.resHdr = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
			tc := dial(t, addr)
			// A proxy writes and reads at once; so must the test, or the
			// streamed answer and the body fill both socket buffers.
			go func() {
				tc.c.Write(req.first())
				if len(req.body) > req.preview {
					tc.c.Write(req.rest())
				}
			}()
			resp, err := readTestResp(tc.br)
			if err == nil && resp.status == statusContinue {
				resp, err = readTestResp(tc.br)
			}
			switch {
			case tt.whole:
				if err != nil || resp.status != 200 || resp.resHdr != req.resHdr || !bytes.Equal(resp.body, tt.body) {
					t.Fatalf("echo: %v, %+v", err, resp)
				}
			case tt.page:
				if err != nil || !strings.HasPrefix(resp.resHdr, "HTTP/1.1 403") {
					t.Fatalf("want the page: %v %+v", err, resp)
				}
			default:
				if err == nil {
					t.Fatalf("a cut stream was read as complete: %+v", resp)
				}
				if resp == nil || resp.status != 200 || len(resp.body) == 0 || bytes.Contains(resp.body, []byte(marker)) {
					t.Fatalf("want a 200 streamed up to before the value, got %v", resp)
				}
				if !tc.closed() {
					t.Fatal("connection left open after cutting the stream")
				}
			}
		})
	}
}

// TestBlockedEarlyLingers: a body blocked early whose rest is longer than
// DrainBytes closes the connection, but not under the client's feet: the
// server ends its side after the 403 and drops what still arrives until
// the client is done, so the client's writes never meet a reset (which can
// make a proxy lose the answer it had not read yet: Squid then answers
// "ICAP protocol error").
func TestBlockedEarlyLingers(t *testing.T) {
	var hc hashCheck // blocks at the marker without reading the rest
	addr, _ := startServer(t, Limits{DrainBytes: 64 << 10}, hc.check)
	tc := dial(t, addr)
	req := uploadReq("")
	first := append(req.head(), req.chunks(append(pattern(1000), marker...))...)
	resp, err := tc.raw(first)
	if err != nil || resp.status != 200 || !strings.HasPrefix(resp.resHdr, "HTTP/1.1 403 Forbidden\r\n") {
		t.Fatalf("early answer: %v, %+v", err, resp)
	}
	// The client goes on sending the body it had started: 4 MiB, far past
	// what the server drains, with pauses that let a reset come back.
	chunk := req.chunks(pattern(64 << 10))
	for i := range 64 {
		if _, err := tc.c.Write(chunk); err != nil {
			t.Fatalf("write %d of the rest after the 403: %v", i, err)
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := tc.c.Write([]byte("0\r\n\r\n")); err != nil {
		t.Fatalf("end of the body: %v", err)
	}
	tc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := tc.br.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("after the body: %d bytes, %v; want the server's end of stream", n, err)
	}
}
