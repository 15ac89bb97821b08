package icap

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serviceDescription is the OPTIONS Service header.
const serviceDescription = "leakguard data-leak prevention"

// writeHead writes an ICAP status line, the headers every response carries
// (ISTag is required in all of them, RFC 3507 4.7) and the given name/value
// pairs, then the blank line.
func (s *Server) writeHead(w *bufio.Writer, status int, closing bool, fields ...string) {
	fmt.Fprintf(w, "ICAP/1.0 %d %s\r\n", status, statusText(status))
	w.WriteString("Date: " + time.Now().UTC().Format(http.TimeFormat) + "\r\n")
	w.WriteString("Server: leakguard\r\n")
	w.WriteString("ISTag: " + s.istag() + "\r\n")
	if closing {
		w.WriteString("Connection: close\r\n")
	}
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteString(fields[i] + ": " + fields[i+1] + "\r\n")
	}
	w.WriteString("\r\n")
}

// istag is the quoted ISTag: the configured one, reduced to at most 32
// token characters, or "leakguard".
func (s *Server) istag() string {
	tag := "leakguard"
	if s.ISTag != nil {
		tag = strings.Map(func(r rune) rune {
			if r > ' ' && r < 0x7f && r != '"' && r != '\\' {
				return r
			}
			return -1
		}, s.ISTag())
		if len(tag) > 32 {
			tag = tag[:32]
		}
	}
	return `"` + tag + `"`
}

// writeStatus answers with a status alone: 204, or an error.
func (s *Server) writeStatus(w *bufio.Writer, status int, closing bool) error {
	s.writeHead(w, status, closing, "Encapsulated", "null-body=0")
	return w.Flush()
}

// writeContinue asks for the rest of a previewed body.
func writeContinue(w *bufio.Writer) error {
	w.WriteString("ICAP/1.0 100 Continue\r\n\r\n")
	return w.Flush()
}

// writeOptions answers OPTIONS for the service serving method.
func (s *Server) writeOptions(w *bufio.Writer, method string, lim Limits, closing bool) error {
	ttl := s.OptionsTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	fields := []string{
		"Methods", method,
		"Service", serviceDescription,
		"Options-TTL", strconv.Itoa(int(ttl / time.Second)),
		"Max-Connections", strconv.Itoa(lim.MaxConnections),
		"Allow", "204",
	}
	if lim.Preview >= 0 {
		fields = append(fields, "Preview", strconv.Itoa(lim.Preview), "Transfer-Preview", "*")
	}
	if len(s.TransferIgnore) > 0 {
		fields = append(fields, "Transfer-Ignore", strings.Join(s.TransferIgnore, ", "))
	}
	fields = append(fields, "Encapsulated", "null-body=0")
	s.writeHead(w, statusOK, closing, fields...)
	return w.Flush()
}

// writeBlock answers with an HTTP 403 page in place of the message: for a
// REQMOD the proxy sends it to the client instead of forwarding the request,
// for a RESPMOD instead of the response.
func (s *Server) writeBlock(w *bufio.Writer, wr *wireRequest, reason string, closing bool) error {
	page := blockPage(wr.method, reason)
	head := "HTTP/1.1 403 Forbidden\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n" +
		"Content-Length: " + strconv.Itoa(len(page)) + "\r\n" +
		"Cache-Control: no-store\r\n" +
		"X-Leakguard: blocked\r\n\r\n"
	s.writeHead(w, statusOK, closing, "Encapsulated", "res-hdr=0, res-body="+strconv.Itoa(len(head)))
	w.WriteString(head)
	cw := chunkWriter{w}
	cw.Write(page)
	cw.close()
	return w.Flush()
}

// writeEcho sends the message back unchanged, for a proxy that takes no 204
// after the preview: its header section as received, then the body, first
// the copy of what Check read, then the rest straight from the wire.
func (s *Server) writeEcho(w *bufio.Writer, wr *wireRequest, copied io.Reader, rest io.Reader, closing bool) error {
	s.writeEchoHead(w, wr, closing)
	return writeEchoBody(w, wr, copied, rest)
}

// writeEchoHead writes the ICAP head and the unchanged HTTP header section
// of an echo.
func (s *Server) writeEchoHead(w *bufio.Writer, wr *wireRequest, closing bool) {
	raw, hdrName, bodyName := wr.rawReq, entReqHdr, entReqBody
	if wr.method == methodRESPMOD {
		raw, hdrName, bodyName = wr.rawRes, entResHdr, entResBody
	}
	if !wr.hasBody() {
		bodyName = entNullBody
	}
	enc := bodyName + "=0"
	if raw != nil {
		enc = hdrName + "=0, " + bodyName + "=" + strconv.Itoa(len(raw))
	}
	s.writeHead(w, statusOK, closing, "Encapsulated", enc)
	w.Write(raw)
}

// writeEchoBody writes an echo's body and flushes.
func writeEchoBody(w *bufio.Writer, wr *wireRequest, copied io.Reader, rest io.Reader) error {
	if wr.hasBody() {
		cw := chunkWriter{w}
		if _, err := io.Copy(cw, copied); err != nil {
			return err
		}
		if _, err := io.Copy(cw, rest); err != nil {
			return err
		}
		cw.close()
	}
	return w.Flush()
}
