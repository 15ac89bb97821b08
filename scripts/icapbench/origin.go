package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Headers the load clients put on each upload for the origin to check.
const (
	hdrKind   = "X-Body-Kind"   // "clean" or "card"
	hdrDigest = "X-Body-SHA256" // hex SHA-256 of the body as sent
)

// okPrefix starts the origin's answer to an intact clean upload.
const okPrefix = "ok clean "

// OriginStats is what reached the origin, by what it was.
type OriginStats struct {
	Clean   int64 `json:"clean"`   // clean bodies, intact
	Leaked  int64 `json:"leaked"`  // bodies with the card number: the check let them through
	Damaged int64 `json:"damaged"` // bodies that differ from their digest
}

// origin is the HTTP server behind the proxy.
type origin struct {
	mu    sync.Mutex
	stats OriginStats
}

// ServeHTTP answers POST /upload after checking the body, and GET /stats
// with the counts so far (asked directly, not through the proxy).
func (o *origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/stats" && r.Method == http.MethodGet:
		o.mu.Lock()
		s := o.stats
		o.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s)
	case r.URL.Path == "/upload" && r.Method == http.MethodPost:
		o.upload(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (o *origin) upload(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		// A body cut short is a transfer the client sees fail; it is not
		// counted as arrived.
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	leaked := r.Header.Get(hdrKind) != "clean" || bytes.Contains(body, []byte(testCard))
	damaged := digest(body) != r.Header.Get(hdrDigest)
	o.mu.Lock()
	switch {
	case leaked:
		o.stats.Leaked++
	case damaged:
		o.stats.Damaged++
	default:
		o.stats.Clean++
	}
	o.mu.Unlock()
	// 409 for either fault, so that wrk and the load client see it as a
	// wrong answer whatever else they check.
	switch {
	case leaked:
		http.Error(w, "leak: a body with a card number reached the origin", http.StatusConflict)
	case damaged:
		http.Error(w, "damaged: the body differs from its digest", http.StatusConflict)
	default:
		fmt.Fprintf(w, "%s%d", okPrefix, len(body))
	}
}

// serveOrigin serves on addr until SIGINT or SIGTERM.
func serveOrigin(addr string, stderr io.Writer) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: &origin{}, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	fmt.Fprintf(stderr, "icapbench: origin on http://%s\n", l.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// printPort prints a loopback port that was free a moment ago.
func printPort(stdout io.Writer) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	_, err = fmt.Fprintln(stdout, l.Addr().(*net.TCPAddr).Port)
	return err
}
