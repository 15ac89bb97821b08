package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/server"
	"github.com/leakguard/leakguard/internal/trace"
)

// startHTTP serves the HTTP API on conf.HTTP and returns its shutdown.
func startHTTP(ev *env, g *guard, conf serveConfig, maxBody int64, logger *slog.Logger, errc chan<- error) (func(context.Context) error, error) {
	dir, err := keyed.StateDir(conf.State)
	if err != nil {
		return nil, err
	}
	tokens, err := server.OpenTokens(dir)
	if err != nil {
		return nil, fmt.Errorf("http: tokens: %w", err)
	}
	scanIn := func(ctx context.Context, in server.Input) (verdict, error) {
		return g.check(ctx, content{channel: channelHTTP, name: in.Name, contentType: in.ContentType, body: in.Body,
			text: in.ContentType == server.TextContentType, client: clientOf(ctx)})
	}
	h := server.New(server.Config{
		Scan: func(ctx context.Context, in server.Input) (server.Result, error) {
			v, err := scanIn(ctx, in)
			return server.Result{Findings: v.findings, Errors: v.errors, Stats: v.stats}, err
		},
		Trace: func(ctx context.Context, in server.Input) (*trace.Report, error) {
			v, err := scanIn(ctx, in)
			if err != nil {
				return nil, err
			}
			name := in.Name
			if name == "" {
				name = "body"
			}
			return trace.Build([]string{name}, v.findings, v.errors, v.stats, nil), nil
		},
		Tokens: tokens, Entities: g.entities(), MaxBody: maxBody, Timeout: conf.Limits.Timeout, Logger: logger,
		Counters: g.counters,
	})
	srv := server.HTTPServer(conf.HTTP, withClient(h))
	l, err := net.Listen("tcp", conf.HTTP)
	if err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	scheme := "http"
	if conf.TLS.Cert != "" || conf.TLS.Key != "" {
		scheme = "https"
		go func() { errc <- srv.ServeTLS(l, conf.TLS.Cert, conf.TLS.Key) }()
	} else {
		go func() { errc <- srv.Serve(l) }()
	}
	fmt.Fprintf(ev.stderr, "leakguard: HTTP API on %s://%s (OpenAPI at /openapi.json)\n", scheme, l.Addr())
	return srv.Shutdown, nil
}

type clientKey struct{}

// withClient puts the caller's address in the request context, for events.
func withClient(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, r.RemoteAddr)))
	})
}

func clientOf(ctx context.Context) string {
	s, _ := ctx.Value(clientKey{}).(string)
	return s
}
