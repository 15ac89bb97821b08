package server

import (
	"net/http"
	"strings"
)

// authorize returns the name of the request's bearer token when it is one
// of the configured tokens.
func (s *server) authorize(r *http.Request) (string, bool) {
	token, ok := bearer(r.Header.Get("Authorization"))
	if !ok {
		return "", false
	}
	return s.cfg.Tokens.Verify(token)
}

// bearer takes the token out of an Authorization header value; the scheme
// is case-insensitive (RFC 9110 section 11.1).
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
