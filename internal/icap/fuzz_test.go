package icap

import (
	"bufio"
	"bytes"
	"io"
	"testing"
)

// FuzzReadRequest feeds arbitrary bytes to the request reader and the body
// reader, as one connection would: every input must end in a request or an
// error, within bounded memory, never a panic.
func FuzzReadRequest(f *testing.F) {
	up := uploadReq("hello " + marker)
	f.Add(up.first())
	pv := uploadReq(string(pattern(300)))
	pv.preview, pv.allow204, pv.chunk, pv.ext = 100, true, 64, "; a=b"
	f.Add(append(pv.first(), pv.rest()...))
	rm := uploadReq("x")
	rm.method, rm.resHdr = methodRESPMOD, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
	f.Add(rm.first())
	f.Add([]byte("OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n"))
	for _, m := range malformed {
		f.Add([]byte(m.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReader(bytes.NewReader(data))
		for range 4 { // a few requests on one connection
			wr, err := readRequest(br, 4096)
			if err != nil {
				return
			}
			switch wr.method {
			case methodOPTIONS, methodREQMOD, methodRESPMOD:
			default:
				t.Fatalf("accepted method %q", wr.method)
			}
			if len(wr.rawReq)+len(wr.rawRes) > 4096 {
				t.Fatalf("header budget overdrawn: %d bytes", len(wr.rawReq)+len(wr.rawRes))
			}
			if !wr.hasBody() {
				continue
			}
			b := newBody(br, wr.preview, func() error { return nil })
			n, err := io.Copy(io.Discard, b)
			if n > int64(len(data)) {
				t.Fatalf("read %d body bytes from %d input bytes", n, len(data))
			}
			if err != nil {
				return
			}
		}
	})
}
