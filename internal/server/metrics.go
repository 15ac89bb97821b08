package server

import (
	"bufio"
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// durationBuckets returns the upper bounds, in seconds, of the request
// duration histogram: from a health probe to a large archive.
func durationBuckets() []float64 {
	return []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}
}

// metrics are the server's counters, written in the Prometheus text
// exposition format (version 0.0.4) by hand: the format is a few lines of
// text and no client library is needed for it.
type metrics struct {
	inFlight atomic.Int64
	buckets  []float64

	mu        sync.Mutex
	requests  map[requestKey]uint64
	durations map[string]*histogram // by endpoint
	found     map[finding.Kind]uint64
	bytes     uint64
}

type requestKey struct {
	endpoint string
	code     int
}

func (m *metrics) newHistogram() *histogram {
	return &histogram{counts: make([]uint64, len(m.buckets))}
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

// newMetrics starts every endpoint's histogram and every kind's counter at
// zero, so that series exist before the first event.
func newMetrics(endpoints []string) *metrics {
	m := &metrics{
		buckets:   durationBuckets(),
		requests:  map[requestKey]uint64{},
		durations: map[string]*histogram{},
		found:     map[finding.Kind]uint64{},
	}
	for _, e := range append(endpoints, "other") {
		m.durations[e] = m.newHistogram()
	}
	for _, k := range []finding.Kind{finding.Secret, finding.PII, finding.Marking, finding.Registered} {
		m.found[k] = 0
	}
	return m
}

// request records one answered request.
func (m *metrics) request(endpoint string, code int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{endpoint, code}]++
	h := m.durations[endpoint]
	if h == nil { // endpoints are the routes' and "other": cannot happen
		h = m.newHistogram()
		m.durations[endpoint] = h
	}
	for i, le := range m.buckets {
		if sec <= le {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.count++
}

// findings records the findings of one answer, by kind.
func (m *metrics) findings(kinds map[finding.Kind]int) {
	if len(kinds) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, n := range kinds {
		m.found[k] += uint64(n)
	}
}

// scanned records the body bytes read by a scanning request.
func (m *metrics) scanned(n int64) {
	m.mu.Lock()
	m.bytes += uint64(n)
	m.mu.Unlock()
}

// write writes every metric in the text format, series in a stable order.
func (m *metrics) write(w *bufio.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()

	header(w, "leakguard_http_requests_total", "counter", "HTTP requests answered, by endpoint and status code.")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b requestKey) int {
		return cmp.Or(strings.Compare(a.endpoint, b.endpoint), cmp.Compare(a.code, b.code))
	})
	for _, k := range keys {
		fmt.Fprintf(w, "leakguard_http_requests_total{endpoint=%s,code=\"%d\"} %d\n", quote(k.endpoint), k.code, m.requests[k])
	}

	header(w, "leakguard_http_request_duration_seconds", "histogram", "Time from routing a request to the end of its answer, by endpoint.")
	eps := make([]string, 0, len(m.durations))
	for e := range m.durations {
		eps = append(eps, e)
	}
	slices.Sort(eps)
	for _, e := range eps {
		h := m.durations[e]
		cum := uint64(0)
		for i, le := range m.buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "leakguard_http_request_duration_seconds_bucket{endpoint=%s,le=\"%s\"} %d\n", quote(e), float(le), cum)
		}
		fmt.Fprintf(w, "leakguard_http_request_duration_seconds_bucket{endpoint=%s,le=\"+Inf\"} %d\n", quote(e), h.count)
		fmt.Fprintf(w, "leakguard_http_request_duration_seconds_sum{endpoint=%s} %s\n", quote(e), float(h.sum))
		fmt.Fprintf(w, "leakguard_http_request_duration_seconds_count{endpoint=%s} %d\n", quote(e), h.count)
	}

	header(w, "leakguard_http_requests_in_flight", "gauge", "HTTP requests being answered now.")
	fmt.Fprintf(w, "leakguard_http_requests_in_flight %d\n", m.inFlight.Load())

	header(w, "leakguard_findings_total", "counter", "Findings answered, by kind.")
	kinds := make([]finding.Kind, 0, len(m.found))
	for k := range m.found {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "leakguard_findings_total{kind=%s} %d\n", quote(string(k)), m.found[k])
	}

	header(w, "leakguard_scanned_bytes_total", "counter", "Bytes of request bodies read by scanning endpoints.")
	fmt.Fprintf(w, "leakguard_scanned_bytes_total %d\n", m.bytes)
}

func header(w *bufio.Writer, name, typ, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// quote writes a label value: quoted, with backslash, double quote and
// newline escaped as the format wants.
func quote(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}

func float(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// metricsPage answers GET /metrics.
func (s *server) metricsPage(w *statusWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	bw := bufio.NewWriter(w)
	s.metrics.write(bw)
	if s.cfg.Counters != nil {
		for _, c := range s.cfg.Counters() {
			header(bw, c.Name, "counter", c.Help)
			fmt.Fprintf(bw, "%s %d\n", c.Name, c.Value)
		}
	}
	bw.Flush()
}
