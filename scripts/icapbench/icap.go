package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http/httputil"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// icapConfig is a run straight against the ICAP service, without Squid:
// conns persistent ICAP connections, all opened and used once before any
// is used again, then REQMODs back to back on every one of them.
type icapConfig struct {
	addr      string
	conns     int
	duration  time.Duration
	cardEvery int
}

// reqmod is one REQMOD message carrying body in full, without preview, as
// a proxy that takes "204 No Content" sends it.
func reqmod(addr string, body []byte) []byte {
	head := "POST /upload HTTP/1.1\r\nHost: origin.test\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	var b bytes.Buffer
	fmt.Fprintf(&b, "REQMOD icap://%s/reqmod ICAP/1.0\r\nHost: %s\r\nAllow: 204\r\nX-Client-IP: 127.0.0.1\r\n"+
		"Encapsulated: req-hdr=0, req-body=%d\r\n\r\n%s%x\r\n", addr, addr, len(head), head, len(body))
	b.Write(body)
	b.WriteString("\r\n0\r\n\r\n")
	return b.Bytes()
}

// readAnswer reads one ICAP answer and returns its ICAP status and, for a
// 200, the encapsulated HTTP status line and body.
func readAnswer(br *bufio.Reader) (int, string, []byte, error) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return 0, "", nil, err
	}
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != "ICAP/1.0" {
		return 0, "", nil, fmt.Errorf("not an ICAP status line: %q", line)
	}
	status, err := strconv.Atoi(f[1])
	if err != nil {
		return 0, "", nil, fmt.Errorf("status line %q: %v", line, err)
	}
	hdr, err := tp.ReadMIMEHeader()
	if err != nil {
		return status, "", nil, err
	}
	enc := hdr.Get("Encapsulated")
	if status != 200 || !strings.HasPrefix(enc, "res-hdr=0, res-body=") {
		return status, "", nil, nil // 204, or an answer without a body
	}
	n, err := strconv.Atoi(strings.TrimPrefix(enc, "res-hdr=0, res-body="))
	if err != nil || n <= 0 || n > 64<<10 {
		return status, "", nil, fmt.Errorf("encapsulated header %q", enc)
	}
	head := make([]byte, n)
	if _, err := io.ReadFull(br, head); err != nil {
		return status, "", nil, err
	}
	httpStatus, _, _ := strings.Cut(string(head), "\r\n")
	body, err := io.ReadAll(io.LimitReader(httputil.NewChunkedReader(br), 64<<10))
	if err != nil {
		return status, httpStatus, body, err
	}
	// The chunked reader stops after "0\r\n": the empty line ending the
	// (empty) trailer is left.
	if end, err := tp.ReadLine(); err != nil || end != "" {
		return status, httpStatus, body, fmt.Errorf("after the last chunk: %q, %v", end, err)
	}
	return status, httpStatus, body, nil
}

// judgeICAP is judge for an ICAP answer: a clean body gets 204, a carded
// one a 200 that carries the 403 page.
func judgeICAP(isCard bool, status int, httpStatus string, page []byte, err error) string {
	switch {
	case err != nil:
		return "error"
	case !isCard && status == 204:
		return "ok"
	case isCard && status == 200 && strings.HasPrefix(httpStatus, "HTTP/1.1 403") &&
		judge(true, 403, page, nil) == "blocked":
		return "blocked"
	}
	return "wrong"
}

