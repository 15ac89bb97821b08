package milter

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	gomilter "github.com/d--j/go-milter"
)

// benchServer serves a Check that reads the whole message and accepts it.
func benchServer(b *testing.B) string {
	b.Helper()
	s := &Server{
		Check: func(_ context.Context, m Message) (Verdict, error) {
			_, err := io.Copy(io.Discard, m.Body)
			return Verdict{Action: AddHeader, Header: "clean"}, err
		},
		Logger:   slog.New(slog.DiscardHandler),
		SpoolDir: b.TempDir(),
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go s.Serve(l)
	b.Cleanup(func() { s.Shutdown(context.Background()) })
	return l.Addr().String()
}

// benchMessages sends b.N messages of size bytes over one milter
// connection, the way one Postfix smtpd reuses its milter connection.
func benchMessages(b *testing.B, size int) {
	addr := benchServer(b)
	c := gomilter.NewClient("tcp", addr, gomilter.WithActions(gomilter.AllClientSupportedActionMasks))
	sess, err := c.Session(gomilter.NewMacroBag())
	if err != nil {
		b.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Conn("h", gomilter.FamilyInet, 1, "192.0.2.1"); err != nil {
		b.Fatal(err)
	}
	if _, err := sess.Helo("h"); err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat(strings.Repeat("x", 76)+"\r\n", size/78+1)[:size]
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sess.Mail("<a@example.org>", ""); err != nil {
			b.Fatal(err)
		}
		if _, err := sess.Rcpt("<b@example.net>", ""); err != nil {
			b.Fatal(err)
		}
		if _, err := sess.DataStart(); err != nil {
			b.Fatal(err)
		}
		if _, err := sess.HeaderField("Subject", " bench", nil); err != nil {
			b.Fatal(err)
		}
		if _, err := sess.HeaderEnd(); err != nil {
			b.Fatal(err)
		}
		_, act, err := sess.BodyReadFrom(strings.NewReader(body))
		if err != nil || act.Type != gomilter.ActionAccept {
			b.Fatalf("%v %v", act, err)
		}
	}
}

func BenchmarkMessage10KB(b *testing.B) { benchMessages(b, 10<<10) }
func BenchmarkMessage1MB(b *testing.B)  { benchMessages(b, 1<<20) }
