package icap

import (
	"errors"
	"fmt"
	"net"
)

// ICAP status codes the server sends (RFC 3507 section 4.3.3).
const (
	statusContinue          = 100
	statusOK                = 200
	statusNoContent         = 204
	statusBadRequest        = 400
	statusServiceNotFound   = 404
	statusMethodNotAllowed  = 405
	statusRequestTimeout    = 408
	statusServerError       = 500
	statusNotImplemented    = 501
	statusServiceOverloaded = 503
	statusVersionNotSupport = 505
)

func statusText(code int) string {
	switch code {
	case statusContinue:
		return "Continue"
	case statusOK:
		return "OK"
	case statusNoContent:
		return "No Content"
	case statusBadRequest:
		return "Bad Request"
	case statusServiceNotFound:
		return "ICAP Service Not Found"
	case statusMethodNotAllowed:
		return "Method Not Allowed For Service"
	case statusRequestTimeout:
		return "Request Timeout"
	case statusNotImplemented:
		return "Method Not Implemented"
	case statusServiceOverloaded:
		return "Service Overloaded"
	case statusVersionNotSupport:
		return "ICAP Version Not Supported"
	}
	return "Server Error"
}

// protocolError is a request the server refuses with an ICAP error status.
// Its message names what was wrong, never the bytes that were: they may be a
// URL or a header value carrying a secret.
type protocolError struct {
	status int
	msg    string
}

func (e *protocolError) Error() string { return fmt.Sprintf("icap %d: %s", e.status, e.msg) }

func badRequest(format string, args ...any) error {
	return &protocolError{status: statusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// errorStatus maps a read error to the status to answer with, if any: a
// protocol error keeps its own, a timeout is 408, and a connection that went
// away (EOF, reset) gets no answer at all (0).
func errorStatus(err error) int {
	var pe *protocolError
	if errors.As(err, &pe) {
		return pe.status
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return statusRequestTimeout
	}
	return 0
}
