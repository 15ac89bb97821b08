package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/leakguard/leakguard/internal/icap"
	"github.com/leakguard/leakguard/internal/milter"
	"github.com/leakguard/leakguard/internal/policy"
	"github.com/leakguard/leakguard/internal/scan"
	"github.com/leakguard/leakguard/internal/store"
)

// serveConfig is the configuration file of 'serve'. Flags given on the
// command line win over it.
type serveConfig struct {
	HTTP string `yaml:"http"`
	TLS  struct {
		Cert string `yaml:"cert"`
		Key  string `yaml:"key"`
	} `yaml:"tls"`
	ICAP   string `yaml:"icap"`
	Milter string `yaml:"milter"`
	State  string `yaml:"state"`
	Limits struct {
		MaxBody     string        `yaml:"max_body"`
		Timeout     time.Duration `yaml:"timeout"`
		Concurrency int           `yaml:"concurrency"`
	} `yaml:"limits"`
	// Policy holds one policy per channel (http, icap, milter); a channel
	// without one gets policy.Default.
	Policy map[string]policy.Policy `yaml:"policy"`
	// FailClosed lists the channels that refuse content when the check
	// itself fails (the default is to let it through and log the error).
	FailClosed []string `yaml:"fail_closed"`
}

type serveFlags struct {
	engineFlags
	config             string
	http, icap, milter string
	tlsCert, tlsKey    string
	maxBody            string
	timeout            time.Duration
	workers            int
	noExtract          bool
	noStore            bool
	db                 string
}

