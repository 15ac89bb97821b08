package icaptest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

// Origin is the HTTP server behind the proxy. It answers a POST to /upload
// with Sum of what reached it, so a test can tell an upload arrived
// unchanged without the origin keeping it, and counts those uploads, so a
// test can tell a blocked one never arrived. Other paths go to the handler
// given to StartOrigin.
type Origin struct {
	URL string // http://127.0.0.1:PORT

	more  http.Handler
	mu    sync.Mutex
	posts int
}

// StartOrigin serves on loopback until the test ends; more (nil: 404)
// answers every path but /upload.
func StartOrigin(t testing.TB, more http.Handler) *Origin {
	t.Helper()
	o := &Origin{more: more}
	srv := httptest.NewServer(o)
	t.Cleanup(srv.Close)
	o.URL = srv.URL
	return o
}

// Uploads is how many uploads reached the origin whole.
func (o *Origin) Uploads() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.posts
}

// ServeHTTP answers /upload with the SHA-256 and length of the body.
func (o *Origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/upload" {
		if o.more == nil {
			http.NotFound(w, r)
			return
		}
		o.more.ServeHTTP(w, r)
		return
	}
	h := sha256.New()
	n, err := io.Copy(h, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	o.mu.Lock()
	o.posts++
	o.mu.Unlock()
	fmt.Fprintf(w, "%s %d", hex.EncodeToString(h.Sum(nil)), n)
}

// Sum is what the origin answers to an upload of b.
func Sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]) + " " + strconv.Itoa(len(b))
}
