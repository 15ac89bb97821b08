package mail

import (
	"bufio"
	"cmp"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"slices"
	"strings"
	"time"
)

// first returns the first non-empty string.
func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// address formats a name and an address as "name <addr>", or either alone.
// Exchange-internal addresses ("/O=ENRON/OU=…") are kept: they name people
// too.
func address(name, addr string) string {
	name, addr = oneLine(name), oneLine(addr)
	switch {
	case addr == "" || strings.EqualFold(name, addr):
		return name
	case name == "":
		return addr
	}
	return name + " <" + addr + ">"
}

// writeField writes a header field unless its value is empty. Values are
// written as UTF-8: the reader of this text is our own walker.
func writeField(w *bufio.Writer, name, value string) {
	if value = oneLine(value); value != "" {
		fmt.Fprintf(w, "%s: %s\n", name, value)
	}
}

// writeTransport copies the data-carrying fields of the message's original
// Internet header (PR_TRANSPORT_MESSAGE_HEADERS) that the MAPI properties
// do not already give: Reply-To, Sender, the X- fields.
func writeTransport(w *bufio.Writer, th string) {
	if th == "" {
		return
	}
	h, _ := readHeader(bufio.NewReader(strings.NewReader(th)))
	for _, f := range h.Fields {
		switch strings.ToLower(f.Name) {
		case "from", "to", "cc", "bcc", "subject", "date":
			continue
		}
		if dataField(f.Name) {
			writeField(w, f.Name, f.Value)
		}
	}
}

// Recipient storage properties.
const (
	prRecipientType = 0x0C15
	prDisplayName   = 0x3001
	prEmailAddress  = 0x3003
	prSMTPAddress   = 0x39FE
)

// recipients lists the To, Cc and Bcc recipients of a message from its
// recipient storages, with their addresses (the display fields have only
// names).
func recipients(s *storage) (to, cc, bcc string) {
	var lists [4][]string
	for _, name := range s.subs("__recip_version1.0_#") {
		r := s.sub(name, 8)
		a := address(r.str(prDisplayName), first(r.str(prSMTPAddress), r.str(prEmailAddress)))
		if a == "" {
			continue
		}
		kind, _ := r.long(prRecipientType)
		kind &= 0xF // the high bits are flags
		if kind < 1 || kind > 3 {
			kind = 1
		}
		lists[kind] = append(lists[kind], a)
	}
	return strings.Join(lists[1], ", "), strings.Join(lists[2], ", "), strings.Join(lists[3], ", ")
}

// msgDate is when the message was sent, else received, else created.
func msgDate(s *storage) (time.Time, bool) {
	for _, id := range []uint16{0x0039, 0x0E06, 0x3007} {
		if t, ok := s.time(id); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// disposition formats an attachment's Content-Disposition with its file
// name (RFC 2231-encoded when it is not ASCII).
func disposition(name string) string {
	if d := mime.FormatMediaType("attachment", map[string]string{"filename": name}); d != "" {
		return d
	}
	return "attachment"
}

// usedProperties are the string properties the message form already
// carries, or that are routing noise (address types, ids, the subject's
// derived copies); the others are written as a "properties" text part.
var usedProperties = map[uint16]bool{
	0x001A: true, 0x0037: true, 0x003D: true, 0x0040: true, 0x0042: true, 0x0044: true,
	0x0050: true, 0x0064: true, 0x0065: true, 0x0070: true, 0x0075: true, 0x0076: true,
	0x0077: true, 0x0078: true, 0x007D: true, 0x0C1A: true, 0x0C1E: true, 0x0C1F: true,
	0x0E02: true, 0x0E03: true, 0x0E04: true, 0x0E1D: true, 0x1000: true, 0x1013: true,
	0x1035: true, 0x1039: true, 0x1042: true, 0x10F3: true, 0x3FF8: true, 0x3FFA: true,
	0x5D01: true, 0x5D02: true, 0x5D0A: true, 0x5D0B: true,
}

// propertyNames name the properties of contacts, tasks and appointments
// that are written with a name rather than a number.
var propertyNames = map[uint16]string{
	0x3001: "Display name", 0x3A06: "Given name", 0x3A11: "Surname", 0x3A08: "Business phone",
	0x3A09: "Home phone", 0x3A1C: "Mobile phone", 0x3A16: "Company", 0x3A17: "Title",
	0x3A18: "Department", 0x3A24: "Business fax", 0x3A29: "Street address", 0x3A27: "City",
	0x3A28: "State", 0x3A2A: "Postal code", 0x3A26: "Country", 0x3A45: "Display name prefix",
	0x3A0A: "Initials", 0x3A44: "Middle name", 0x3A4F: "Nickname", 0x3A1D: "Radio phone",
	0x3A21: "Pager", 0x3A5D: "Home street", 0x3A59: "Home city", 0x3A5A: "Home country",
	0x3A5B: "Home postal code", 0x3A5C: "Home state", 0x3A00: "Account", 0x3A0C: "Location",
	0x3A4E: "Manager", 0x3A30: "Assistant", 0x3A2E: "Assistant phone", 0x0E1D: "Subject",
}

// otherProperties writes the string properties of a message storage that
// its MIME form does not carry: a contact's phones and addresses, a task's
// owner, named properties. One "name: value" line each.
func otherProperties(s *storage) string {
	type prop struct {
		id   uint16
		name string
	}
	var props []prop
	for name := range s.entries {
		var id, typ uint16
		if _, err := fmt.Sscanf(name, "__SUBSTG1.0_%04X%04X", &id, &typ); err != nil || len(name) != 20 {
			continue
		}
		if (typ == ptUnicode || typ == ptString8) && !usedProperties[id] {
			props = append(props, prop{id, name})
		}
	}
	if len(props) == 0 {
		return ""
	}
	// Entries are a map: sort for a deterministic text.
	slices.SortFunc(props, func(a, b prop) int { return cmp.Compare(a.id, b.id) })
	var b strings.Builder
	seen := map[uint16]bool{}
	for _, p := range props {
		if seen[p.id] {
			continue
		}
		seen[p.id] = true
		v := s.str(p.id)
		if v == "" {
			continue
		}
		name := propertyNames[p.id]
		if name == "" {
			name = fmt.Sprintf("Property 0x%04X", p.id)
		}
		fmt.Fprintf(&b, "%s: %s\n", name, strings.ReplaceAll(v, "\r\n", "\n"))
	}
	return b.String()
}

// base64Lines encodes to base64 in lines of 76 characters.
type base64Lines struct {
	enc  io.WriteCloser
	line *lineWriter
}

func newBase64Lines(w io.Writer) *base64Lines {
	lw := &lineWriter{w: w}
	return &base64Lines{enc: base64.NewEncoder(base64.StdEncoding, lw), line: lw}
}

func (b *base64Lines) Write(p []byte) (int, error) { return b.enc.Write(p) }
func (b *base64Lines) Close() error                { return b.enc.Close() }

type lineWriter struct {
	w   io.Writer
	col int
}

func (l *lineWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(len(p), 76-l.col)
		if _, err := l.w.Write(p[:k]); err != nil {
			return n, err
		}
		n += k
		l.col += k
		p = p[k:]
		if l.col == 76 {
			if _, err := l.w.Write([]byte("\n")); err != nil {
				return n, err
			}
			l.col = 0
		}
	}
	return n, nil
}
