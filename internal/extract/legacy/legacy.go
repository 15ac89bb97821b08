// Package legacy extracts the text of legacy binary Office documents (Word
// .doc, Excel .xls, PowerPoint .ppt: OLE compound files).
//
// Word and Excel files are read by Debian's catdoc helpers (catdoc and
// xls2csv, package "catdoc") when they are installed: the content is copied
// into the node's private temporary folder — the only place content may
// touch disk — the helper runs on it under a time limit, and its output is
// streamed to the engine as it comes. A missing helper is an item error
// with reason helper-missing, never a silent skip. Workbooks are split into
// one text stream per sheet ("sheet:Name"), cells kept apart by tabs.
//
// PowerPoint files are read in Go: catppt misses the text of most files
// written since PowerPoint 2007, while the text atoms of the "PowerPoint
// Document" stream are simple to walk slide by slide. Embedded OLE objects
// of a presentation go back to the registry as children.
package legacy

import (
	"context"
	"fmt"

	"github.com/leakguard/leakguard/internal/extract"
)

// Extractor reads .doc, .xls and .ppt files.
type Extractor struct{}

// New returns the legacy Office extractor.
func New() *Extractor { return &Extractor{} }

// Kinds implements extract.Extractor.
func (*Extractor) Kinds() []extract.Kind {
	return []extract.Kind{extract.KindDoc, extract.KindXls, extract.KindPpt}
}

// Extract implements extract.Extractor.
func (*Extractor) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	switch n.Kind {
	case extract.KindDoc:
		return extractDoc(ctx, n, out)
	case extract.KindXls:
		return extractXls(ctx, n, out)
	case extract.KindPpt:
		return extractPpt(ctx, n, out)
	}
	return fmt.Errorf("legacy: cannot read %s", n.Kind)
}
