package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

type openAPIOperation struct {
	Security  *[]map[string][]string     `json:"security"`
	Responses map[string]json.RawMessage `json:"responses"`
}

type openAPIDocument struct {
	OpenAPI string                                 `json:"openapi"`
	Paths   map[string]map[string]openAPIOperation `json:"paths"`
}

// TestOpenAPIMatchesRoutes keeps the document true: every route the server
// has is described, with the right security, and the document describes
// nothing the server lacks.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ts := start(t, Config{})
	resp, b := ts.do(t, "GET", "/openapi.json", "", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc openAPIDocument
	decode(t, b, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	var described []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			p := strings.ToUpper(method) + " " + path
			described = append(described, p)
			public := op.Security != nil && len(*op.Security) == 0
			i := slices.IndexFunc(routes(), func(rt route) bool { return rt.pattern() == p })
			if i < 0 {
				t.Errorf("the document describes %s, which the server lacks", p)
				continue
			}
			rt := routes()[i]
			if public != rt.public {
				t.Errorf("%s: document says public=%v, server %v", p, public, rt.public)
			}
			if _, ok := op.Responses["401"]; !rt.public && !ok {
				t.Errorf("%s: no 401 response described", p)
			}
			if _, ok := op.Responses["200"]; !ok {
				t.Errorf("%s: no 200 response described", p)
			}
		}
	}
	for _, rt := range routes() {
		if !slices.Contains(described, rt.pattern()) {
			t.Errorf("route %s is not in openapi.json", rt.pattern())
		}
	}
}

// TestRoutesAreServed checks the route table against the mux itself: each
// route's method and path reach a handler (refused for want of a token, not
// unknown), and another method on it is not allowed.
func TestRoutesAreServed(t *testing.T) {
	ts := start(t, Config{})
	for _, rt := range routes() {
		resp, _ := ts.doAs(t, "", rt.method, rt.path, "", nil)
		want := http.StatusUnauthorized
		if rt.public {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Errorf("%s without a token: %d, want %d", rt.pattern(), resp.StatusCode, want)
		}
		other := "DELETE"
		resp, _ = ts.do(t, other, rt.path, "", nil)
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d, want 405", other, rt.path, resp.StatusCode)
		}
	}
}

// TestOpenAPIReferencesResolve checks that every $ref points at a defined
// component.
func TestOpenAPIReferencesResolve(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
				var at any = doc
				for _, p := range parts {
					m, _ := at.(map[string]any)
					at = m[p]
				}
				if at == nil {
					t.Errorf("unresolved $ref %s", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}
