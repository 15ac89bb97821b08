package milter

import (
	"io"
	"strconv"
)

// Message is one outgoing mail as Check sees it.
type Message struct {
	// From is the SMTP envelope sender (MAIL FROM) without angle brackets;
	// "" for the null sender.
	From string
	// To holds the envelope recipients (RCPT TO) the MTA accepted, in order.
	To []string
	// Client is the IP address of the SMTP client, "" when the MTA did not
	// say (a local submission or a Unix socket).
	Client string
	// Helo is the name the SMTP client gave in HELO or EHLO.
	Helo string
	// User is the SASL login of the sender (the {auth_authen} macro), ""
	// when the client did not authenticate.
	User string
	// QueueID is the MTA's queue id for the message (the "i" macro), for
	// matching leakguard's events with the MTA's log.
	QueueID string
	// Size is the number of bytes Body holds.
	Size int64
	// Body is the whole RFC 5322 message as the MTA passed it: the header
	// fields, an empty line and the body, with CRLF line ends. Read it only
	// before Check returns.
	Body io.Reader
}

// Action is what happens to a message.
type Action int

const (
	// Accept delivers the message unchanged (the zero value).
	Accept Action = iota
	// AddHeader delivers the message with an X-Leakguard header.
	AddHeader
	// Quarantine accepts the message but holds it (Postfix's hold queue)
	// until an administrator releases or deletes it.
	Quarantine
	// Reject refuses the message at the end of DATA with "550 5.7.1".
	Reject
)

func (a Action) String() string {
	switch a {
	case Accept:
		return "accept"
	case AddHeader:
		return "add-header"
	case Quarantine:
		return "quarantine"
	case Reject:
		return "reject"
	}
	return "action(" + strconv.Itoa(int(a)) + ")"
}

// Verdict is a Check function's answer for one message.
type Verdict struct {
	Action Action
	// Reason names, in a few words, the policy that applied ("card
	// numbers in an attachment"). It goes into the SMTP reply of a reject,
	// the quarantine reason and the log, so it must never contain a matched
	// value. Control and non-ASCII characters are replaced and it is cut to
	// a short line.
	Reason string
	// Header is the value of the X-Leakguard header added for AddHeader
	// (and for Quarantine when set, so that whoever releases the message
	// sees why it was held). For AddHeader an empty Header falls back to
	// Reason. It is cleaned like Reason.
	Header string
}

// HeaderName is the header field the milter adds. Fields of that name that
// arrive with a message are removed, so a sender cannot forge a verdict.
const HeaderName = "X-Leakguard"

// Limits on the text the milter sends to the MTA, well inside SMTP's
// 512-byte reply line and RFC 5322's 998-byte header line.
const (
	maxReasonLen = 200
	maxHeaderLen = 400
)

// cleanText makes s safe for one SMTP reply line or header value: runs of
// white space and control characters become one space, other non-ASCII
// characters '?', and the result is cut to at most n bytes.
func cleanText(s string, n int) string {
	b := make([]byte, 0, min(len(s), n))
	space := false
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			space = len(b) > 0
			continue
		}
		c := byte(r)
		if r > 0x7e {
			c = '?'
		}
		need := 1
		if space {
			need = 2
		}
		if len(b)+need > n {
			break
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	return string(b)
}
