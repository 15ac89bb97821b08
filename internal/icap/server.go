package icap

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("icap: server closed")

// DefaultAddr is where ListenAndServe listens without an Addr.
const DefaultAddr = "127.0.0.1:1344"

// Server answers ICAP on the services icap://HOST:PORT/reqmod (REQMOD) and
// icap://HOST:PORT/respmod (RESPMOD). Set its fields before Serve; it is safe
// for concurrent use afterwards.
type Server struct {
	// Addr is where ListenAndServe listens; default DefaultAddr.
	Addr string
	// Check decides one message. It is called concurrently, once per REQMOD
	// or RESPMOD, with a context that ends with Limits.RequestTimeout. An
	// error (or a panic) is logged and the message decided by Limits.OnError.
	Check func(ctx context.Context, r Request) (Verdict, error)
	// Limits bounds headers, bodies, time and connections.
	Limits Limits
	// Logger receives one record per message and protocol errors; never a
	// body, a header value or a URL. Nil logs nothing.
	Logger *slog.Logger
	// ISTag returns the service tag the proxy caches answers under; change it
	// when rules or policy change. Nil means "leakguard".
	ISTag func() string
	// TransferIgnore lists file extensions the proxy need not send at all
	// (the OPTIONS Transfer-Ignore header); empty by default: send all.
	TransferIgnore []string
	// OptionsTTL is how long the proxy may keep the OPTIONS answer; default
	// one hour.
	OptionsTTL time.Duration
	// UserBase64 says the proxy base64-encodes the user header (Squid's
	// icap_client_username_encode on).
	UserBase64 bool

	inShutdown atomic.Bool
	mu         sync.Mutex
	listeners  map[*net.Listener]struct{}
	conns      map[*conn]struct{}
	done       chan struct{}
}

// conn is one served connection and whether it waits between requests.
type conn struct {
	net.Conn
	idle bool // guarded by Server.mu
	// unread: the client is still sending a body the server stopped
	// reading (blocked early, the rest past DrainBytes).
	unread bool
}

// lingerTime bounds how long a connection closed with a body still
// arriving is read (and the reading dropped) after its answer.
const lingerTime = 5 * time.Second

// finish closes the connection. One closed while the client still sends
// makes the kernel answer that data with a reset, and a reset can reach
// the client before it has read the answer, which it then loses: Squid
// turned a 403 for an upload blocked early into "ICAP protocol error"
// (HTTP 500) about one run in ten while other work loaded the machine. So,
// as HTTP servers do, the write side is shut first (the answer, then end
// of stream) and what still arrives is dropped until the client closes,
// lingerTime at most.
func (c *conn) finish() {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok && c.unread && cw.CloseWrite() == nil {
		c.SetReadDeadline(time.Now().Add(lingerTime))
		io.Copy(io.Discard, c.Conn)
	}
	c.Close()
}

// ListenAndServe listens on TCP Addr and serves.
func (s *Server) ListenAndServe() error {
	addr := s.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(l)
}

// Serve accepts connections on l and serves each in its own goroutine, at
// most Limits.MaxConnections at once; it closes l on return and returns
// ErrServerClosed after Shutdown.
func (s *Server) Serve(l net.Listener) error {
	if s.Check == nil {
		return errors.New("icap: Server.Check is nil")
	}
	defer l.Close()
	if !s.trackListener(&l, true) {
		return ErrServerClosed
	}
	defer s.trackListener(&l, false)
	lim := s.Limits.withDefaults()
	slots := make(chan struct{}, lim.MaxConnections)
	done := s.doneChan()
	var backoff time.Duration
	for {
		select {
		case slots <- struct{}{}:
		case <-done:
			return ErrServerClosed
		}
		nc, err := l.Accept()
		if err != nil {
			<-slots
			if s.inShutdown.Load() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		c := &conn{Conn: nc}
		if !s.trackConn(c, true) {
			nc.Close()
			<-slots
			return ErrServerClosed
		}
		go func() {
			defer func() { <-slots }()
			defer s.trackConn(c, false)
			defer c.finish()
			s.serveConn(c, lim)
		}()
	}
}

// Shutdown stops accepting, closes idle keep-alive connections and waits
// for the messages in flight to be answered; when ctx ends first it closes
// the rest and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.inShutdown.Store(true)
	s.mu.Lock()
	for l := range s.listeners {
		(*l).Close()
	}
	if s.done == nil {
		s.done = make(chan struct{})
	}
	select {
	case <-s.done:
	default:
		close(s.done)
	}
	s.mu.Unlock()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.closeIdle() {
			return nil
		}
		select {
		case <-ctx.Done():
			s.mu.Lock()
			for c := range s.conns {
				c.Close()
			}
			s.mu.Unlock()
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// closeIdle closes connections waiting between requests and reports whether
// none is left.
func (s *Server) closeIdle() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.idle {
			c.Close()
		}
	}
	return len(s.conns) == 0
}

func (s *Server) doneChan() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		s.done = make(chan struct{})
	}
	return s.done
}

func (s *Server) trackListener(l *net.Listener, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.listeners, l)
		return true
	}
	if s.inShutdown.Load() {
		return false
	}
	if s.listeners == nil {
		s.listeners = make(map[*net.Listener]struct{})
	}
	s.listeners[l] = struct{}{}
	return true
}

func (s *Server) trackConn(c *conn, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.conns, c)
		return true
	}
	if s.inShutdown.Load() {
		return false
	}
	if s.conns == nil {
		s.conns = make(map[*conn]struct{})
	}
	s.conns[c] = struct{}{}
	return true
}

// setIdle marks c as waiting between requests (closable by Shutdown) or busy.
func (s *Server) setIdle(c *conn, idle bool) {
	s.mu.Lock()
	c.idle = idle
	s.mu.Unlock()
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}
