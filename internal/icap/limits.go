package icap

import "time"

// Action is what the server does with a message: let it through or stop it.
type Action int

const (
	// Allow lets the message through unchanged (the zero value).
	Allow Action = iota
	// Block replaces the message with an HTTP 403 page.
	Block
)

func (a Action) String() string {
	if a == Block {
		return "block"
	}
	return "allow"
}

// Verdict is a Check function's answer for one message.
type Verdict struct {
	Action Action
	// Reason names, in a few words, the policy that stopped the message
	// ("card numbers", "registered document"). It is shown on the 403 page
	// and logged, so it must never contain the matched value.
	Reason string
}

// Limits bound what one connection and one message may cost. The zero value
// of each field means its default.
type Limits struct {
	// MaxHeaderBytes bounds the ICAP request line and headers plus the
	// encapsulated HTTP headers of one request. Default 64 KiB; beyond it the
	// request gets "400 Bad Request" and the connection is closed.
	MaxHeaderBytes int
	// MaxBodyBytes is how much of a body Check sees. Default 32 MiB.
	MaxBodyBytes int64
	// OverLimit decides a message whose first MaxBodyBytes Check allowed but
	// which is longer than that, so that its tail went unscanned. Default
	// Allow (fail-open, like a proxy's bypass): set Block for fail-closed.
	OverLimit Action
	// OnError decides a message when Check returns an error or panics.
	// Default Allow (fail-open); Block shows the 403 page instead.
	OnError Action
	// Preview is the preview size advertised in the OPTIONS response: the
	// proxy sends this many body bytes first and waits for "100 Continue".
	// Default 4096; negative advertises no preview.
	Preview int
	// MaxConnections bounds the connections served at once (advertised as
	// Max-Connections); further ones wait in the listen backlog. Default 1024.
	MaxConnections int
	// IdleTimeout closes a keep-alive connection with no request. Default 60 s.
	IdleTimeout time.Duration
	// HeaderTimeout bounds reading one request's headers (slow clients).
	// Default 10 s.
	HeaderTimeout time.Duration
	// RequestTimeout bounds one message from its headers to the last byte of
	// the answer, Check included. Default 5 minutes.
	RequestTimeout time.Duration
	// DrainBytes is how much of a body still in flight is read and dropped
	// after it was blocked, to keep the connection; a longer rest closes it
	// instead. Default 1 MiB.
	DrainBytes int64
	// StreamAfter is how much of a RESPMOD body is held before it is sent
	// back while still being checked, when the proxy takes no 204 after the
	// preview. Squid stops sending a response body after about 64 KiB until
	// the answer starts, so longer downloads are streamed, and one blocked
	// late is cut short rather than replaced by the 403 page. Requests are
	// always held whole. Default 48 KiB; negative holds responses whole too.
	StreamAfter int64
	// SpoolDir holds the temporary copies of bodies: an upload read ahead of
	// Check (at most MaxBodyBytes+DrainBytes, see readAhead), and a body the
	// server may have to send back (when the proxy did not send
	// "Allow: 204"). Default os.TempDir().
	SpoolDir string
}

const (
	defaultMaxHeaderBytes = 64 << 10
	defaultMaxBodyBytes   = 32 << 20
	defaultPreview        = 4096
	defaultMaxConnections = 1024
	defaultIdleTimeout    = 60 * time.Second
	defaultHeaderTimeout  = 10 * time.Second
	defaultRequestTimeout = 5 * time.Minute
	defaultDrainBytes     = 1 << 20
	defaultStreamAfter    = 48 << 10
)

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = defaultMaxHeaderBytes
	}
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = defaultMaxBodyBytes
	}
	if l.Preview == 0 {
		l.Preview = defaultPreview
	}
	if l.MaxConnections <= 0 {
		l.MaxConnections = defaultMaxConnections
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = defaultIdleTimeout
	}
	if l.HeaderTimeout <= 0 {
		l.HeaderTimeout = defaultHeaderTimeout
	}
	if l.RequestTimeout <= 0 {
		l.RequestTimeout = defaultRequestTimeout
	}
	if l.StreamAfter == 0 {
		l.StreamAfter = defaultStreamAfter
	}
	if l.DrainBytes <= 0 {
		l.DrainBytes = defaultDrainBytes
	}
	return l
}
