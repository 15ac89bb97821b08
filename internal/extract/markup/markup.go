// Package markup extracts the text of markup documents: HTML and XHTML
// (web pages, EPUB chapters, HTML mail bodies) and RTF.
//
// Both readers stream: the HTML walker works token by token on
// golang.org/x/net/html's Tokenizer, the RTF parser byte by byte, and both
// write through the registry's TextWriter as they go, so a document is never
// held whole. Text comes out in reading order with the separators a pattern
// needs (a line per block or paragraph, a tab between table cells). What a
// page hides from its reader but may still hold a credential — inline
// scripts, comments, form values, meta content, link credentials, RTF
// document properties and field instructions — is written too, each on a
// line of its own, as "name: value" where a name goes with it so that rules
// of the "password: x" kind still match. Objects embedded in RTF
// (\objdata) go back to the registry as children.
package markup

import (
	"context"
	"fmt"

	"github.com/leakguard/leakguard/internal/extract"
)

// Extractor reads HTML and RTF.
type Extractor struct{}

// New returns the markup extractor.
func New() *Extractor { return &Extractor{} }

// Kinds implements extract.Extractor.
func (*Extractor) Kinds() []extract.Kind { return []extract.Kind{extract.KindHTML, extract.KindRTF} }

// Extract implements extract.Extractor.
func (*Extractor) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	switch n.Kind {
	case extract.KindHTML:
		return extractHTML(ctx, n, out)
	case extract.KindRTF:
		return extractRTF(ctx, n, out)
	}
	return fmt.Errorf("markup: cannot read %s", n.Kind)
}
