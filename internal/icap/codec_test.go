package icap

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestParseEncapsulated(t *testing.T) {
	good := map[string][]entity{
		"req-hdr=0, req-body=412":             {{entReqHdr, 0}, {entReqBody, 412}},
		"req-hdr=0,res-hdr=137, res-body=296": {{entReqHdr, 0}, {entResHdr, 137}, {entResBody, 296}},
		"null-body=0":                         {{entNullBody, 0}},
		"res-body=0":                          {{entResBody, 0}},
		" REQ-HDR = 0 , null-body = 9 ":       {{entReqHdr, 0}, {entNullBody, 9}},
	}
	for in, want := range good {
		got, err := parseEncapsulated(in)
		if err != nil || len(got) != len(want) {
			t.Errorf("%q: %v %v", in, got, err)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%q: entity %d = %v, want %v", in, i, got[i], want[i])
			}
		}
	}
	for _, in := range []string{
		"", "req-hdr", "req-hdr=x, req-body=1", "req-hdr=0", "req-body=0, req-hdr=5",
		"req-hdr=5, req-body=10", "req-hdr=0, req-body=0", "req-hdr=0, res-hdr=0, res-body=5",
		"res-hdr=0, req-hdr=10, res-body=20", "req-hdr=0, req-hdr=5, req-body=9",
		"foo-hdr=0, null-body=3", "req-hdr=-1, null-body=3", "req-hdr=0, null-body=99999999999",
		"req-hdr=0, req-body=5, null-body=9",
	} {
		if _, err := parseEncapsulated(in); err == nil || errorStatus(err) != statusBadRequest {
			t.Errorf("%q accepted (%v)", in, err)
		}
	}
}

