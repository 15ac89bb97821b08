package server

import (
	"encoding/json"
	"net/http"

	"github.com/leakguard/leakguard/internal/finding"
)

// errorBody is every error answer: {"error": "..."}, plus, for a refused
// redaction, the findings that could not be redacted.
type errorBody struct {
	Error    string            `json:"error"`
	Findings []finding.Finding `json:"findings,omitempty"`
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the client may be gone; nothing to do about it
}

// writeError answers {"error": msg}. Messages never hold a scanned value.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

// statusWriter remembers what a request got, for the metrics and the log.
type statusWriter struct {
	http.ResponseWriter
	status   int
	wrote    bool
	endpoint string // the route's path, "other" when none matched
	token    string // the name of the token used
	found    int    // findings answered
	kinds    map[finding.Kind]int
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (deadlines,
// flushing).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) code() int {
	if !w.wrote {
		return http.StatusOK
	}
	return w.status
}

// counted records the findings a request answers with.
func (w *statusWriter) counted(fs []finding.Finding) {
	for _, f := range fs {
		w.add(f.Kind, 1)
	}
}

// add records n findings of kind k.
func (w *statusWriter) add(k finding.Kind, n int) {
	if n == 0 {
		return
	}
	if w.kinds == nil {
		w.kinds = map[finding.Kind]int{}
	}
	w.kinds[k] += n
	w.found += n
}

// captureWriter keeps what the mux's own not-found, not-allowed and
// redirect handlers write, so that errors can be answered in JSON.
type captureWriter struct {
	header http.Header
	status int
	body   []byte
}

func (c *captureWriter) Header() http.Header { return c.header }
func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}
func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body = append(c.body, b...)
	return len(b), nil
}
