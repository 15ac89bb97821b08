package milter

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	gomilter "github.com/d--j/go-milter"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("milter: server closed")

// Defaults for the zero fields of Server.
const (
	DefaultAddr           = "127.0.0.1:10025"
	DefaultMaxBytes       = 64 << 20
	DefaultTimeout        = 60 * time.Second
	DefaultMaxConnections = 1024
)

// idleTimeout drops an MTA connection that sends nothing for this long.
// Postfix itself gives up on a silent SMTP client after smtpd_timeout
// (300 s) and then closes the milter connection, so this only frees what a
// vanished peer left behind.
const idleTimeout = 15 * time.Minute

// Server is a milter that checks every message an MTA passes it. Set its
// fields before Serve; it is safe for concurrent use afterwards.
type Server struct {
	// Addr is where ListenAndServe listens (TCP); default DefaultAddr.
	Addr string
	// Check decides one message. It is called concurrently, once per
	// message at the end of DATA, with a context that ends after Timeout.
	// An error, a panic or a timeout is logged and the message accepted,
	// or tempfailed when FailClosed is set.
	Check func(ctx context.Context, m Message) (Verdict, error)
	// FailClosed answers "451 4.7.1" (try again later) instead of
	// accepting a message that could not be checked: Check failed or timed
	// out, or the message is larger than MaxBytes. Never a reject: the
	// sender's MTA retries.
	FailClosed bool
	// MaxBytes bounds the message (headers and body) Check sees; a larger
	// one is not checked at all and decided as a failure. Default
	// DefaultMaxBytes (Postfix's own message_size_limit is 10 MB).
	MaxBytes int64
	// Timeout bounds one Check; default DefaultTimeout. While Check runs
	// the MTA gets progress notes, so its milter_content_timeout does not
	// end the wait first.
	Timeout time.Duration
	// MaxConnections bounds the MTA connections served at once (Postfix
	// opens one per SMTP session); further ones wait in the listen backlog.
	// Default DefaultMaxConnections.
	MaxConnections int
	// SpoolDir holds the temporary file of a message larger than 64 KiB,
	// unlinked as soon as it is created. Default os.TempDir().
	SpoolDir string
	// Logger receives one record per message (queue id, client, action,
	// reason, size, time) and connection errors; never an address, a header
	// or body byte. Nil logs nothing.
	Logger *slog.Logger

	mu       sync.Mutex
	shutdown bool
	srv      *gomilter.Server
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

// Serve accepts MTA connections on l and serves each in its own goroutine,
// at most MaxConnections at once. It closes l on return and returns
// ErrServerClosed after Shutdown. It may be called for several listeners.
func (s *Server) Serve(l net.Listener) error {
	if s.Check == nil {
		l.Close()
		return errors.New("milter: Server.Check is nil")
	}
	cfg := s.config()
	ll := newLimitListener(l, cfg.maxConns, cfg.log)
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	if s.srv == nil {
		s.srv = newProtocolServer(cfg)
	}
	srv := s.srv
	s.mu.Unlock()
	defer ll.Close()

	err := srv.Serve(ll)
	s.mu.Lock()
	down := s.shutdown
	s.mu.Unlock()
	if down {
		return ErrServerClosed
	}
	if err == nil {
		// go-milter returns nil only when it is shut down.
		return ErrServerClosed
	}
	return err
}

// Shutdown stops accepting connections and waits until the MTA has closed
// the open ones (Postfix keeps one for the length of an SMTP session). When
// ctx ends first it closes the rest and returns ctx's error; the MTA then
// applies its milter_default_action to the messages in them.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown = true
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	// go-milter closes the listeners it serves; one that Serve already
	// closed on its way out is no failure.
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// config is the Server's settings with the defaults filled in, fixed for
// the connections of one Serve.
type config struct {
	check      func(context.Context, Message) (Verdict, error)
	failClosed bool
	maxBytes   int64
	timeout    time.Duration
	maxConns   int
	spoolDir   string
	log        *slog.Logger
}

func (s *Server) config() *config {
	c := &config{
		check:      s.Check,
		failClosed: s.FailClosed,
		maxBytes:   s.MaxBytes,
		timeout:    s.Timeout,
		maxConns:   s.MaxConnections,
		spoolDir:   s.SpoolDir,
		log:        s.Logger,
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxConns <= 0 {
		c.maxConns = DefaultMaxConnections
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c
}
