package icap

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// This file is a small ICAP client for the tests: it writes requests the way
// a proxy does and reads responses with the package's own chunk reader.

// testReq describes one REQMOD or RESPMOD a test sends.
type testReq struct {
	method   string // default REQMOD
	service  string // default from method
	extra    []string
	reqHdr   string // encapsulated HTTP request head, "" for none
	resHdr   string
	body     []byte
	hasBody  bool
	preview  int // -1: no Preview header
	allow204 bool
	chunk    int    // body chunk size, default 1000
	ext      string // extension on every data chunk, as proxies may send
}

func uploadReq(body string) testReq {
	return testReq{
		reqHdr:  "POST http://origin.example/upload HTTP/1.1\r\nHost: origin.example\r\nContent-Type: text/plain\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n",
		body:    []byte(body),
		hasBody: true,
		preview: -1,
		extra:   []string{"X-Client-IP: 192.0.2.7", "X-Authenticated-User: alice"},
	}
}

func (t testReq) head() []byte {
	method, service := t.method, t.service
	if method == "" {
		method = methodREQMOD
	}
	if service == "" {
		service = strings.ToLower(method)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s icap://127.0.0.1:1344/%s ICAP/1.0\r\nHost: 127.0.0.1\r\n", method, service)
	for _, h := range t.extra {
		b.WriteString(h + "\r\n")
	}
	if t.allow204 {
		b.WriteString("Allow: 204\r\n")
	}
	if t.preview >= 0 {
		fmt.Fprintf(&b, "Preview: %d\r\n", t.preview)
	}
	var enc []string
	off := 0
	if t.reqHdr != "" {
		enc = append(enc, "req-hdr=0")
		off += len(t.reqHdr)
	}
	if t.resHdr != "" {
		enc = append(enc, "res-hdr="+strconv.Itoa(off))
		off += len(t.resHdr)
	}
	bodyName := entNullBody
	if t.hasBody {
		bodyName = entReqBody
		if method == methodRESPMOD {
			bodyName = entResBody
		}
	}
	enc = append(enc, bodyName+"="+strconv.Itoa(off))
	b.WriteString("Encapsulated: " + strings.Join(enc, ", ") + "\r\n\r\n")
	b.WriteString(t.reqHdr + t.resHdr)
	return b.Bytes()
}

func (t testReq) chunks(data []byte) []byte {
	size := t.chunk
	if size <= 0 {
		size = 1000
	}
	var b bytes.Buffer
	for len(data) > 0 {
		n := min(size, len(data))
		fmt.Fprintf(&b, "%x%s\r\n", n, t.ext)
		b.Write(data[:n])
		b.WriteString("\r\n")
		data = data[n:]
	}
	return b.Bytes()
}

// first is what a proxy sends before waiting: everything without a
// preview, else the head and the preview.
func (t testReq) first() []byte {
	b := t.head()
	if !t.hasBody {
		return b
	}
	if t.preview < 0 || len(t.body) <= t.preview {
		b = append(b, t.chunks(t.body)...)
		if t.preview >= 0 {
			return append(b, "0; ieof\r\n\r\n"...)
		}
		return append(b, "0\r\n\r\n"...)
	}
	b = append(b, t.chunks(t.body[:t.preview])...)
	return append(b, "0\r\n\r\n"...)
}

// rest is what follows "100 Continue".
func (t testReq) rest() []byte {
	return append(t.chunks(t.body[t.preview:]), "0\r\n\r\n"...)
}

// testResp is an ICAP response as read by the tests.
type testResp struct {
	status  int
	header  http.Header
	reqHdr  string
	resHdr  string
	body    []byte
	hasBody bool
}

func readTestResp(br *bufio.Reader) (*testResp, error) {
	budget := 1 << 20
	line, err := readLine(br, &budget)
	if err != nil {
		return nil, err
	}
	parts := strings.SplitN(string(line), " ", 3)
	if len(parts) < 2 || parts[0] != "ICAP/1.0" {
		return nil, fmt.Errorf("bad status line %q", line)
	}
	r := &testResp{}
	if r.status, err = strconv.Atoi(parts[1]); err != nil {
		return nil, err
	}
	if r.header, err = readHeader(br, &budget); err != nil {
		return nil, err
	}
	enc := r.header.Get("Encapsulated")
	if enc == "" {
		return r, nil
	}
	ents, err := parseEncapsulated(enc)
	if err != nil {
		return nil, err
	}
	for i, e := range ents {
		if isBody(e.name) {
			if e.name != entNullBody {
				r.hasBody = true
				r.body, err = io.ReadAll(newChunkReader(br))
			}
			break
		}
		sec := make([]byte, ents[i+1].offset-e.offset)
		if _, err := io.ReadFull(br, sec); err != nil {
			return nil, err
		}
		if e.name == entReqHdr {
			r.reqHdr = string(sec)
		} else {
			r.resHdr = string(sec)
		}
	}
	return r, err
}

// testClient is one ICAP connection.
type testClient struct {
	t  testing.TB
	c  net.Conn
	br *bufio.Reader
}

func dial(t testing.TB, addr string) *testClient {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second))
	return &testClient{t: t, c: c, br: bufio.NewReader(c)}
}

// do runs one exchange the way a proxy does and reports whether the server
// asked for the rest with "100 Continue".
func (tc *testClient) do(req testReq) (*testResp, bool) {
	tc.t.Helper()
	if _, err := tc.c.Write(req.first()); err != nil {
		tc.t.Fatal(err)
	}
	resp, err := readTestResp(tc.br)
	if err != nil {
		tc.t.Fatalf("reading response: %v", err)
	}
	if resp.status != statusContinue {
		return resp, false
	}
	if _, err := tc.c.Write(req.rest()); err != nil {
		tc.t.Fatal(err)
	}
	if resp, err = readTestResp(tc.br); err != nil {
		tc.t.Fatalf("reading response after 100 Continue: %v", err)
	}
	return resp, true
}

// raw sends bytes and reads one response.
func (tc *testClient) raw(b []byte) (*testResp, error) {
	if _, err := tc.c.Write(b); err != nil {
		return nil, err
	}
	return readTestResp(tc.br)
}

// closed reports whether the server closed the connection.
func (tc *testClient) closed() bool {
	tc.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := tc.br.ReadByte()
	return err != nil
}