func runICAP(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("icap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c icapConfig
	fs.StringVar(&c.addr, "addr", "", "the ICAP service's host:port (loopback)")
	fs.IntVar(&c.conns, "c", 1000, "persistent ICAP connections")
	fs.DurationVar(&c.duration, "d", 10*time.Second, "how long to start new requests once every connection is open")
	fs.IntVar(&c.cardEvery, "card-every", 10, "every n-th request carries the card number (0: none)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, _, err := net.SplitHostPort(c.addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		fmt.Fprintf(stderr, "icapbench icap: -addr %q: want a loopback host:port\n", c.addr)
		return 2
	}
	if c.conns < 1 || c.conns > 5000 || c.duration <= 0 || c.duration > 5*time.Minute {
		fmt.Fprintln(stderr, "icapbench icap: -c must be 1..5000 and -d at most 5m")
		return 2
	}
	res := loadICAP(c)
	res.print(stdout, loadConfig{conns: c.conns, duration: c.duration}) // no origin: the answers are ICAP's
	var problems []string
	add := func(bad bool, format string, args ...any) {
		if bad {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	add(res.Errors > 0, "%d requests got no answer", res.Errors)
	add(res.Wrong > 0, "%d requests were answered wrongly", res.Wrong)
	add(res.OK != res.SentClean || res.Blocked != res.SentCard, "sent %d clean and %d carded, %d answered 204 and %d blocked",
		res.SentClean, res.SentCard, res.OK, res.Blocked)
	add(res.NewConns != int64(c.conns), "%d connections opened, want %d: a connection was lost", res.NewConns, c.conns)
	for _, s := range res.Samples {
		problems = append(problems, "e.g. "+s)
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, "MISMATCH:", p)
	}
	if len(problems) > 0 {
		return 1
	}
	return 0
}

// loadICAP opens every connection and sends one clean REQMOD on each, waits
// until all have been answered (so that c.conns connections are open at
// once), then sends REQMODs back to back on each for c.duration and waits
// for the last answers. A connection that fails is not reopened: the run
// counts its request as unanswered and NewConns tells.
func loadICAP(c icapConfig) *loadResult {
	clean, card := reqmod(c.addr, cleanBody()), reqmod(c.addr, cardBody())
	res := &loadResult{}
	var mu sync.Mutex
	note := func(s string) {
		mu.Lock()
		if len(res.Samples) < 5 {
			res.Samples = append(res.Samples, s)
		}
		mu.Unlock()
	}
	var seq atomic.Int64
	var opened, wg sync.WaitGroup
	opened.Add(c.conns)
	start := make(chan struct{})
	var stopAt time.Time
	for range c.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once := sync.OnceFunc(opened.Done)
			defer once()
			conn, err := net.DialTimeout("tcp", c.addr, 10*time.Second)
			if err != nil {
				atomic.AddInt64(&res.Errors, 1)
				note(err.Error())
				return
			}
			defer conn.Close()
			atomic.AddInt64(&res.NewConns, 1)
			br := bufio.NewReader(conn)
			// send sends one REQMOD and says what its answer was.
			send := func(isCard bool) (string, time.Duration) {
				msg := clean
				if isCard {
					msg = card
				}
				t0 := time.Now()
				conn.SetDeadline(t0.Add(60 * time.Second))
				if _, err := conn.Write(msg); err != nil {
					note(err.Error())
					return "error", 0
				}
				status, httpStatus, page, err := readAnswer(br)
				v := judgeICAP(isCard, status, httpStatus, page, err)
				switch v {
				case "error":
					note(err.Error())
				case "wrong":
					note(fmt.Sprintf("card=%v: ICAP %d, %q", isCard, status, httpStatus))
				}
				return v, time.Since(t0)
			}
			// The opening request is checked but not counted: the run
			// counts the requests sent while every connection is open.
			if v, _ := send(false); v != "ok" {
				atomic.AddInt64(&res.Errors, 1)
				return
			}
			once()
			<-start
			var lat []time.Duration
			for time.Now().Before(stopAt) {
				isCard := c.cardEvery > 0 && seq.Add(1)%int64(c.cardEvery) == 0
				if isCard {
					atomic.AddInt64(&res.SentCard, 1)
				} else {
					atomic.AddInt64(&res.SentClean, 1)
				}
				v, d := send(isCard)
				switch v {
				case "ok":
					atomic.AddInt64(&res.OK, 1)
				case "blocked":
					atomic.AddInt64(&res.Blocked, 1)
				case "wrong":
					atomic.AddInt64(&res.Wrong, 1)
				default:
					// The connection's framing is lost: it stops here.
					atomic.AddInt64(&res.Errors, 1)
				}
				if v == "error" {
					break
				}
				lat = append(lat, d)
			}
			mu.Lock()
			res.Latencies = append(res.Latencies, lat...)
			mu.Unlock()
		}()
	}
	opened.Wait()
	t0 := time.Now()
	stopAt = t0.Add(c.duration)
	close(start)
	wg.Wait()
	res.Elapsed = time.Since(t0)
	return res
}
