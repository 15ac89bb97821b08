package mail

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// maxHeader bounds the header block read before a body: a header larger
// than this is cut and the rest is read as body text, so a hostile message
// cannot make us buffer without end.
const maxHeader = 256 << 10

// field is one header field as written: Name is the field name, Value the
// unfolded raw value (RFC 2047 words still encoded); start and end delimit
// the lines it came from in header.Raw, folding and line ends included.
type field struct {
	Name       string
	Value      string
	start, end int
}

// header is a parsed header block.
type header struct {
	Fields []field
	// Raw is every byte consumed, in order: the header lines, the blank
	// line that ended them, and the first body line when a line that is
	// no header field ended the block instead.
	Raw []byte
	// BodyStart is where the body begins in Raw (len(Raw) unless the
	// block ended on a body line).
	BodyStart int
}

// Get returns the value of the first field named name (case-insensitive).
func (h *header) Get(name string) string {
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Text returns the first field named name decoded to UTF-8.
func (h *header) Text(name string) string { return decodeWords(h.Get(name)) }

// readHeader reads a header block from br leniently, the way mail readers
// do rather than the way RFC 5322 says: a leading mbox "From " line is
// skipped, a line that is neither a field nor a continuation ends the
// header and starts the body, and a block longer than maxHeader is cut.
// The only error is one of the underlying reader.
func readHeader(br *bufio.Reader) (*header, error) {
	h := &header{}
	first := true
	for {
		line, err := readLine(br, maxHeader-len(h.Raw))
		if len(line) == 0 {
			h.BodyStart = len(h.Raw)
			if err == io.EOF {
				err = nil
			}
			return h, err
		}
		start := len(h.Raw)
		h.Raw = append(h.Raw, line...)
		content := trimEOL(line)
		switch {
		case len(content) == 0: // the blank line that ends the header
			h.BodyStart = len(h.Raw)
			return h, nil
		case first && bytes.HasPrefix(content, []byte("From ")) && !isFieldLine(content):
			// An mbox separator left at the top of a saved message.
		case (content[0] == ' ' || content[0] == '\t') && len(h.Fields) > 0:
			f := &h.Fields[len(h.Fields)-1]
			f.Value += string(content)
			f.end = len(h.Raw)
		case isFieldLine(content):
			colon := bytes.IndexByte(content, ':')
			h.Fields = append(h.Fields, field{
				Name:  string(bytes.TrimRight(content[:colon], " \t")),
				Value: string(content[colon+1:]),
				start: start,
				end:   len(h.Raw),
			})
		default: // body text without the blank line before it
			h.BodyStart = start
			return h, nil
		}
		first = false
		if len(h.Raw) >= maxHeader || err != nil {
			h.BodyStart = len(h.Raw)
			if err == io.EOF {
				err = nil
			}
			return h, err
		}
	}
}

// Body returns the body of the message whose header h was read from br.
func (h *header) Body(br *bufio.Reader) io.Reader {
	if h.BodyStart == len(h.Raw) {
		return br
	}
	return io.MultiReader(bytes.NewReader(h.Raw[h.BodyStart:]), br)
}

// readLine reads one line (its line end included), at most max bytes of
// it; a longer line is returned in pieces.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) && len(line) < max {
			continue
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			err = nil
		}
		return line, err
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// isFieldLine reports whether a line starts a header field: a name of
// printable ASCII without spaces (trailing blanks before the colon are
// tolerated, as they occur in the wild) and a colon.
func isFieldLine(b []byte) bool {
	colon := bytes.IndexByte(b, ':')
	if colon <= 0 || colon > 200 {
		return false
	}
	name := bytes.TrimRight(b[:colon], " \t")
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// decodeWords decodes RFC 2047 encoded words in a header value and turns
// the result into one line of valid UTF-8: raw 8-bit bytes that are not
// UTF-8 are read as Windows-1252, line breaks and tabs become spaces.
func decodeWords(v string) string {
	d := mime.WordDecoder{CharsetReader: charset.Reader}
	if s, err := d.DecodeHeader(v); err == nil {
		v = s
	}
	return oneLine(fixUTF8(v))
}

// fixUTF8 returns s with every byte that is not part of valid UTF-8 read as
// Windows-1252, the usual encoding of unlabelled 8-bit mail.
func fixUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	dec := charmap.Windows1252.NewDecoder()
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			if t, err := dec.String(s[i : i+1]); err == nil {
				b.WriteString(t)
			}
			i++
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// oneLine turns control characters into spaces and collapses runs of
// spaces, for header values and labels.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			r = ' '
		}
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// dataField reports whether a header field carries data worth scanning:
// people, subjects, dates and the free-form X- fields. Routing and
// signature fields (Received, DKIM-Signature, Message-ID) are left out:
// they are noise to a secret scanner.
func dataField(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "x-") {
		return true
	}
	switch n {
	case "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "date", "comments", "keywords",
		"organization", "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc",
		"disposition-notification-to", "return-receipt-to":
		return true
	}
	return false
}

// mediaType parses a Content-Type or Content-Disposition value leniently:
// the lower-cased type and its parameters, with RFC 2231 continuations and
// RFC 2047 words decoded. A value mime.ParseMediaType rejects is split by
// hand so that a stray character does not lose the boundary or charset.
func mediaType(v string) (string, map[string]string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", map[string]string{}
	}
	t, params, err := mime.ParseMediaType(v)
	if err != nil || params == nil {
		t, params = splitParams(v)
	}
	for k, p := range params {
		params[k] = decodeWords(p)
	}
	return strings.ToLower(t), params
}

func splitParams(v string) (string, map[string]string) {
	params := map[string]string{}
	parts := strings.Split(v, ";")
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		val = strings.TrimSpace(val)
		if len(val) >= 2 && val[0] == '"' {
			if end := strings.IndexByte(val[1:], '"'); end >= 0 {
				val = val[1 : end+1]
			} else {
				val = val[1:]
			}
		}
		if _, dup := params[k]; k != "" && !dup {
			params[k] = val
		}
	}
	return strings.TrimSpace(parts[0]), params
}
