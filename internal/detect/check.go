package detect

import (
	"bytes"
	"encoding/base64"
	"sort"

	"github.com/leakguard/leakguard/internal/detect/validate"
)

// Candidate is what a Check sees: the match of one rule in its surrounding
// text. It is valid only during the call.
type Candidate struct {
	// Path is the item's path, for checks that depend on the file type.
	Path   string
	text   []byte
	match  []int    // submatch indexes into text
	groups []string // the names of the rule's groups, by number
	value  span
	doubt  int       // confidence levels the checks took off
	lines  *lineMemo // the scan's memo of credential lines, or nil
}

// Doubt lowers the candidate's confidence by one level (not below low): the
// check accepts it, but with less certainty.
func (c *Candidate) Doubt() { c.doubt++ }

// Value returns the value the rule reports.
func (c *Candidate) Value() []byte { return c.text[c.value.start:c.value.end] }

// Match returns the whole match.
func (c *Candidate) Match() []byte { return c.text[c.match[0]:c.match[1]] }

// Group returns the named capture group, or nil when the pattern has no such
// group or it did not participate.
func (c *Candidate) Group(name string) []byte {
	i := c.groupIndex(name)
	if i < 0 || c.match[2*i] < 0 {
		return nil
	}
	return c.text[c.match[2*i]:c.match[2*i+1]]
}

// groupIndex returns the number of the group called name, or -1 (as
// regexp.Regexp.SubexpIndex does: the first of several with one name).
func (c *Candidate) groupIndex(name string) int {
	if name == "" {
		return -1
	}
	for i, n := range c.groups {
		if n == name && 2*i+1 < len(c.match) {
			return i
		}
	}
	return -1
}

// Before returns up to n bytes of text before the match.
func (c *Candidate) Before(n int) []byte { return c.text[max(c.match[0]-n, 0):c.match[0]] }

// After returns up to n bytes of text after the match.
func (c *Candidate) After(n int) []byte { return c.text[c.match[1]:min(c.match[1]+n, len(c.text))] }

// Check reports whether a candidate is real. Rules name checks in their
// `validators` list.
type Check func(c *Candidate) bool

// Checks returns every named check: the value validators of package validate
// and the checks that need the candidate's surroundings.
func Checks() map[string]Check {
	m := map[string]Check{}
	for name, fn := range validate.All() {
		fn := fn
		m[name] = func(c *Candidate) bool { return fn(string(c.Value())) }
	}
	// A telephone number stands apart from the words around it (shape.go):
	// the numbering plans alone would take a run of digits out of a hash.
	phone := m["phone"]
	m["phone"] = func(c *Candidate) bool { return phoneAlone(c.text, c.value.start, c.value.end) && phone(c) }
	// A number in a format that is itself the evidence (phoneFormatted).
	m["phone_formatted"] = func(c *Candidate) bool {
		return phoneAlone(c.text, c.value.start, c.value.end) && phoneFormatted(c.Value()) && phone(c)
	}
	// A number written the national way is a telephone number only if
	// what it follows does not make it something else (nationalLead).
	m["phone_national"] = func(c *Candidate) bool {
		return phoneAlone(c.text, c.value.start, c.value.end) && nationalLead(c.text, c.value.start, c.value.end) && phone(c)
	}
	m["not_placeholder"] = func(c *Candidate) bool { return !IsPlaceholder(c.Value()) }
	m["not_reference"] = func(c *Candidate) bool { return !IsReference(c.Value()) }
	m["not_message_id"] = checkNotMessageID
	m["grouped"] = func(c *Candidate) bool { return grouped(c.Value()) }
	m["ungrouped"] = func(c *Candidate) bool { return ungrouped(c.Value()) }
	m["assignment"] = checkAssignment
	m["basic_auth"] = checkBasicAuth
	m["connection_detail"] = checkDetail
	return m
}

// minDigits is validate.MinDigits for every check of Checks: the phone
// checks defined here around the phone validator have its floor.
func minDigits(check string) int {
	if check == "phone_national" || check == "phone_formatted" {
		check = "phone"
	}
	return validate.MinDigits(check)
}

// CheckNames lists the names of Checks in order.
func CheckNames() []string {
	m := Checks()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkBasicAuth accepts a base64 value that decodes to "user:password"
// with a non-empty password and printable text.
func checkBasicAuth(c *Candidate) bool {
	dec, err := base64.RawStdEncoding.DecodeString(string(bytes.TrimRight(c.Value(), "=")))
	if err != nil {
		return false
	}
	i := bytes.IndexByte(dec, ':')
	if i < 0 || i == len(dec)-1 {
		return false
	}
	for _, b := range dec {
		if b < 0x20 || b == 0x7f {
			return false
		}
	}
	return !IsPlaceholder(dec[i+1:])
}

// messageIDHeaders are the mail headers whose <…@…> values are message
// identifiers, not mailboxes.
var messageIDHeaders = [][]byte{[]byte("message-id:"), []byte("in-reply-to:"), []byte("references:"), []byte("content-id:"), []byte("resent-message-id:")}

// checkNotMessageID turns down a value in angle brackets on a line of a
// mail header that carries message identifiers ("Message-ID: <…@host>"):
// it has an e-mail's shape but names a message, not a person.
func checkNotMessageID(c *Candidate) bool {
	vs := c.value.start
	if vs == 0 || c.text[vs-1] != '<' {
		return true
	}
	lo := max(vs-512, 0)
	line := c.text[lo:vs]
	if i := bytes.LastIndexByte(line, '\n'); i >= 0 {
		line = line[i+1:]
	} else if lo > 0 {
		return true // a long line: no header
	}
	for _, h := range messageIDHeaders {
		if len(line) >= len(h) && equalFold(line[:len(h)], h) {
			return false
		}
	}
	return true
}
