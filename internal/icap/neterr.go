package icap

import (
	"errors"
	"net"
	"syscall"
)

// isConnErr reports whether err comes from the connection itself (reset,
// closed, broken pipe, timeout) rather than from the message or from us.
func isConnErr(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
