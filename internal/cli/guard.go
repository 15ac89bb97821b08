package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/policy"
	"github.com/leakguard/leakguard/internal/scan"
	"github.com/leakguard/leakguard/internal/server"
	"github.com/leakguard/leakguard/internal/store"
)

// Channels a guard checks content on.
const (
	channelHTTP   = "http"
	channelICAP   = "icap"
	channelMilter = "milter"
)

// guard is what every inline channel of 'serve' shares: the engine,
// extractors and registered sets behind one scan.Scanner, the policy of
// each channel, and the event log. Reload swaps all of it at once; checks
// in flight finish on what they started with.
type guard struct {
	cur    atomic.Pointer[guardState]
	build  func() (*guardState, error)
	logger *slog.Logger
	// events, when set, records every action in the inventory.
	events *eventQueue
}

// guardState is one generation of rules, sets and policies.
type guardState struct {
	scanner  *scan.Scanner
	policies map[string]policy.Policy
	entities []string
	tag      string       // ISTag: changes with every generation
	mu       sync.RWMutex // held for reading by checks, for writing by close
	release  func()
}

func newGuard(build func() (*guardState, error), logger *slog.Logger) (*guard, error) {
	st, err := build()
	if err != nil {
		return nil, err
	}
	g := &guard{build: build, logger: logger}
	g.cur.Store(st)
	return g, nil
}

// reload builds a new generation and swaps it in; the old one is released
// once its last check is done. On failure the old one stays.
func (g *guard) reload() error {
	st, err := g.build()
	if err != nil {
		return err
	}
	old := g.cur.Swap(st)
	go func() {
		old.mu.Lock() // waits for the checks still running on it
		old.release()
	}()
	return nil
}

// close releases the current generation.
func (g *guard) close() {
	st := g.cur.Load()
	st.mu.Lock()
	st.release()
}

// entities are the current rules' entities.
func (g *guard) entities() []string { return g.cur.Load().entities }

// tag is the current generation's ISTag.
func (g *guard) tag() string { return g.cur.Load().tag }

// content is one piece of content leaving (or entering) through a channel.
type content struct {
	channel     string
	name        string // a file name when known, for type hints
	contentType string
	client      string // client address
	user        string
	destination string // URL, recipient
	body        io.Reader
	// text says the body is UTF-8 text to scan as it is, without looking
	// for a format: findings' offsets are then offsets into it.
	text bool
}

// verdict is the outcome of a check.
type verdict struct {
	decision policy.Decision
	findings []finding.Finding
	errors   []finding.ItemError
	stats    finding.Stats
}

// check scans c and decides on it with its channel's policy, logging an
// event for every action but allow.
func (g *guard) check(ctx context.Context, c content) (verdict, error) {
	st := g.cur.Load()
	st.mu.RLock()
	defer st.mu.RUnlock()
	start := time.Now()
	name := c.name
	if name == "" {
		name = c.channel
	}
	var fs []finding.Finding
	var errs []finding.ItemError
	var stats finding.Stats
	var err error
	switch {
	case c.text:
		fs, stats, err = st.scanner.CheckText(ctx, finding.Location{Path: name}, c.body)
	case isMultipart(c.contentType):
		// A browser's form upload: given its Content-Type it is a MIME
		// message, so the mail extractor opens every part and file in it.
		body := io.MultiReader(strings.NewReader("MIME-Version: 1.0\r\nContent-Type: "+c.contentType+"\r\n\r\n"), c.body)
		fs, errs, stats, err = st.scanner.Check(ctx, extract.Top{Location: finding.Location{Path: name}, Name: "upload.eml", Size: -1, R: body})
	default:
		fs, errs, stats, err = st.scanner.Check(ctx, extract.Top{Location: finding.Location{Path: name}, Name: c.name, Size: -1, R: c.body})
	}
	if err != nil {
		return verdict{}, err
	}
	v := verdict{findings: fs, errors: errs, stats: stats}
	v.decision = st.policies[c.channel].Decide(fs)
	if v.decision.Action != policy.Allow {
		g.event(c, v, time.Since(start))
	}
	return v, nil
}

// counters are the event counts for /metrics; none without an inventory.
func (g *guard) counters() []server.Counter {
	if g.events == nil {
		return nil
	}
	return g.events.counters()
}

// event records an action taken, with the findings masked as everywhere:
// in the inventory when there is one, and in the log.
func (g *guard) event(c content, v verdict, took time.Duration) {
	if g.events != nil {
		g.events.add(store.Event{At: time.Now(), Channel: c.channel, Action: string(v.decision.Action), Reason: v.decision.Reason,
			Client: c.client, User: c.user, Destination: c.destination, Findings: v.decision.Findings})
	}
	if g.logger == nil {
		return
	}
	rules := make([]string, 0, len(v.decision.Findings))
	for _, f := range v.decision.Findings {
		rules = append(rules, f.Rule+":"+f.Masked)
	}
	g.logger.Info("leakguard event",
		slog.String("channel", c.channel), slog.String("action", string(v.decision.Action)),
		slog.String("reason", v.decision.Reason), slog.String("client", c.client), slog.String("user", c.user),
		slog.String("destination", c.destination), slog.Int("findings", len(v.findings)),
		slog.Any("matched", rules), slog.Duration("took", took))
}

// isMultipart says whether a body of content type ct is MIME multipart
// (form uploads, related parts): a header line is all it needs to be read
// as a message.
func isMultipart(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	return err == nil && strings.HasPrefix(mt, "multipart/") && params["boundary"] != "" &&
		!strings.ContainsAny(ct, "\r\n")
}

// generationTag names a generation for proxies' caches.
func generationTag(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintln(h, p)
	}
	return "lg-" + hex.EncodeToString(h.Sum(nil))[:16]
}
