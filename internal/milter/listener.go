package milter

import (
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
)

// limitListener bounds the connections open at once and rides out
// transient Accept errors (out of file descriptors, aborted handshakes),
// which would otherwise end go-milter's Serve loop and with it the milter.
type limitListener struct {
	net.Listener
	slots chan struct{}
	done  chan struct{}
	once  sync.Once
	log   *slog.Logger
}

func newLimitListener(l net.Listener, n int, log *slog.Logger) *limitListener {
	return &limitListener{Listener: l, slots: make(chan struct{}, n), done: make(chan struct{}), log: log}
}

// Accept waits for a free slot, then for a connection; the slot is given
// back when the connection is closed.
func (l *limitListener) Accept() (net.Conn, error) {
	var backoff time.Duration
	for {
		select {
		case l.slots <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
		c, err := l.Listener.Accept()
		if err == nil {
			return &slotConn{Conn: c, release: func() { <-l.slots }}, nil
		}
		<-l.slots
		if errors.Is(err, net.ErrClosed) {
			return nil, err
		}
		backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
		l.log.Warn("milter: accept failed, retrying", "err", err, "after", backoff)
		select {
		case <-time.After(backoff):
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
}

// Close stops Accept, including one waiting for a slot.
func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// slotConn gives its slot back once, on the first Close.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
