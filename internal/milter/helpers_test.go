package milter

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	gomilter "github.com/d--j/go-milter"
)

// marker is what the test Check functions look for in a message.
const marker = "LEAKGUARD-TEST-MARKER"

// startServer serves s on a loopback port and returns its address; the
// server is shut down when the test ends and Serve must then have returned
// ErrServerClosed.
func startServer(t *testing.T, s *Server) string {
	t.Helper()
	if s.Logger == nil {
		s.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return l.Addr().String()
}

// testWriter sends log lines to t.Log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// recorder is a Check that keeps what it saw and answers with verdict, or
// Reject when the message holds marker.
type recorder struct {
	mu      sync.Mutex
	verdict Verdict
	seen    []Message // Body replaced by a bytes.Reader over what was read
	raw     [][]byte
}

func (r *recorder) check(_ context.Context, m Message) (Verdict, error) {
	b, err := io.ReadAll(m.Body)
	if err != nil {
		return Verdict{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	m.Body = bytes.NewReader(b)
	r.seen = append(r.seen, m)
	r.raw = append(r.raw, b)
	if bytes.Contains(b, []byte(marker)) {
		return Verdict{Action: Reject, Reason: "test marker found"}, nil
	}
	return r.verdict, nil
}

func (r *recorder) messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.seen...)
}

// testMail is one message as an MTA would pass it to the milter.
type testMail struct {
	from    string
	to      []string
	headers [][2]string // name, value with its leading space
	body    string      // CRLF line ends
}

// raw is the message the milter should hand to Check for m.
func (m testMail) raw() string {
	var b strings.Builder
	for _, h := range m.headers {
		b.WriteString(h[0] + ":" + h[1] + "\r\n")
	}
	return b.String() + "\r\n" + m.body
}

func plainMail(body string) testMail {
	return testMail{
		from: "<alice@example.org>",
		to:   []string{"<bob@example.net>", "<carol@example.net>"},
		headers: [][2]string{
			{"From", " Alice <alice@example.org>"},
			{"To", " bob@example.net"},
			{"Subject", " quarterly\n\tfigures"},
		},
		body: body,
	}
}

// mta is one milter connection as the MTA side sees it.
type mta struct {
	t      *testing.T
	sess   *gomilter.ClientSession
	macros *gomilter.MacroBag
}

// dial opens a session and sends the connection events: client 192.0.2.7,
// HELO mail.example.org, SASL user alice, queue id 4XyZ1.
func dial(t *testing.T, addr string) *mta {
	t.Helper()
	c := gomilter.NewClient("tcp", addr, gomilter.WithActions(gomilter.AllClientSupportedActionMasks))
	macros := gomilter.NewMacroBag()
	macros.Set(gomilter.MacroAuthAuthen, "alice")
	macros.Set(gomilter.MacroQueueId, "4XyZ1")
	sess, err := c.Session(macros)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	m := &mta{t: t, sess: sess, macros: macros}
	m.must(sess.Conn("mail.example.org", gomilter.FamilyInet, 40123, "192.0.2.7"))
	m.must(sess.Helo("mail.example.org"))
	return m
}

func (m *mta) must(a *gomilter.Action, err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatal(err)
	}
	if a.StopProcessing() {
		m.t.Fatalf("milter stopped early: %v", a)
	}
}

// start sends the envelope and header of mail.
func (m *mta) start(mail testMail) {
	m.t.Helper()
	m.must(m.sess.Mail(mail.from, ""))
	for _, r := range mail.to {
		m.must(m.sess.Rcpt(r, ""))
	}
	m.must(m.sess.DataStart())
	for _, h := range mail.headers {
		m.must(m.sess.HeaderField(h[0], h[1], nil))
	}
	m.must(m.sess.HeaderEnd())
}

// send sends a whole message and returns the milter's changes and answer.
func (m *mta) send(mail testMail) ([]gomilter.ModifyAction, *gomilter.Action) {
	m.t.Helper()
	m.start(mail)
	mods, act, err := m.sess.BodyReadFrom(strings.NewReader(mail.body))
	if err != nil {
		m.t.Fatal(err)
	}
	return mods, act
}

// sendOne sends mail on a new connection.
func sendOne(t *testing.T, addr string, mail testMail) ([]gomilter.ModifyAction, *gomilter.Action) {
	t.Helper()
	return dial(t, addr).send(mail)
}
