package miltertest

import (
	"bufio"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// Mail is one message the sink received.
type Mail struct {
	From string
	To   []string
	Data string // with LF line ends, dot-unstuffed
}

// Sink is a minimal SMTP server on loopback that accepts every message:
// the relay Postfix delivers to. What it receives is handed to Wait.
type Sink struct {
	Addr  string
	mails chan Mail
}

// StartSink serves until the test ends.
func StartSink(t testing.TB) *Sink {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Sink{Addr: l.Addr().String(), mails: make(chan Mail, 16)}
	done := make(chan struct{})
	t.Cleanup(func() {
		close(done)
		l.Close()
	})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(c, done)
		}
	}()
	return s
}

// Wait returns the next message delivered, failing the test when none
// arrives within 30 seconds.
func (s *Sink) Wait(t testing.TB) Mail {
	t.Helper()
	select {
	case m := <-s.mails:
		return m
	case <-time.After(30 * time.Second):
		t.Fatal("no mail reached the sink within 30 s")
		return Mail{}
	}
}

// None fails the test if a message is delivered within d: for the end of a
// test, after everything that should arrive has been taken with Wait.
func (s *Sink) None(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case m := <-s.mails:
		t.Errorf("unexpected delivery from %s to %v:\n%s", m.From, m.To, m.Data)
	case <-time.After(d):
	}
}

func (s *Sink) serve(c net.Conn, done <-chan struct{}) {
	defer c.Close()
	r := textproto.NewReader(bufio.NewReader(c))
	w := bufio.NewWriter(c)
	reply := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	if !reply("220 sink.leakguard.test ESMTP test sink") {
		return
	}
	var m Mail
	for {
		line, err := r.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		arg := func(prefix string) string {
			a := line[min(len(line), len(prefix)):]
			if i := strings.IndexByte(a, '>'); i >= 0 {
				a = a[:i]
			}
			return strings.TrimPrefix(a, "<")
		}
		ok := true
		switch verb {
		case "EHLO":
			ok = reply("250-sink.leakguard.test\r\n250 8BITMIME")
		case "HELO", "NOOP":
			ok = reply("250 ok")
		case "RSET":
			m = Mail{}
			ok = reply("250 ok")
		case "MAIL":
			m = Mail{From: arg("MAIL FROM:")}
			ok = reply("250 ok")
		case "RCPT":
			m.To = append(m.To, arg("RCPT TO:"))
			ok = reply("250 ok")
		case "DATA":
			if !reply("354 go ahead") {
				return
			}
			b, err := r.ReadDotBytes()
			if err != nil {
				return
			}
			m.Data = string(b)
			select {
			case s.mails <- m:
			case <-done:
				return
			}
			m = Mail{}
			ok = reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		default:
			ok = reply("502 not implemented")
		}
		if !ok {
			return
		}
	}
}