func TestChunkReader(t *testing.T) {
	tests := []struct {
		in   string
		body string
		ieof bool
	}{
		{"5\r\nhello\r\n0\r\n\r\n", "hello", false},
		{"5\r\nhello\r\n0; ieof\r\n\r\n", "hello", true},
		{"5;name=\"v\"\r\nhello\r\n6 ; x\r\n world\r\n0;a=b;IEOF\r\n\r\n", "hello world", true},
		{"A\nabcdefghij\n0\nTrailer: x\n\n", "abcdefghij", false},
		{"0; ieof\r\n\r\n", "", true},
		{"3\r\nabc\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n", "abc", false},
	}
	for _, tt := range tests {
		cr := newChunkReader(bufio.NewReaderSize(strings.NewReader(tt.in+"NEXT"), 16))
		got, err := io.ReadAll(cr)
		if err != nil || string(got) != tt.body || cr.ieof != tt.ieof {
			t.Errorf("%q: %q ieof=%v err=%v", tt.in, got, cr.ieof, err)
		}
		if rest, _ := io.ReadAll(cr.br); string(rest) != "NEXT" {
			t.Errorf("%q: reader left at %q", tt.in, rest)
		}
	}
	for _, in := range []string{
		"zz\r\nhello\r\n0\r\n\r\n", // not hex
		"5\r\nhelloX\r\n0\r\n\r\n", // data longer than its size
		"-5\r\nhello\r\n",          // negative
		"+5\r\nhello\r\n",          // sign
		"1000000000000000\r\n",     // 16 digits
		"\r\n",                     // empty size
		"5\r\nhel",                 // cut in data
		"5\r\nhello\r\n0\r\n",      // cut in trailer
		"5\r\nhello\r\n" + strings.Repeat("x", 5000), // endless size line
	} {
		_, err := io.ReadAll(newChunkReader(bufio.NewReader(strings.NewReader(in))))
		if err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestRequestRoundTrip(t *testing.T) {
	respmod := uploadReq(string(pattern(9000)))
	respmod.method = methodRESPMOD
	respmod.resHdr = "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n"
	respmod.preview = 0
	respmod.ext = "; x-note=1"
	withPreview := uploadReq(string(pattern(20000)))
	withPreview.preview, withPreview.allow204 = 4096, true
	small := uploadReq("tiny")
	small.preview = 4096
	for name, req := range map[string]testReq{
		"reqmod": uploadReq("a body"), "respmod preview 0": respmod,
		"preview": withPreview, "preview ieof": small,
		"null-body": {preview: -1, reqHdr: "GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n"},
	} {
		t.Run(name, func(t *testing.T) {
			wire := req.first()
			if req.hasBody && req.preview >= 0 && len(req.body) > req.preview {
				wire = append(wire, req.rest()...)
			}
			br := bufio.NewReader(bytes.NewReader(append(wire, "NEXT"...)))
			wr, err := readRequest(br, 1<<16)
			if err != nil {
				t.Fatal(err)
			}
			method := req.method
			if method == "" {
				method = methodREQMOD
			}
			if wr.method != method || wr.service != strings.ToLower(method) || wr.allow204 != req.allow204 ||
				string(wr.rawReq) != req.reqHdr || string(wr.rawRes) != req.resHdr || wr.hasBody() != req.hasBody {
				t.Fatalf("read back %+v", wr)
			}
			if req.hasBody && wr.preview != req.preview {
				t.Errorf("preview %d, want %d", wr.preview, req.preview)
			}
			if wr.reqHead != nil && wr.reqHead.Header.Get("Host") == "" {
				t.Error("encapsulated request header lost Host")
			}
			continued := false
			b := emptyBody()
			if wr.hasBody() {
				b = newBody(br, wr.preview, func() error { continued = true; return nil })
			}
			got, err := io.ReadAll(b)
			if err != nil || !bytes.Equal(got, req.body) {
				t.Fatalf("body: %d bytes, err %v", len(got), err)
			}
			wantCont := req.hasBody && req.preview >= 0 && len(req.body) > req.preview
			if continued != wantCont {
				t.Errorf("100 Continue sent %v, want %v", continued, wantCont)
			}
			if rest, _ := io.ReadAll(br); string(rest) != "NEXT" {
				t.Errorf("left %q after the request", rest)
			}
		})
	}
}

func TestResponseRoundTrip(t *testing.T) {
	s := &Server{ISTag: func() string { return `rules-"42"` }}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	wr := &wireRequest{method: methodREQMOD, rawReq: []byte("POST /u HTTP/1.1\r\nHost: h\r\n\r\n"), bodyKind: entReqBody}
	if err := s.writeEcho(w, wr, strings.NewReader("copied "), strings.NewReader("rest"), false); err != nil {
		t.Fatal(err)
	}
	if err := s.writeBlock(w, &wireRequest{method: methodRESPMOD}, "card <numbers>\n", true); err != nil {
		t.Fatal(err)
	}
	if err := s.writeStatus(w, statusNoContent, false); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(&buf)
	echo, err := readTestResp(br)
	if err != nil || echo.status != 200 || echo.reqHdr != string(wr.rawReq) || string(echo.body) != "copied rest" ||
		echo.header.Get("ISTag") != `"rules-42"` {
		t.Fatalf("echo: %+v %v", echo, err)
	}
	block, err := readTestResp(br)
	if err != nil || block.status != 200 || !strings.HasPrefix(block.resHdr, "HTTP/1.1 403 ") ||
		!bytes.Contains(block.body, []byte("download")) || !bytes.Contains(block.body, []byte("card &lt;numbers&gt;")) ||
		block.header.Get("Connection") != "close" {
		t.Fatalf("block: %+v %v\n%s", block, err, block.body)
	}
	if nc, err := readTestResp(br); err != nil || nc.status != 204 || nc.hasBody {
		t.Fatalf("204: %+v %v", nc, err)
	}
}

// malformed are requests the server must refuse with a status and a closed
// connection, never a panic or a hang.
var malformed = []struct {
	name   string
	in     string
	status int
}{
	{"not ICAP", "HELLO\r\n\r\n", 400},
	{"HTTP method", "GET icap://x/reqmod ICAP/1.0\r\n\r\n", 501},
	{"ICAP/2.0", "REQMOD icap://x/reqmod ICAP/2.0\r\n\r\n", 505},
	{"http URI", "REQMOD http://x/reqmod ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n", 400},
	{"two spaces", "REQMOD  icap://x/reqmod ICAP/1.0\r\n\r\n", 400},
	{"unknown service", "OPTIONS icap://x/avscan ICAP/1.0\r\n\r\n", 404},
	{"REQMOD on respmod", "REQMOD icap://x/respmod ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n", 405},
	{"no Encapsulated", "REQMOD icap://x/reqmod ICAP/1.0\r\nHost: x\r\n\r\n", 400},
	{"two Encapsulated", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: null-body=0\r\nEncapsulated: null-body=0\r\n\r\n", 400},
	{"bad offset", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=abc\r\n\r\n", 400},
	{"res-hdr in REQMOD", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: res-hdr=0, null-body=19\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 400},
	{"section shorter than its head", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, null-body=10\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
	{"section longer than its head", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, null-body=30\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGARBAGEGARBAGE", 400},
	{"bad HTTP request line", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, null-body=9\r\n\r\nGET /\r\n\r\n", 400},
	{"bad HTTP status line", "RESPMOD icap://x/respmod ICAP/1.0\r\nEncapsulated: res-hdr=0, null-body=15\r\n\r\nHTTP/1.1 OK\r\n\r\n", 400},
	{"bad chunk size", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: req-body=0\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400},
	{"chunk overrun", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: req-body=0\r\n\r\n2\r\nhello\r\n0\r\n\r\n", 400},
	{"huge header", "REQMOD icap://x/reqmod ICAP/1.0\r\nX-Big: " + strings.Repeat("a", 70000) + "\r\n\r\n", 400},
	{"huge encapsulated header", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, null-body=70000\r\n\r\n", 400},
	{"bad header name", "REQMOD icap://x/reqmod ICAP/1.0\r\nBad Header: x\r\n\r\n", 400},
	{"header without colon", "REQMOD icap://x/reqmod ICAP/1.0\r\nHost\r\n\r\n", 400},
	{"control byte in value", "REQMOD icap://x/reqmod ICAP/1.0\r\nHost: a\x01b\r\n\r\n", 400},
	{"folded header", "REQMOD icap://x/reqmod ICAP/1.0\r\nHost: x\r\n  folded\r\n\r\n", 400},
	{"negative preview", "REQMOD icap://x/reqmod ICAP/1.0\r\nPreview: -1\r\nEncapsulated: req-body=0\r\n\r\n", 400},
	{"preview not a number", "REQMOD icap://x/reqmod ICAP/1.0\r\nPreview: lots\r\nEncapsulated: req-body=0\r\n\r\n", 400},
}

func TestMalformed(t *testing.T) {
	var s seen
	addr, _ := startServer(t, Limits{}, s.readAllCheck)
	for _, tt := range malformed {
		t.Run(tt.name, func(t *testing.T) {
			tc := dial(t, addr)
			resp, err := tc.raw([]byte(tt.in))
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			if resp.status != tt.status || resp.header.Get("Connection") != "close" || !tc.closed() {
				t.Fatalf("status %d (Connection %q), want %d and the connection closed", resp.status, resp.header.Get("Connection"), tt.status)
			}
		})
	}
	// Cut short: no answer is possible, and the server goes on.
	for _, cut := range []string{"REQMOD icap://x/req", "REQMOD icap://x/reqmod ICAP/1.0\r\nEncapsulated: req-body=0\r\n\r\n5\r\nhe"} {
		tc := dial(t, addr)
		tc.c.Write([]byte(cut))
		tc.c.(interface{ CloseWrite() error }).CloseWrite()
		if _, err := readTestResp(tc.br); err == nil {
			t.Errorf("%q: answered a request cut short", cut)
		}
	}
	req := uploadReq("still up")
	req.allow204 = true
	if resp, _ := dial(t, addr).do(req); resp.status != 204 {
		t.Fatalf("server after malformed input: %d", resp.status)
	}
}
