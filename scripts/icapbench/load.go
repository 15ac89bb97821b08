package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// blockTitle is in leakguard's 403 page for a blocked upload.
const blockTitle = "Blocked by data-leak policy"

// loadConfig is one load run.
type loadConfig struct {
	proxy     string        // the proxy's host:port; empty sends straight to the origin
	url       string        // the origin's upload URL
	stats     string        // the origin's stats URL
	conns     int           // concurrent connections, one request in flight on each
	duration  time.Duration // how long new requests are started
	cardEvery int           // every n-th request carries the card number; 0: none
	timeout   time.Duration // longest wait for one answer
	// closeCarded sends carded requests with "Connection: close": Squid
	// closes the client connection after a request that ICAP answered
	// with a 403 (while the 403 says keep-alive), and a POST sent on such
	// a connection in the meantime fails unanswered.
	closeCarded bool
}

// loadResult accounts for every request a run started.
type loadResult struct {
	SentClean, SentCard int64
	OK                  int64 // clean, answered 200 by the origin, intact
	Blocked             int64 // carded, answered by leakguard's 403 page
	Wrong               int64 // any other answer
	Errors              int64 // no answer: transport errors and timeouts
	NewConns            int64 // connections opened to the proxy
	Elapsed             time.Duration
	Latencies           []time.Duration
	Samples             []string // the first few wrong answers and errors
	Origin              OriginStats
}

func runLoad(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c loadConfig
	fs.StringVar(&c.proxy, "proxy", "", "proxy host:port (loopback)")
	fs.StringVar(&c.url, "url", "", "origin upload URL, http://127.0.0.1:PORT/upload")
	fs.IntVar(&c.conns, "c", 8, "concurrent connections")
	fs.DurationVar(&c.duration, "d", 10*time.Second, "how long to start new requests")
	fs.IntVar(&c.cardEvery, "card-every", 10, "every n-th request carries the card number (0: none)")
	fs.DurationVar(&c.timeout, "timeout", 60*time.Second, "longest wait for one answer")
	fs.BoolVar(&c.closeCarded, "close-carded", true, `send carded requests with "Connection: close" (Squid closes the connection after a block)`)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := c.check(); err != nil {
		fmt.Fprintln(stderr, "icapbench load:", err)
		return 2
	}
	res, err := load(context.Background(), c)
	if err != nil {
		fmt.Fprintln(stderr, "icapbench load:", err)
		return 1
	}
	problems := res.problems()
	res.print(stdout, c)
	for _, p := range problems {
		fmt.Fprintln(stderr, "MISMATCH:", p)
	}
	if len(problems) > 0 {
		return 1
	}
	return 0
}

// check keeps the run bounded and on loopback.
func (c *loadConfig) check() error {
	u, err := url.Parse(c.url)
	if err != nil || u.Scheme != "http" || !strings.HasSuffix(u.Path, "/upload") {
		return fmt.Errorf("-url %q: want http://127.0.0.1:PORT/upload", c.url)
	}
	hosts := []string{u.Hostname()}
	if c.proxy != "" {
		h, _, err := net.SplitHostPort(c.proxy)
		if err != nil {
			return fmt.Errorf("-proxy %q: %v", c.proxy, err)
		}
		hosts = append(hosts, h)
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%s is not a loopback address: this harness loads local servers only", h)
		}
	}
	if c.conns < 1 || c.conns > 5000 || c.duration <= 0 || c.duration > 5*time.Minute {
		return errors.New("-c must be 1..5000 and -d at most 5m")
	}
	u.Path = strings.TrimSuffix(u.Path, "/upload") + "/stats"
	c.stats = u.String()
	return nil
}

// load runs c.conns workers, each with its own connection and one request
// in flight, starting requests for c.duration and then waiting for every
// answer, so that each request started is counted exactly once.
func load(ctx context.Context, c loadConfig) (*loadResult, error) {
	direct := &http.Client{Timeout: 10 * time.Second}
	before, err := originStats(ctx, direct, c.stats)
	if err != nil {
		return nil, fmt.Errorf("origin stats before the run: %w", err)
	}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		MaxIdleConnsPerHost: c.conns,
		MaxConnsPerHost:     c.conns,
		IdleConnTimeout:     2 * time.Minute,
		DisableCompression:  true,
	}
	if c.proxy != "" {
		tr.Proxy = http.ProxyURL(&url.URL{Scheme: "http", Host: c.proxy})
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: c.timeout}
	clean, card := cleanBody(), cardBody()
	cleanSum, cardSum := digest(clean), digest(card)

	res := &loadResult{}
	var seq atomic.Int64
	var mu sync.Mutex // guards res.Latencies and res.Samples
	note := func(s string) {
		mu.Lock()
		if len(res.Samples) < 5 {
			res.Samples = append(res.Samples, s)
		}
		mu.Unlock()
	}
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		if !i.Reused {
			atomic.AddInt64(&res.NewConns, 1)
		}
	}}
	start := time.Now()
	stopAt := start.Add(c.duration)
	var wg sync.WaitGroup
	for range c.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			for time.Now().Before(stopAt) {
				n := seq.Add(1)
				isCard := c.cardEvery > 0 && n%int64(c.cardEvery) == 0
				body, sum, kind := clean, cleanSum, "clean"
				if isCard {
					body, sum, kind = card, cardSum, "card"
					atomic.AddInt64(&res.SentCard, 1)
				} else {
					atomic.AddInt64(&res.SentClean, 1)
				}
				req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, c.url, bytes.NewReader(body))
				if err != nil {
					panic(err) // the URL was checked: cannot happen
				}
				req.Header.Set("Content-Type", "text/plain; charset=utf-8")
				req.Header.Set(hdrKind, kind)
				req.Header.Set(hdrDigest, sum)
				req.Close = isCard && c.closeCarded
				t0 := time.Now()
				status, answer, err := roundTrip(client, req)
				lat = append(lat, time.Since(t0))
				switch verdict := judge(isCard, status, answer, err); verdict {
				case "ok":
					atomic.AddInt64(&res.OK, 1)
				case "blocked":
					atomic.AddInt64(&res.Blocked, 1)
				case "error":
					atomic.AddInt64(&res.Errors, 1)
					note(fmt.Sprintf("%s body: %v", kind, err))
				default:
					atomic.AddInt64(&res.Wrong, 1)
					note(fmt.Sprintf("%s body: HTTP %d %.120q", kind, status, answer))
				}
			}
			mu.Lock()
			res.Latencies = append(res.Latencies, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	after, err := originStats(ctx, direct, c.stats)
	if err != nil {
		return nil, fmt.Errorf("origin stats after the run: %w", err)
	}
	res.Origin = OriginStats{Clean: after.Clean - before.Clean, Leaked: after.Leaked - before.Leaked, Damaged: after.Damaged - before.Damaged}
	return res, nil
}

