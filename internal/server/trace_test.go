package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/trace"
)

// fakeTrace reports one registered record set and one rule finding that
// carries its plaintext (which the server must drop).
func fakeTrace(_ context.Context, in Input) (*trace.Report, error) {
	b, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	f := finding.Finding{Rule: "test-secret", Kind: finding.Secret, Confidence: finding.High, Secret: fakeSecret,
		Location: finding.Location{Path: in.Name}}
	return &trace.Report{
		Dumps:    []string{in.Name},
		Records:  []trace.Record{{Set: "employees", Row: 4, Columns: []string{"ssn"}}, {Set: "employees", Row: 9, Columns: []string{"ssn"}}},
		Sets:     []trace.SetSummary{{Type: "records", Set: "employees", Found: 2}},
		Summary:  trace.Summary{Total: 1, ByKind: map[string]int64{"secret": 1}},
		Findings: []finding.Finding{f},
		Stats:    finding.Stats{Items: 1, Bytes: int64(len(b))},
	}, nil
}

func TestTrace(t *testing.T) {
	ts := start(t, Config{Trace: fakeTrace})
	resp, b := ts.do(t, "POST", "/v1/trace?name=paste.txt", "text/plain", strings.NewReader("dump "+fakeSecret))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	noPlaintext(t, b)
	var rep trace.Report
	decode(t, b, &rep)
	if len(rep.Dumps) != 1 || rep.Dumps[0] != "paste.txt" || len(rep.Records) != 2 || rep.Sets[0].Found != 2 {
		t.Errorf("report %+v", rep)
	}
	if f := rep.Findings; len(f) != 1 || f[0].Masked != "LGTE…cdef" {
		t.Errorf("other findings %+v, want one masked by the shared policy", f)
	}
	if rep.Documents == nil || rep.Files == nil || rep.Errors == nil {
		t.Errorf("empty lists must be [], got %s", b)
	}
}

func TestTraceMultipart(t *testing.T) {
	ts := start(t, Config{Trace: fakeTrace})
	ct, body := multipartBody(t, [][3]string{{"dump.csv", "text/csv", "a,b"}}, nil)
	resp, b := ts.do(t, "POST", "/v1/trace", ct, body)
	var rep trace.Report
	decode(t, b, &rep)
	if resp.StatusCode != http.StatusOK || rep.Dumps[0] != "dump.csv" {
		t.Errorf("status %d, report %s", resp.StatusCode, b)
	}
	ct, body = multipartBody(t, [][3]string{{"a", "text/plain", "a"}, {"b", "text/plain", "b"}}, nil)
	resp, b = ts.do(t, "POST", "/v1/trace", ct, body)
	wantError(t, resp, b, http.StatusBadRequest, "one dump")
}

func TestTraceNotConfigured(t *testing.T) {
	ts := start(t, Config{})
	resp, b := ts.do(t, "POST", "/v1/trace", "", strings.NewReader("x"))
	wantError(t, resp, b, http.StatusNotImplemented, "not configured")
}
