package server

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes the API (OpenAPI 3.1). A test keeps it true: every
// route is in it, and it has no path or method the server lacks.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI answers GET /openapi.json.
func (s *server) openAPI(w *statusWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDoc)
}