// roundTrip sends req and reads the whole answer (bounded).
func roundTrip(client *http.Client, req *http.Request) (int, []byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, b, err
}

// judge says what one answer was: "ok" (clean body, 200 from the origin,
// intact), "blocked" (carded body, leakguard's 403 page without the
// value), "error" (no answer) or "wrong".
func judge(isCard bool, status int, answer []byte, err error) string {
	switch {
	case err != nil:
		return "error"
	case !isCard && status == http.StatusOK && string(answer) == fmt.Sprintf("%s%d", okPrefix, BodySize):
		return "ok"
	case isCard && status == http.StatusForbidden && bytes.Contains(answer, []byte(blockTitle)) &&
		!bytes.Contains(answer, []byte(testCard)) && !bytes.Contains(answer, []byte(strings.ReplaceAll(testCard, " ", ""))):
		return "blocked"
	}
	return "wrong"
}

func originStats(ctx context.Context, client *http.Client, statsURL string) (OriginStats, error) {
	var s OriginStats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, statsURL, nil)
	if err != nil {
		return s, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return s, fmt.Errorf("%s: HTTP %d", statsURL, resp.StatusCode)
	}
	return s, json.NewDecoder(resp.Body).Decode(&s)
}

// problems lists every way the run lost a request or answered one wrongly.
func (r *loadResult) problems() []string {
	var p []string
	add := func(bad bool, format string, args ...any) {
		if bad {
			p = append(p, fmt.Sprintf(format, args...))
		}
	}
	add(r.Errors > 0, "%d requests got no answer", r.Errors)
	add(r.Wrong > 0, "%d requests were answered wrongly", r.Wrong)
	add(r.OK != r.SentClean, "%d clean bodies sent, %d answered 200 intact", r.SentClean, r.OK)
	add(r.Blocked != r.SentCard, "%d carded bodies sent, %d answered 403", r.SentCard, r.Blocked)
	add(r.Origin.Clean != r.OK, "the origin received %d clean bodies intact, the client saw %d", r.Origin.Clean, r.OK)
	add(r.Origin.Leaked != 0, "%d carded bodies reached the origin", r.Origin.Leaked)
	add(r.Origin.Damaged != 0, "%d bodies reached the origin changed", r.Origin.Damaged)
	for _, s := range r.Samples {
		p = append(p, "e.g. "+s)
	}
	return p
}

// percentile of sorted durations, q in [0, 1].
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func (r *loadResult) print(w io.Writer, c loadConfig) {
	slices.Sort(r.Latencies)
	n := r.SentClean + r.SentCard
	rps := float64(n) / r.Elapsed.Seconds()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	p50, p99 := percentile(r.Latencies, 0.50), percentile(r.Latencies, 0.99)
	fmt.Fprintf(w, "icapbench load: %d connections (%d opened), %v + %v to drain: %d requests, %.1f/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		c.conns, r.NewConns, c.duration, (r.Elapsed - c.duration).Round(time.Millisecond), n, rps, ms(p50), ms(p99), ms(percentile(r.Latencies, 1)))
	fmt.Fprintf(w, "  clean: %d sent, %d answered as clean; carded: %d sent, %d answered with the 403 page; wrong %d; no answer %d\n",
		r.SentClean, r.OK, r.SentCard, r.Blocked, r.Wrong, r.Errors)
	if c.url != "" {
		fmt.Fprintf(w, "  origin: %d clean bodies intact, %d carded, %d changed\n", r.Origin.Clean, r.Origin.Leaked, r.Origin.Damaged)
	}
	fmt.Fprintf(w, "LGLOAD conns=%d opened=%d requests=%d rps=%.1f p50_ms=%.1f p99_ms=%.1f sent_clean=%d ok=%d sent_card=%d blocked=%d wrong=%d errors=%d origin_clean=%d origin_leaked=%d origin_damaged=%d\n",
		c.conns, r.NewConns, n, rps, ms(p50), ms(p99), r.SentClean, r.OK, r.SentCard, r.Blocked, r.Wrong, r.Errors, r.Origin.Clean, r.Origin.Leaked, r.Origin.Damaged)
}
