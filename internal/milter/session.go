package milter

import (
	"errors"
	"strings"

	gomilter "github.com/d--j/go-milter"
)

// session is the milter side of one MTA connection: what is known about
// the SMTP client, and the message being received, if any. go-milter calls
// its methods from one goroutine.
type session struct {
	gomilter.NoOpMilter
	cfg    *config
	client string
	helo   string
	msg    *pending
}

// pending is one message while the MTA sends it.
type pending struct {
	from, user string
	to         []string
	spool      spool
	inBody     bool  // the empty line after the header was written
	received   int64 // bytes the MTA sent, kept or not
	over       bool  // more than MaxBytes: the spool was dropped
	err        error // the spool failed: the message cannot be checked
	forged     int   // X-Leakguard fields that came with the message
}

func (s *session) newPending() *pending {
	return &pending{spool: spool{dir: s.cfg.spoolDir, limit: s.cfg.maxBytes}}
}

// write appends message bytes, dropping the copy for good once the message
// is too large or the spool fails.
func (p *pending) write(b []byte) {
	p.received += int64(len(b))
	if p.over || p.err != nil {
		return
	}
	if _, err := p.spool.Write(b); err != nil {
		if errors.Is(err, errTooLarge) {
			p.over = true
		} else {
			p.err = err
		}
		p.spool.close()
	}
}

// startBody writes the empty line that ends the header, once.
func (p *pending) startBody() {
	if !p.inBody {
		p.inBody = true
		p.write(crlf)
	}
}

var crlf = []byte("\r\n")

// discard drops the message being received, if any.
func (s *session) discard() {
	if s.msg != nil {
		s.msg.spool.close()
		s.msg = nil
	}
}

// current returns the message being received, starting one if the MTA
// skipped MAIL FROM.
func (s *session) current() *pending {
	if s.msg == nil {
		s.msg = s.newPending()
	}
	return s.msg
}

func (s *session) Connect(_ string, family string, _ uint16, addr string, _ gomilter.Modifier) (*gomilter.Response, error) {
	if family == "tcp4" || family == "tcp6" {
		s.client = addr
	}
	return gomilter.RespContinue, nil
}

func (s *session) Helo(name string, _ gomilter.Modifier) (*gomilter.Response, error) {
	s.helo = name
	return gomilter.RespContinue, nil
}

func (s *session) MailFrom(from string, _ string, m gomilter.Modifier) (*gomilter.Response, error) {
	s.discard()
	p := s.current()
	p.from = gomilter.RemoveAngle(from)
	p.user = m.Get(gomilter.MacroAuthAuthen)
	return gomilter.RespContinue, nil
}

func (s *session) RcptTo(rcpt string, _ string, _ gomilter.Modifier) (*gomilter.Response, error) {
	p := s.current()
	p.to = append(p.to, gomilter.RemoveAngle(rcpt))
	return gomilter.RespContinue, nil
}

func (s *session) Header(name string, value string, m gomilter.Modifier) (*gomilter.Response, error) {
	p := s.current()
	if strings.EqualFold(name, HeaderName) {
		p.forged++
	}
	if m.Protocol()&gomilter.OptHeaderLeadingSpace == 0 {
		// The MTA ate the space after the colon, as sendmail does by
		// default; put the usual one back.
		value = " " + value
	}
	// A folded value comes with bare LF line ends (Postfix) or CRLF.
	value = strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", "\n"), "\n", "\r\n")
	p.write([]byte(name + ":" + value + "\r\n"))
	return gomilter.RespContinue, nil
}

func (s *session) BodyChunk(chunk []byte, m gomilter.Modifier) (*gomilter.Response, error) {
	p := s.current()
	p.startBody()
	p.write(chunk)
	if (p.over || p.err != nil) && m.Protocol()&gomilter.OptSkip != 0 {
		// Nothing more is kept: spare the MTA sending the rest.
		return gomilter.RespSkip, nil
	}
	return gomilter.RespContinue, nil
}

func (s *session) EndOfMessage(m gomilter.Modifier) (*gomilter.Response, error) {
	p := s.current()
	s.msg = nil
	p.startBody()
	return s.decide(m, p)
}

func (s *session) Abort(_ gomilter.Modifier) error {
	s.discard()
	return nil
}

func (s *session) Cleanup(_ gomilter.Modifier) {
	s.discard()
}
