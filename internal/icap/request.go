package icap

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// Request is one REQMOD (a request leaving through the proxy: an upload, a
// form post) or RESPMOD (a response coming in: a download) as Check sees it.
type Request struct {
	Method  string // "REQMOD" or "RESPMOD"
	Service string // "reqmod" or "respmod"
	// Header holds the ICAP request headers as the proxy sent them.
	Header http.Header
	// HTTPRequest is the encapsulated HTTP request head; nil if the proxy
	// sent none (a RESPMOD may omit it).
	HTTPRequest *HTTPRequestHead
	// HTTPResponse is the encapsulated HTTP response head of a RESPMOD.
	HTTPResponse *HTTPResponseHead
	// URL is the HTTP request's absolute URL, "" without a request head.
	URL string
	// ClientIP is the proxy's X-Client-IP, "" if absent or not an address.
	ClientIP string
	// User is the proxy's X-Authenticated-User (or Squid's default
	// X-Client-Username), decoded, "" if absent.
	User string
	// ContentType is the Content-Type of the message whose body this is.
	ContentType string
	// Body streams the HTTP body, at most Limits.MaxBodyBytes of it, and is
	// empty when there is none; read it from one goroutine at a time and
	// not after Check returns. Reading past the preview asks the proxy for
	// the rest; a Check that returns without reading to the end is judging
	// what it read, and the server takes its verdict for the whole message.
	Body io.Reader
}

// HTTPRequestHead is an encapsulated HTTP request line and header.
type HTTPRequestHead struct {
	Method string // "POST"
	Target string // as sent: absolute URL from a proxy, or a path
	Proto  string // "HTTP/1.1"
	Header http.Header
}

// URL returns the request's absolute URL.
func (h *HTTPRequestHead) URL() string {
	t := h.Target
	switch {
	case strings.HasPrefix(t, "http://"), strings.HasPrefix(t, "https://"):
		return t
	case h.Method == http.MethodConnect:
		return "https://" + t
	case strings.HasPrefix(t, "/"):
		return "http://" + h.Header.Get("Host") + t
	}
	return t
}

// HTTPResponseHead is an encapsulated HTTP status line and header.
type HTTPResponseHead struct {
	Proto      string // "HTTP/1.1"
	StatusCode int
	Reason     string
	Header     http.Header
}

// newRequest builds what Check sees from what was read.
func newRequest(wr *wireRequest, body io.Reader, userBase64 bool) Request {
	r := Request{
		Method:       wr.method,
		Service:      wr.service,
		Header:       wr.header,
		HTTPRequest:  wr.reqHead,
		HTTPResponse: wr.resHead,
		Body:         body,
		User:         proxyUser(wr.header, userBase64),
	}
	if ip, err := netip.ParseAddr(strings.TrimSpace(wr.header.Get("X-Client-Ip"))); err == nil {
		r.ClientIP = ip.String()
	}
	if wr.reqHead != nil {
		r.URL = wr.reqHead.URL()
	}
	switch {
	case wr.method == methodRESPMOD && wr.resHead != nil:
		r.ContentType = wr.resHead.Header.Get("Content-Type")
	case wr.method == methodREQMOD && wr.reqHead != nil:
		r.ContentType = wr.reqHead.Header.Get("Content-Type")
	}
	return r
}

// proxyUser reads the authenticated user a proxy passes on. Squid sends it
// raw, or base64-encoded with icap_client_username_encode on; the
// "Local://alice" or "WinNT://DOMAIN/alice" form some proxies use loses its
// scheme.
func proxyUser(h http.Header, encoded bool) string {
	u := h.Get("X-Authenticated-User")
	if u == "" {
		u = h.Get("X-Client-Username")
	}
	u = strings.TrimSpace(u)
	if encoded && u != "" {
		dec, err := base64.StdEncoding.DecodeString(u)
		if err != nil || !utf8.Valid(dec) {
			return ""
		}
		u = string(dec)
	}
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = rest
	}
	return u
}
