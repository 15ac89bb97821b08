package mail

import (
	"bufio"
	"bytes"
	"io"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/extract"
)

// msgInfo is what a message's label says about it.
type msgInfo struct {
	Subject string
	Date    time.Time // zero when the message has no readable date
	Empty   bool      // the message has no bytes at all
}

func infoOf(h *header) msgInfo {
	i := msgInfo{Subject: h.Text("Subject")}
	if d, ok := parseDate(h.Get("Date")); ok {
		i.Date = d
	}
	return i
}

// describe is the "<Subject> (<YYYY-MM-DD>)" part of a message label. The
// date is the one the message states, in its own time zone.
func (i msgInfo) describe(noSubject string) string {
	s := clip(i.Subject, 160)
	if s == "" {
		s = noSubject
	}
	if !i.Date.IsZero() {
		if s != "" {
			s += " "
		}
		s += "(" + i.Date.Format("2006-01-02") + ")"
	}
	return s
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

// fileSafe turns a subject into a file name stem: no directory separators,
// no control characters, not too long.
func fileSafe(s string) string {
	s = strings.NewReplacer("/", "_", `\`, "_").Replace(oneLine(s))
	return clip(s, 100)
}

// nameOf is the file name a message is given as a child: its subject and
// ".eml", which is how the registry recognises a message.
func nameOf(i msgInfo, fallback string) string {
	if s := fileSafe(i.Subject); s != "" {
		return s + ".eml"
	}
	return fallback + ".eml"
}

// parseDate reads a Date field the way it is found in the wild: RFC 5322,
// with trailing comments, doubled dates (readpst writes two), or the
// asctime form of an mbox "From " line.
func parseDate(v string) (time.Time, bool) {
	v = oneLine(v)
	if v == "" {
		return time.Time{}, false
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t, true
	}
	f := strings.Fields(v)
	for n := min(len(f), 7); n >= 4; n-- {
		s := strings.Join(f[:n], " ")
		if t, err := mail.ParseDate(s); err == nil {
			return t, true
		}
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

var dateLayouts = []string{
	time.ANSIC,                // Mon Jan _2 15:04:05 2006 (mbox "From " lines)
	"Mon Jan 2 15:04:05 2006", // the same, unpadded
	time.UnixDate,             // Mon Jan _2 15:04:05 MST 2006
	"Mon Jan 2 15:04:05 -0700 2006",
	"2006-01-02 15:04:05",
	time.RFC3339,
}

// peekMessage reads the header block of the message r holds (bounded by
// maxHeader) for its label, and returns a reader of the whole message again,
// made recognisable to the registry (see identifiable).
func peekMessage(r io.Reader) (msgInfo, io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	h, err := readHeader(br)
	if err != nil {
		return msgInfo{}, nil, err
	}
	more, _ := br.Peek(max(0, extract.HeadSize-len(h.Raw)))
	head := identifiable(h, more)
	info := infoOf(h)
	info.Empty = len(h.Raw) == 0 && len(more) == 0
	return info, io.MultiReader(bytes.NewReader(head), br), nil
}

// identifiable returns the bytes of header block h, with its fields
// reordered if that is what makes the registry recognise the content as a
// message. The registry knows a message by a header block with a
// well-known field (From, Subject, Date…) among its first 60 lines and no
// malformed field line, or by mimetype's RFC 822 test (a well-known field
// on the first line and another soon after). A message that opens with a
// long run of X- fields (DKIM-heavy mail, Gmail exports) or has a field
// name followed by spaces before its colon fails both and would be
// scanned as raw text, base64 attachments and all. Field order carries no
// meaning for extraction, so the well-known fields are moved to the front,
// their names in canonical case.
func identifiable(h *header, more []byte) []byte {
	if isMessage(h.Raw, more) || len(h.Fields) == 0 {
		return h.Raw
	}
	var known, other bytes.Buffer
	for _, f := range h.Fields {
		raw := h.Raw[f.start:f.end]
		canon, ok := hintFields[strings.ToLower(f.Name)]
		if !ok {
			other.Write(raw)
			continue
		}
		colon := bytes.IndexByte(raw, ':')
		rest := raw[colon+1:]
		known.WriteString(canon)
		known.WriteByte(':')
		if len(rest) == 0 || rest[0] != ' ' {
			known.WriteByte(' ')
		}
		known.Write(rest)
	}
	end := 0
	for _, f := range h.Fields {
		end = max(end, f.end)
	}
	out := append(known.Bytes(), other.Bytes()...)
	out = append(out, h.Raw[end:]...)
	if !isMessage(out, more) {
		return h.Raw
	}
	return out
}

// hintFields are the fields mimetype recognises a message by, in the case
// it wants them.
var hintFields = map[string]string{
	"message-id": "Message-ID", "from": "From", "to": "To", "cc": "Cc", "date": "Date",
	"subject": "Subject", "received": "Received", "delivered-to": "Delivered-To",
	"return-path": "Return-Path", "content-type": "Content-Type",
	"content-transfer-encoding": "Content-Transfer-Encoding",
}

func isMessage(head, more []byte) bool {
	b := append(append([]byte(nil), head...), more...)
	if len(b) > extract.HeadSize {
		b = b[:extract.HeadSize]
	}
	return extract.Identify(b, "message.eml") == extract.KindEml
}
