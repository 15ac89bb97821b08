package milter

import (
	"bufio"
	"net"
	"net/textproto"
	"strings"
	"testing"
)

// sinkMail is one message the sink received.
type sinkMail struct {
	from string
	to   []string
	data string // with LF line ends, dot-unstuffed
}

// startSink runs a minimal SMTP server on loopback that accepts every
// message and hands it to the returned channel: the relay Postfix delivers
// to in the integration test. It stops when the test ends.
func startSink(t *testing.T) (string, <-chan sinkMail) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mails := make(chan sinkMail, 16)
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
			go serveSink(c, mails, done)
		}
	}()
	return l.Addr().String(), mails
}

func serveSink(c net.Conn, mails chan<- sinkMail, done <-chan struct{}) {
	defer c.Close()
	r := textproto.NewReader(bufio.NewReader(c))
	w := bufio.NewWriter(c)
	reply := func(s string) bool {
		w.WriteString(s + "\r\n")
		return w.Flush() == nil
	}
	if !reply("220 sink.leakguard.test ESMTP test sink") {
		return
	}
	var m sinkMail
	for {
		line, err := r.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		arg := func(prefix string) string {
			s := line[min(len(line), len(prefix)):]
			if i := strings.IndexByte(s, '>'); i >= 0 {
				s = s[:i]
			}
			return strings.TrimPrefix(s, "<")
		}
		ok := true
		switch verb {
		case "EHLO":
			ok = reply("250-sink.leakguard.test\r\n250 8BITMIME")
		case "HELO", "NOOP":
			ok = reply("250 ok")
		case "RSET":
			m = sinkMail{}
			ok = reply("250 ok")
		case "MAIL":
			m = sinkMail{from: arg("MAIL FROM:")}
			ok = reply("250 ok")
		case "RCPT":
			m.to = append(m.to, arg("RCPT TO:"))
			ok = reply("250 ok")
		case "DATA":
			if !reply("354 go ahead") {
				return
			}
			b, err := r.ReadDotBytes()
			if err != nil {
				return
			}
			m.data = string(b)
			select {
			case mails <- m:
			case <-done:
				return
			}
			m = sinkMail{}
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
