package server

import (
	"bufio"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sample is one line of the text format: series (name and labels) and value.
var sampleLine = regexp.MustCompile(`^([a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? ([0-9.e+-]+|\+Inf)$`)

// scrape fetches /metrics and returns its samples by series, checking that
// every line is a comment or a well-formed sample of a declared metric.
func scrape(t *testing.T, ts *testServer) map[string]float64 {
	t.Helper()
	resp, b := ts.do(t, "GET", "/metrics", "", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	typed := map[string]string{}
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		line := sc.Text()
		if f := strings.Fields(line); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			typed[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("malformed line %q", line)
		}
		base := m[1]
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if b, ok := strings.CutSuffix(base, suf); ok && typed[b] == "histogram" {
				base = b
			}
		}
		if typed[base] == "" {
			t.Errorf("sample of %s before its # TYPE", m[1])
		}
		v, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			t.Fatalf("value in %q: %v", line, err)
		}
		out[m[1]+m[2]] = v
	}
	return out
}

func TestMetrics(t *testing.T) {
	var events uint64
	ts := start(t, Config{Counters: func() []Counter {
		events++ // read at each scrape
		return []Counter{{Name: "leakguard_events_dropped_total", Help: "Events dropped.", Value: events}}
	}})
	bodies := []string{"a " + fakeSecret, "b " + fakeSecret + " " + fakeEmail}
	for _, body := range bodies {
		if resp, _ := ts.do(t, "POST", "/v1/scan", "text/plain", strings.NewReader(body)); resp.StatusCode != 200 {
			t.Fatal(resp.Status)
		}
	}
	ts.doAs(t, "", "POST", "/v1/scan", "", strings.NewReader("x")) // 401
	ts.do(t, "GET", "/nowhere", "", nil)                           // 404
	ts.do(t, "POST", "/analyze", "application/json", strings.NewReader(`{"text":"`+fakeEmail+`"}`))

	m := scrape(t, ts)
	want := map[string]float64{
		`leakguard_http_requests_total{endpoint="/v1/scan",code="200"}`:                 2,
		`leakguard_http_requests_total{endpoint="/v1/scan",code="401"}`:                 1,
		`leakguard_http_requests_total{endpoint="other",code="404"}`:                    1,
		`leakguard_http_requests_total{endpoint="/analyze",code="200"}`:                 1,
		`leakguard_findings_total{kind="secret"}`:                                       2,
		`leakguard_findings_total{kind="pii"}`:                                          2,
		`leakguard_findings_total{kind="marking"}`:                                      0,
		`leakguard_http_request_duration_seconds_count{endpoint="/v1/scan"}`:            3,
		`leakguard_http_request_duration_seconds_bucket{endpoint="/v1/scan",le="+Inf"}`: 3,
		`leakguard_http_request_duration_seconds_count{endpoint="/v1/trace"}`:           0,
		// The scrape itself is in flight.
		`leakguard_http_requests_in_flight`: 1,
		// The caller's counters, as they are at the scrape.
		`leakguard_events_dropped_total`: 1,
		// Bodies read by scanning endpoints: the 401 was never read.
		`leakguard_scanned_bytes_total`: float64(len(bodies[0]) + len(bodies[1]) + len(`{"text":"`+fakeEmail+`"}`)),
	}
	for k, v := range want {
		got, ok := m[k]
		if !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	// Buckets are cumulative.
	prev := -1.0
	for _, le := range durationBuckets() {
		v := m[`leakguard_http_request_duration_seconds_bucket{endpoint="/v1/scan",le="`+strconv.FormatFloat(le, 'g', -1, 64)+`"}`]
		if v < prev {
			t.Errorf("bucket le=%v holds %v < %v", le, v, prev)
		}
		prev = v
	}
}

func TestQuoteLabel(t *testing.T) {
	if got := quote("a\"b\\c\nd"); got != `"a\"b\\c\nd"` {
		t.Errorf("quote = %s", got)
	}
}
