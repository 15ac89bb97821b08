package milter

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/milter/miltertest"
)

// ssnPattern finds a US SSN-shaped value; the test's stand-in for the
// engine.
var ssnPattern = regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`)

// mailCheck is the integration test's Check: markers in the raw message
// pick a verdict, and zip attachments are opened and searched for an
// SSN-shaped value, as the real extractor chain would.
type mailCheck struct {
	mu   sync.Mutex
	seen []Message
}

func (c *mailCheck) check(_ context.Context, m Message) (Verdict, error) {
	raw, err := io.ReadAll(m.Body)
	if err != nil {
		return Verdict{}, err
	}
	c.mu.Lock()
	m.Body = nil
	c.seen = append(c.seen, m)
	c.mu.Unlock()
	switch {
	case bytes.Contains(raw, []byte("REJECT-ME")):
		return Verdict{Action: Reject, Reason: "test marker"}, nil
	case bytes.Contains(raw, []byte("HOLD-ME")):
		return Verdict{Action: Quarantine, Reason: "held for review", Header: "held; test marker"}, nil
	case bytes.Contains(raw, []byte("FAIL-ME")):
		return Verdict{}, errors.New("scanner failed")
	}
	found, err := ssnInZip(raw)
	if err != nil {
		return Verdict{}, err
	}
	if found {
		return Verdict{Action: Reject, Reason: "US social security number in an attachment"}, nil
	}
	return Verdict{Action: AddHeader, Header: "clean; checked"}, nil
}

func (c *mailCheck) last() Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) == 0 {
		return Message{}
	}
	return c.seen[len(c.seen)-1]
}

// ssnInZip reports whether a zip attachment of a multipart message holds
// an SSN-shaped value.
func ssnInZip(raw []byte) (bool, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return false, err
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return false, nil
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); pt != "application/zip" {
			continue
		}
		data, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		if err != nil {
			return false, err
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return false, err
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return false, err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return false, err
			}
			if ssnPattern.Match(b) {
				return true, nil
			}
		}
	}
}

// TestPostfix runs Debian's postfix with a private configuration on
// loopback, its smtpd_milters pointing at this package's Server (one SMTP
// listener with a fail-open milter, one with a fail-closed one), relaying
// to a Go SMTP sink, and sends mail through it with net/smtp. It needs the
// postfix package and root.
func TestPostfix(t *testing.T) {
	var chk mailCheck
	open := startServer(t, &Server{Check: chk.check})
	closed := startServer(t, &Server{Check: chk.check, FailClosed: true})
	sink := miltertest.StartSink(t)
	pf := miltertest.StartPostfix(t, sink.Addr, open, closed)
	smtpOpen, smtpClosed := pf.SMTP[0], pf.SMTP[1]

	t.Run("clean mail is delivered with the header", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: lunch\r\n" +
			"X-Leakguard: clean (forged by the sender)\r\n\r\nNoon at the usual place?\r\n"
		if err := miltertest.SendMail(smtpOpen, "alice@example.org", "bob@example.net", msg); err != nil {
			t.Fatalf("send: %v", err)
		}
		got := sink.Wait(t)
		if !strings.Contains(got.Data, "\nX-Leakguard: clean; checked\n") {
			t.Errorf("delivered mail lacks the X-Leakguard header:\n%s", got.Data)
		}
		if strings.Contains(got.Data, "forged") {
			t.Errorf("the sender's own X-Leakguard header was delivered:\n%s", got.Data)
		}
		if !strings.Contains(got.Data, "\n\nNoon at the usual place?\n") || got.From != "alice@example.org" || len(got.To) != 1 || got.To[0] != "bob@example.net" {
			t.Errorf("delivered %q → %q:\n%s", got.From, got.To, got.Data)
		}
		m := chk.last()
		if m.From != "alice@example.org" || len(m.To) != 1 || m.To[0] != "bob@example.net" ||
			m.Client != "127.0.0.1" || m.Helo != miltertest.Helo || m.QueueID == "" {
			t.Errorf("Check saw envelope %+v", m)
		}
	})

	t.Run("marked mail is rejected with 550 5.7.1", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: eve@example.com\r\nSubject: x\r\n\r\nREJECT-ME\r\n"
		err := miltertest.SendMail(smtpOpen, "alice@example.org", "eve@example.com", msg)
		miltertest.WantSMTPError(t, err, 550, "5.7.1 test marker")
	})

	t.Run("SSN in a zip attachment is rejected with 550 5.7.1", func(t *testing.T) {
		msg, hidden := miltertest.ZipMail(t, "records/staff.csv", "name,ssn\nJane Roe,123-45-6789\n")
		if !hidden {
			t.Fatal("the SSN is visible in the raw mail; the test would not show that the attachment was opened")
		}
		err := miltertest.SendMail(smtpOpen, "alice@example.org", "eve@example.com", msg)
		miltertest.WantSMTPError(t, err, 550, "5.7.1 US social security number in an attachment")
	})

	t.Run("clean zip attachment is delivered intact", func(t *testing.T) {
		msg, _ := miltertest.ZipMail(t, "notes.txt", "nothing personal here\n")
		if err := miltertest.SendMail(smtpOpen, "alice@example.org", "bob@example.net", msg); err != nil {
			t.Fatalf("send: %v", err)
		}
		got := sink.Wait(t)
		if found, err := ssnInZip([]byte(strings.ReplaceAll(got.Data, "\n", "\r\n"))); err != nil || found {
			t.Errorf("delivered attachment unreadable or changed: found=%v err=%v", found, err)
		}
		if !strings.Contains(got.Data, "X-Leakguard: clean; checked") {
			t.Errorf("delivered mail lacks the header:\n%s", got.Data)
		}
	})

	t.Run("quarantined mail lands in the hold queue", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: eve@example.com\r\nSubject: y\r\n\r\nHOLD-ME\r\n"
		if err := miltertest.SendMail(smtpOpen, "alice@example.org", "eve@example.com", msg); err != nil {
			t.Fatalf("send: %v (a quarantined mail is accepted)", err)
		}
		m := chk.last()
		held := pf.HoldQueue(t)
		if !slices.Contains(held, m.QueueID) {
			t.Fatalf("queue id %q not in the hold queue %v", m.QueueID, held)
		}
		if h := pf.Held(t, m.QueueID); !strings.Contains(h, "X-Leakguard: held; test marker") {
			t.Errorf("held mail lacks the header:\n%s", h)
		}
	})

	t.Run("check failure, fail-open: delivered without header", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: z\r\n\r\nFAIL-ME\r\n"
		if err := miltertest.SendMail(smtpOpen, "alice@example.org", "bob@example.net", msg); err != nil {
			t.Fatalf("send: %v", err)
		}
		got := sink.Wait(t)
		if strings.Contains(got.Data, "X-Leakguard") || !strings.Contains(got.Data, "FAIL-ME") {
			t.Errorf("delivered:\n%s", got.Data)
		}
	})

	t.Run("check failure, fail-closed: 451 4.7.1", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: z\r\n\r\nFAIL-ME\r\n"
		err := miltertest.SendMail(smtpClosed, "alice@example.org", "bob@example.net", msg)
		miltertest.WantSMTPError(t, err, 451, "4.7.1 ")
	})

	// Nothing rejected or held may have reached the sink.
	sink.None(t, time.Second)
}
