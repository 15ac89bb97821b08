package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/trace"
)

// Input is one body (or one file of a multipart body) to scan.
type Input struct {
	// Name is the file name when known (a multipart file's, or the raw
	// body's ?name= query parameter); it serves as a type hint and as the
	// findings' Location.Path.
	Name string
	// ContentType is the body's declared media type, possibly empty. For
	// /v1/redact and /analyze it is always TextContentType: the body is
	// UTF-8 text, to be scanned as such, and the findings' offsets must be
	// byte offsets into exactly that text.
	ContentType string
	Body        io.Reader
}

// TextContentType is the ContentType of the inputs of /v1/redact and
// /analyze.
const TextContentType = "text/plain; charset=utf-8"

// Result is what scanning one Input found.
type Result struct {
	Findings []finding.Finding
	Errors   []finding.ItemError
	Stats    finding.Stats
}

// Config is what the server is given. Scan is required; the zero value of
// each limit means its default.
type Config struct {
	// Scan runs extractors, engine and registered sets over one input. It
	// is called concurrently, with a context that ends after Timeout. It
	// should record what it cannot read as item errors and return an error
	// only when it could not scan at all.
	Scan func(ctx context.Context, in Input) (Result, error)
	// Trace builds the trace report of one input; nil answers /v1/trace
	// with 501.
	Trace func(ctx context.Context, in Input) (*trace.Report, error)
	// Tokens are the bearer tokens accepted. Nil accepts none: every
	// endpoint but /health answers 401.
	Tokens *Tokens
	// Entities are listed by GET /supportedentities.
	Entities []string
	// MaxBody bounds a request body in bytes (413 beyond). Default
	// DefaultMaxBody.
	MaxBody int64
	// Timeout bounds one scanning request, reading its body included.
	// Default DefaultTimeout.
	Timeout time.Duration
	// MaxConcurrent bounds the scanning requests (scan, redact, trace,
	// analyze) in flight; one more gets 503 with Retry-After. Default
	// four per CPU.
	MaxConcurrent int
	// Logger gets one record per request (endpoint, status, duration,
	// token name, finding count); never a body or a value. Nil logs nothing.
	Logger *slog.Logger
	// Counters are more counters for GET /metrics, read at each request
	// (the events of other channels, for instance); nil for none.
	Counters func() []Counter
}

// Counter is one counter of Config.Counters: a metric name, its help text
// and its value.
type Counter struct {
	Name, Help string
	Value      uint64
}

// Defaults of the limits.
const (
	DefaultMaxBody int64 = 32 << 20
	DefaultTimeout       = time.Minute
)

// withDefaults fills the zero limits.
func (c Config) withDefaults() Config {
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = 4 * runtime.GOMAXPROCS(0)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// route is one endpoint. The list in routes is the single source of the
// mux, the metrics' endpoint labels and the OpenAPI test.
type route struct {
	method, path string
	// public endpoints need no token.
	public bool
	// work endpoints read a body and scan it: they take a concurrency
	// slot, and their body and time are limited.
	work   bool
	handle func(s *server, w *statusWriter, r *http.Request)
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

func routes() []route {
	return []route{
		{method: "POST", path: "/v1/scan", work: true, handle: (*server).scan},
		{method: "POST", path: "/v1/redact", work: true, handle: (*server).redact},
		{method: "POST", path: "/v1/trace", work: true, handle: (*server).trace},
		{method: "POST", path: "/analyze", work: true, handle: (*server).analyze},
		{method: "GET", path: "/supportedentities", handle: (*server).supportedEntities},
		{method: "GET", path: "/health", public: true, handle: (*server).health},
		{method: "GET", path: "/metrics", handle: (*server).metricsPage},
		{method: "GET", path: "/openapi.json", handle: (*server).openAPI},
	}
}

// server is the handler New returns.
type server struct {
	cfg     Config
	log     *slog.Logger
	mux     *http.ServeMux
	metrics *metrics
	slots   chan struct{} // one per scanning request in flight
}

// New returns the API's handler.
func New(c Config) http.Handler {
	c = c.withDefaults()
	s := &server{
		cfg:   c,
		log:   c.Logger,
		mux:   http.NewServeMux(),
		slots: make(chan struct{}, c.MaxConcurrent),
	}
	rs := routes()
	paths := make([]string, len(rs))
	for i, rt := range rs {
		paths[i] = rt.path
		s.mux.Handle(rt.pattern(), s.endpoint(rt))
	}
	s.metrics = newMetrics(paths)
	return s
}

// ServeHTTP routes a request, answering unknown paths and methods in JSON,
// and records it in the metrics and the log.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.metrics.inFlight.Add(1)
	defer s.metrics.inFlight.Add(-1)
	sw := &statusWriter{ResponseWriter: w, endpoint: "other"}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.notRouted(sw, r)
	} else {
		s.mux.ServeHTTP(sw, r)
	}
	d := time.Since(start)
	code := sw.code()
	s.metrics.request(sw.endpoint, code, d)
	s.metrics.findings(sw.kinds)
	level := slog.LevelInfo
	if sw.endpoint == "/health" || sw.endpoint == "/metrics" {
		level = slog.LevelDebug
	}
	s.log.LogAttrs(r.Context(), level, "http request",
		slog.String("method", r.Method), slog.String("endpoint", sw.endpoint),
		slog.Int("status", code), slog.Duration("duration", d),
		slog.String("token", sw.token), slog.Int("findings", sw.found))
}

// notRouted answers a request no route matches: 404, 405 with Allow, or
// the mux's redirect to a cleaned path.
func (s *server) notRouted(w http.ResponseWriter, r *http.Request) {
	h, _ := s.mux.Handler(r)
	c := &captureWriter{header: http.Header{}}
	h.ServeHTTP(c, r)
	switch c.status {
	case http.StatusNotFound:
		writeError(w, http.StatusNotFound, "no such endpoint; see /openapi.json")
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", c.header.Get("Allow"))
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here (allowed: "+c.header.Get("Allow")+")")
	default:
		for k, v := range c.header {
			w.Header()[k] = v
		}
		w.WriteHeader(c.status)
		w.Write(c.body)
	}
}

// endpoint wraps a route's handler with authentication and, for scanning
// routes, admission, body and time limits; a panic becomes a 500.
func (s *server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw, _ := w.(*statusWriter)
		if sw == nil { // New's handler always wraps; be safe if not
			sw = &statusWriter{ResponseWriter: w}
		}
		sw.endpoint = rt.path
		if !rt.public {
			name, ok := s.authorize(r)
			if !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="leakguard"`)
				writeError(w, http.StatusUnauthorized, "missing or unknown bearer token (Authorization: Bearer lgt_…; create one with 'leakguard tokens create')")
				return
			}
			sw.token = name
		}
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("handler panic", "endpoint", rt.path, "panic", v)
				if !sw.wrote {
					writeError(sw, http.StatusInternalServerError, "internal error")
				}
			}
		}()
		if rt.work {
			release, ok := s.admit()
			if !ok {
				w.Header().Set("Retry-After", "1")
				writeError(w, http.StatusServiceUnavailable, "too many requests in flight; retry shortly")
				return
			}
			defer release()
			var cancel context.CancelFunc
			r, cancel = s.limit(sw, r)
			if r == nil {
				return
			}
			defer cancel()
			defer func() { s.metrics.scanned(bodyOf(r).n) }()
		}
		rt.handle(s, sw, r)
	})
}
