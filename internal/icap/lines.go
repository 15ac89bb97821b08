package icap

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// readLine reads one line ending in LF and returns it without its CRLF (a
// bare LF is accepted, as HTTP parsers do). Its length is charged to
// *budget; a line that would overdraw it is a 400. The result aliases the
// reader's buffer only when it fits in it, so callers copy what they keep.
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(frag) > *budget {
			return nil, badRequest("header or line too long")
		}
		*budget -= len(frag)
		switch {
		case err == nil:
			if line == nil {
				line = frag
			} else {
				line = append(line, frag...)
			}
			line = line[:len(line)-1]
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			line = append(line, frag...)
		case errors.Is(err, io.EOF):
			if len(line)+len(frag) == 0 {
				return nil, io.EOF
			}
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// parseField splits one "Name: value" header line.
func parseField(line []byte) (name, value string, err error) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return "", "", badRequest("header line without a name")
	}
	name = string(line[:i])
	if !httpguts.ValidHeaderFieldName(name) {
		return "", "", badRequest("invalid header name")
	}
	value = strings.Trim(string(line[i+1:]), " \t")
	if !httpguts.ValidHeaderFieldValue(value) {
		return "", "", badRequest("invalid value in header %s", http.CanonicalHeaderKey(name))
	}
	return name, value, nil
}

// readHeader reads header fields up to the blank line that ends them.
// Folded continuation lines are refused, as RFC 7230 allows: neither Squid
// nor c-icap sends them, and accepting them invites smuggling.
func readHeader(br *bufio.Reader, budget *int) (http.Header, error) {
	h := make(http.Header)
	for {
		line, err := readLine(br, budget)
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			return h, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			return nil, badRequest("folded header line")
		}
		name, value, err := parseField(line)
		if err != nil {
			return nil, err
		}
		h.Add(name, value)
	}
}
