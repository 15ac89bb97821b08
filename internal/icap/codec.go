package icap

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ICAP methods.
const (
	methodOPTIONS = "OPTIONS"
	methodREQMOD  = "REQMOD"
	methodRESPMOD = "RESPMOD"
)

// maxPreview bounds the Preview header; previews are streamed, never held,
// so this only rejects nonsense.
const maxPreview = 1 << 30

// wireRequest is an ICAP request as read off the wire, up to (not
// including) its chunked body.
type wireRequest struct {
	method  string
	service string // URI path without slashes: "reqmod", "respmod"
	header  http.Header
	// rawReq and rawRes are the encapsulated HTTP header sections exactly as
	// sent, kept to send the message back unchanged.
	rawReq, rawRes []byte
	reqHead        *HTTPRequestHead
	resHead        *HTTPResponseHead
	bodyKind       string // entReqBody, entResBody, entOptBody, entNullBody or "" (none)
	preview        int    // -1 without a Preview header
	allow204       bool   // "Allow: 204": a 204 is welcome even after the preview
	close          bool   // "Connection: close"
}

// hasBody reports whether a chunked body follows the header sections.
func (r *wireRequest) hasBody() bool {
	return r.bodyKind == entReqBody || r.bodyKind == entResBody || r.bodyKind == entOptBody
}

// readRequest reads an ICAP request line, its headers and the encapsulated
// HTTP header sections, all within maxHeader bytes. It returns io.EOF when
// the connection closed cleanly before a request began.
func readRequest(br *bufio.Reader, maxHeader int) (*wireRequest, error) {
	budget := maxHeader
	line, err := readLine(br, &budget)
	if err != nil {
		return nil, err
	}
	r := &wireRequest{preview: -1}
	if r.method, r.service, err = parseRequestLine(string(line)); err != nil {
		return nil, err
	}
	if r.header, err = readHeader(br, &budget); err != nil {
		return nil, err
	}
	if err := r.parseICAPHeaders(); err != nil {
		return nil, err
	}
	encaps := r.header.Values("Encapsulated")
	if len(encaps) > 1 {
		return nil, badRequest("more than one Encapsulated header")
	}
	if len(encaps) == 0 {
		if r.method != methodOPTIONS {
			return nil, badRequest("%s without an Encapsulated header", r.method)
		}
		return r, nil
	}
	ents, err := parseEncapsulated(encaps[0])
	if err != nil {
		return nil, err
	}
	allowed := allowedEntities(r.method)
	for _, e := range ents {
		if !allowed[e.name] {
			return nil, badRequest("%s may not carry %s", r.method, e.name)
		}
	}
	if err := r.readSections(br, ents, &budget); err != nil {
		return nil, err
	}
	return r, nil
}

// parseRequestLine parses "REQMOD icap://host:1344/reqmod?args ICAP/1.0".
func parseRequestLine(line string) (method, service string, err error) {
	parts := strings.Split(line, " ")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return "", "", badRequest("malformed request line")
	}
	if parts[2] != "ICAP/1.0" {
		if strings.HasPrefix(parts[2], "ICAP/") {
			return "", "", &protocolError{status: statusVersionNotSupport, msg: "only ICAP/1.0 is spoken"}
		}
		return "", "", badRequest("malformed request line")
	}
	method = parts[0]
	switch method {
	case methodOPTIONS, methodREQMOD, methodRESPMOD:
	default:
		return "", "", &protocolError{status: statusNotImplemented, msg: "method not implemented"}
	}
	u, err := url.Parse(parts[1])
	if err != nil || (u.Scheme != "icap" && u.Scheme != "icaps") || u.Host == "" {
		return "", "", badRequest("request URI is not an icap:// URI")
	}
	return method, strings.Trim(u.Path, "/"), nil
}

// parseICAPHeaders reads the ICAP headers that steer the exchange.
func (r *wireRequest) parseICAPHeaders() error {
	if vs := r.header.Values("Preview"); len(vs) > 0 {
		n, err := strconv.Atoi(strings.TrimSpace(vs[0]))
		if len(vs) > 1 || err != nil || n < 0 || n > maxPreview {
			return badRequest("bad Preview header")
		}
		r.preview = n
	}
	for _, v := range r.header.Values("Allow") {
		for tok := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(tok) == "204" {
				r.allow204 = true
			}
		}
	}
	for _, v := range r.header.Values("Connection") {
		for tok := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), "close") {
				r.close = true
			}
		}
	}
	return nil
}

// readSections reads the encapsulated header sections the offsets describe
// and parses each as an HTTP head.
func (r *wireRequest) readSections(br *bufio.Reader, ents []entity, budget *int) error {
	for i, e := range ents {
		if isBody(e.name) {
			r.bodyKind = e.name
			break
		}
		size := ents[i+1].offset - e.offset
		if size > *budget {
			return badRequest("encapsulated headers too large")
		}
		*budget -= size
		sec := make([]byte, size)
		if _, err := io.ReadFull(br, sec); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		start, h, err := parseSection(sec)
		if err != nil {
			return err
		}
		if e.name == entReqHdr {
			r.rawReq = sec
			if r.reqHead, err = parseRequestHead(start, h); err != nil {
				return err
			}
		} else {
			r.rawRes = sec
			if r.resHead, err = parseResponseHead(start, h); err != nil {
				return err
			}
		}
	}
	if r.preview >= 0 && !r.hasBody() {
		// A preview of no body is no preview.
		r.preview = -1
	}
	return nil
}

// parseSection parses one encapsulated HTTP header section: a start line,
// fields and the blank line that must end exactly where the next section's
// offset says.
func parseSection(sec []byte) (string, http.Header, error) {
	br := bufio.NewReaderSize(bytes.NewReader(sec), 4096)
	budget := len(sec)
	line, err := readLine(br, &budget)
	if err != nil {
		return "", nil, badRequest("encapsulated header section is cut short")
	}
	start := string(line)
	h, err := readHeader(br, &budget)
	if err != nil {
		if errorStatus(err) == 0 {
			err = badRequest("encapsulated header section is cut short")
		}
		return "", nil, err
	}
	if budget != 0 {
		return "", nil, badRequest("encapsulated header section does not end at its offset")
	}
	return start, h, nil
}

func parseRequestHead(start string, h http.Header) (*HTTPRequestHead, error) {
	parts := strings.Split(start, " ")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || !strings.HasPrefix(parts[2], "HTTP/") {
		return nil, badRequest("malformed encapsulated HTTP request line")
	}
	return &HTTPRequestHead{Method: parts[0], Target: parts[1], Proto: parts[2], Header: h}, nil
}

func parseResponseHead(start string, h http.Header) (*HTTPResponseHead, error) {
	proto, rest, _ := strings.Cut(start, " ")
	code, reason, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(code)
	if !strings.HasPrefix(proto, "HTTP/") || err != nil || len(code) != 3 || n < 100 {
		return nil, badRequest("malformed encapsulated HTTP status line")
	}
	return &HTTPResponseHead{Proto: proto, StatusCode: n, Reason: reason, Header: h}, nil
}