func newServeCmd(ev *env) *cobra.Command {
	var sf serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Check content on its way out: an HTTP API, ICAP for web proxies (Squid), a milter for mail (Postfix)",
		Long: `serve runs the same engine, rules and registered sets as scan on content leaving the
organisation, and applies a policy per channel: allow, alert, redact or block.

  --http ADDR   a JSON API (OpenAPI at /openapi.json): POST /v1/scan, /v1/redact,
                /v1/trace, Presidio-compatible POST /analyze and GET /supportedentities,
                GET /health and /metrics; every endpoint but /health needs a bearer token
                from 'leakguard tokens create'. --tls-cert and --tls-key serve HTTPS.
  --icap ADDR   ICAP (RFC 3507) for a web proxy: icap://ADDR/reqmod checks uploads and
                form posts, icap://ADDR/respmod downloads; a blocked message gets an HTTP
                403 page naming the policy, never the value.
  --milter ADDR a milter for Postfix (smtpd_milters = inet:ADDR): every header, body and
                attachment of outgoing mail, nested archives included; block rejects with
                550 5.7.1, redact holds the mail in the quarantine (hold) queue, alert adds
                an "X-Leakguard: alert; …" header, and a clean mail gets "X-Leakguard: clean".

Give "off" to turn a channel off. A configuration file (--config, YAML) sets listen
addresses, limits and the policies:

  icap: 127.0.0.1:1344
  limits: {max_body: 32MiB, timeout: 60s}
  policy:
    icap:
      rules:
        - {kinds: [secret], min_confidence: high, action: block}
        - {kinds: [registered], sets: [employees], action: block}
        - {entities: [CREDIT_CARD], action: block}
        - {min_confidence: medium, action: alert}
      default: allow
  fail_closed: [icap]

Without a policy a channel blocks high-confidence credentials, registered data and
checksummed card and IBAN numbers and labelled SSNs, lets contact details (e-mail, phone,
host addresses) through, and alerts on the rest of medium confidence.
Every action but allow is recorded, masked, in the inventory ('leakguard events list';
--no-store to skip) and logged as a JSON event on standard error.
SIGHUP reloads rules, registered sets and policy without dropping connections;
SIGINT or SIGTERM stops after the messages in flight.`,
		Example: `  leakguard serve --icap 127.0.0.1:1344
  leakguard serve --config /etc/leakguard/serve.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, ev, &sf)
		},
	}
	sf.registerEngine(cmd)
	f := cmd.Flags()
	// The engine flags are shared with scan and trace, but serve's answers
	// (HTTP bodies, ICAP pages, milter replies, events) never carry a value
	// in clear: the flag is hidden here, and refused if given anyway. Its
	// only error is a missing flag, which TestServeHidesShowSecrets catches.
	_ = f.MarkHidden("show-secrets")
	f.StringVar(&sf.config, "config", "", "YAML configuration file (listen addresses, limits, policies)")
	f.StringVar(&sf.http, "http", "127.0.0.1:8080", `HTTP API listen address, or "off"`)
	f.StringVar(&sf.tlsCert, "tls-cert", "", "certificate file (PEM) to serve the HTTP API over TLS")
	f.StringVar(&sf.tlsKey, "tls-key", "", "private key file (PEM) of --tls-cert")
	f.StringVar(&sf.icap, "icap", icap.DefaultAddr, `ICAP listen address, or "off"`)
	f.StringVar(&sf.milter, "milter", milter.DefaultAddr, `milter listen address (Postfix smtpd_milters = inet:ADDR), or "off"`)
	f.StringVar(&sf.maxBody, "max-body", "32MiB", "largest body checked; larger ones are let through and logged unless the channel fails closed")
	f.DurationVar(&sf.timeout, "timeout", 60*time.Second, "longest check of one message")
	f.IntVar(&sf.workers, "workers", 0, "extraction workers for documents (default: number of CPUs)")
	f.BoolVar(&sf.noExtract, "no-extract", false, "check bodies as text or binary only, without opening archives or documents")
	f.BoolVar(&sf.noStore, "no-store", false, "do not record events in the inventory (they are still logged)")
	f.StringVar(&sf.db, "db", "", "inventory for events: a postgres:// URL or an SQLite file (default $"+store.EnvDB+", else inventory.db in the state directory)")
	return cmd
}

// loadServeConfig reads the configuration file and lets flags the user
// set win over it.
func loadServeConfig(cmd *cobra.Command, sf *serveFlags) (serveConfig, error) {
	var c serveConfig
	if sf.config != "" {
		b, err := os.ReadFile(sf.config)
		if err != nil {
			return c, err
		}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			return c, fmt.Errorf("%s: %w", sf.config, err)
		}
	}
	set := func(name string, dst *string, v string) {
		if cmd.Flags().Changed(name) || *dst == "" {
			*dst = v
		}
	}
	set("http", &c.HTTP, sf.http)
	set("tls-cert", &c.TLS.Cert, sf.tlsCert)
	set("tls-key", &c.TLS.Key, sf.tlsKey)
	set("icap", &c.ICAP, sf.icap)
	set("milter", &c.Milter, sf.milter)
	set("max-body", &c.Limits.MaxBody, sf.maxBody)
	set("state", &c.State, sf.state)
	if cmd.Flags().Changed("timeout") || c.Limits.Timeout == 0 {
		c.Limits.Timeout = sf.timeout
	}
	for ch, p := range c.Policy {
		if ch != channelHTTP && ch != channelICAP && ch != channelMilter {
			return c, fmt.Errorf("policy: unknown channel %q (want http, icap or milter)", ch)
		}
		if err := p.Check(); err != nil {
			return c, fmt.Errorf("policy %s: %w", ch, err)
		}
	}
	return c, nil
}

func runServe(cmd *cobra.Command, ev *env, sf *serveFlags) error {
	ctx := cmd.Context()
	if sf.showSecrets {
		return errors.New("--show-secrets is for scan and trace reports: serve never answers with a value in clear")
	}
	conf, err := loadServeConfig(cmd, sf)
	if err != nil {
		return err
	}
	sf.state = conf.State
	maxBody, err := parseSize(conf.Limits.MaxBody)
	if err != nil {
		return fmt.Errorf("max_body: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(ev.stderr, nil))
	build := func() (*guardState, error) {
		// A reload rereads the configuration file for its policies.
		c, err := loadServeConfig(cmd, sf)
		if err != nil {
			return nil, err
		}
		return buildGuardState(ev, sf, c)
	}
	g, err := newGuard(build, logger)
	if err != nil {
		return err
	}
	defer g.close()
	if !sf.noStore {
		inv := &inventoryFlags{state: conf.State, db: sf.db}
		st, err := inv.open(ctx, true)
		if err != nil {
			return fmt.Errorf("inventory: %w (--no-store serves without one)", err)
		}
		defer st.Close()
		g.events = newEventQueue(st, logger)
		defer g.events.close(30 * time.Second) // before the store closes
	}

	var servers []func(context.Context) error
	errc := make(chan error, 3)
	if on(conf.ICAP) {
		l, err := net.Listen("tcp", conf.ICAP)
		if err != nil {
			return fmt.Errorf("icap: %w", err)
		}
		s := &icap.Server{Check: icapCheck(g), Logger: logger, ISTag: g.tag}
		s.Limits.MaxBodyBytes = maxBody
		s.Limits.RequestTimeout = conf.Limits.Timeout
		if failClosed(conf, channelICAP) {
			s.Limits.OnError, s.Limits.OverLimit = icap.Block, icap.Block
		}
		go func() { errc <- s.Serve(l) }()
		servers = append(servers, s.Shutdown)
		fmt.Fprintf(ev.stderr, "leakguard: ICAP on icap://%s/reqmod and /respmod\n", l.Addr())
	}
	if on(conf.HTTP) {
		stop, err := startHTTP(ev, g, conf, maxBody, logger, errc)
		if err != nil {
			return err
		}
		servers = append(servers, stop)
	}
	if on(conf.Milter) {
		l, err := net.Listen("tcp", conf.Milter)
		if err != nil {
			return fmt.Errorf("milter: %w", err)
		}
		s := &milter.Server{Check: milterCheck(g), Logger: logger, MaxBytes: maxBody, Timeout: conf.Limits.Timeout,
			FailClosed: failClosed(conf, channelMilter)}
		go func() { errc <- s.Serve(l) }()
		servers = append(servers, s.Shutdown)
		fmt.Fprintf(ev.stderr, "leakguard: milter on inet:%s\n", l.Addr())
	}
	if len(servers) == 0 {
		return errors.New("every channel is off: nothing to serve")
	}

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-hup:
			if err := g.reload(); err != nil {
				logger.Error("reload failed; the previous rules and policy stay", slog.String("error", err.Error()))
			} else {
				logger.Info("reloaded rules, registered sets and policy", slog.String("istag", g.tag()))
			}
		case err := <-errc:
			if err != nil && !errors.Is(err, icap.ErrServerClosed) && !errors.Is(err, milter.ErrServerClosed) && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for _, stop := range servers {
				stop(sctx)
			}
			return nil
		}
	}
}

// buildGuardState compiles the rules, loads the registered sets and the
// extractors, and takes the policies: one generation of the guard.
func buildGuardState(ev *env, sf *serveFlags, c serveConfig) (*guardState, error) {
	e, err := sf.build()
	if err != nil {
		return nil, err
	}
	scanF := scanFlags{engineFlags: sf.engineFlags, workers: sf.workers, noExtract: sf.noExtract, maxExpanded: "1GiB",
		maxDepth: 8, itemTimeout: c.Limits.Timeout}
	opts, release, err := scanF.scanOptions(ev, nil)
	if err != nil {
		return nil, err
	}
	sc, err := scan.New(e, opts)
	if err != nil {
		release()
		return nil, err
	}
	st := &guardState{scanner: sc, policies: map[string]policy.Policy{}, release: release}
	for _, ch := range []string{channelHTTP, channelICAP, channelMilter} {
		p, ok := c.Policy[ch]
		if !ok {
			p = policy.Default()
		}
		st.policies[ch] = p
	}
	seen := map[string]bool{}
	for _, r := range e.Rules() {
		if r.Entity != "" && !seen[r.Entity] {
			seen[r.Entity] = true
			st.entities = append(st.entities, r.Entity)
		}
	}
	st.tag = generationTag(Version, fmt.Sprint(len(e.Rules())), opts.Registered.Digest(), fmt.Sprint(c.Policy), time.Now().String())
	return st, nil
}

func on(addr string) bool { return addr != "" && addr != "off" }

func failClosed(c serveConfig, channel string) bool {
	for _, ch := range c.FailClosed {
		if ch == channel {
			return true
		}
	}
	return false
}

// icapCheck turns an ICAP message into a check and its decision into a
// verdict: block blocks; redact cannot rewrite a proxied body, so it
// blocks too; alert and allow let the message through.
func icapCheck(g *guard) func(context.Context, icap.Request) (icap.Verdict, error) {
	return func(ctx context.Context, r icap.Request) (icap.Verdict, error) {
		v, err := g.check(ctx, content{channel: channelICAP, contentType: r.ContentType, client: r.ClientIP,
			user: r.User, destination: r.URL, body: r.Body})
		if err != nil {
			return icap.Verdict{}, err
		}
		switch v.decision.Action {
		case policy.Block, policy.Redact:
			return icap.Verdict{Action: icap.Block, Reason: v.decision.Reason}, nil
		}
		return icap.Verdict{Action: icap.Allow}, nil
	}
}

// milterCheck reads an outgoing mail as the .eml it is (every part and
// attachment through the extractors) and maps the decision: block
// rejects, redact quarantines (a mail cannot be rewritten safely in
// flight), alert adds an X-Leakguard header.
func milterCheck(g *guard) func(context.Context, milter.Message) (milter.Verdict, error) {
	return func(ctx context.Context, m milter.Message) (milter.Verdict, error) {
		v, err := g.check(ctx, content{channel: channelMilter, name: "message.eml", contentType: "message/rfc822",
			client: m.Client, user: m.User, destination: strings.Join(m.To, ","), body: m.Body})
		if err != nil {
			return milter.Verdict{}, err
		}
		d := v.decision
		switch d.Action {
		case policy.Block:
			return milter.Verdict{Action: milter.Reject, Reason: d.Reason}, nil
		case policy.Redact:
			return milter.Verdict{Action: milter.Quarantine, Reason: d.Reason, Header: "quarantined; " + d.Reason}, nil
		case policy.Alert:
			return milter.Verdict{Action: milter.AddHeader, Reason: d.Reason, Header: "alert; " + d.Reason}, nil
		}
		// A checked clean mail says so, so that the next hop and the
		// recipient can tell it from one that was not checked; a mail with
		// parts that could not be read (a bomb, an encrypted archive) is
		// not called clean.
		if len(v.errors) > 0 {
			return milter.Verdict{Action: milter.AddHeader, Header: fmt.Sprintf("incomplete; %d parts not read (%s)", len(v.errors), v.errors[0].Reason)}, nil
		}
		return milter.Verdict{Action: milter.AddHeader, Header: "clean"}, nil
	}
}
