package testdoc

import (
	"bytes"
	"fmt"
)

// Builder writes a PDF file object by object: numbered indirect objects,
// a cross-reference table giving each one's byte offset, and a trailer
// naming the catalog. Bodies are PDF syntax, written as given.
type Builder struct {
	objs []string // object i+1's body
}

// Add appends an object and returns its number.
func (b *Builder) Add(body string) int {
	b.objs = append(b.objs, body)
	return len(b.objs)
}

// Reserve returns the number of an object whose body Set gives later, for
// objects that refer to each other (a page and its parent).
func (b *Builder) Reserve() int { return b.Add("null") }

// Set gives object n its body.
func (b *Builder) Set(n int, body string) { b.objs[n-1] = body }

// Stream returns the body of a stream object with the dictionary entries
// dict (without << >>) and the data, its /Length computed.
func Stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// Bytes writes the file; root is the catalog's object number.
func (b *Builder) Bytes(root int) []byte {
	var out bytes.Buffer
	// A comment of high bytes after the header marks the file binary, as
	// the specification recommends.
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(b.objs))
	for i, body := range b.objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, body)
	}
	xref := out.Len()
	// Each entry is exactly 20 bytes, its end of line included.
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(b.objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(b.objs)+1, root, xref)
	return out.Bytes()
}
