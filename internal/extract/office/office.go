// Package office extracts the text of zip-based office documents: OOXML
// (docx, xlsx, pptx, vsdx and their macro and template variants), ODF (odt,
// ods, odp) and EPUB.
//
// Each document is opened as a zip over Emitter.Random and every XML part
// is streamed token by token through encoding/xml: no part is held whole,
// and a workbook's memory is its shared-string table (bounded) plus a few
// buffers, whatever the size of its sheets. Text goes to the engine in
// reading order, one stream per place a user would look for it:
//
//	docx  the body (no label of its own), "header1"…, "footer1"…,
//	      "footnotes", "endnotes", "comments"
//	xlsx  "sheet:<name>" with marks "cell:C17", "comment:C17", "header",
//	      "footer", "drawing"; "connections" (data connection strings)
//	pptx  "slide:N", "slide:N"+"notes", "slide:N"+"comments"
//	vsdx  "page:N"
//	odt   the body, marks "footnotes", "endnotes", "comments"; "header",
//	      "footer" marks in the styles' stream
//	ods   "sheet:<name>" with marks "cell:B3", "comment:B3"
//	odp   "slide:N", "slide:N"+"notes"
//	all   "metadata" (title, subject, creator, keywords, description…),
//	      "links" (external relationship targets: hyperlinks, templates,
//	      linked workbooks, UNC paths)
//
// Embedded objects (OOXML */embeddings/*, alternative-format chunks,
// vbaProject.bin, ODF "Object N" files) go back to the registry as children
// labelled "embedded:<file name>"; ODF sub-documents ("Object 1/") are read
// in place under the same label; EPUB content documents are children
// labelled with their path in the zip, for the HTML extractor.
//
// The registry does not meter parts read here, so each part is checked
// against extract.DefaultLimits' ratio before it is inflated and all parts of
// one document share DefaultLimits.MaxBytes.
package office

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// Extractor reads the zip-based office formats. It has no state; one value
// serves concurrent items.
type Extractor struct{}

// New returns the office extractor.
func New() *Extractor { return &Extractor{} }

// Kinds lists the formats read here.
func (*Extractor) Kinds() []extract.Kind {
	return []extract.Kind{extract.KindDocx, extract.KindXlsx, extract.KindPptx, extract.KindVsdx,
		extract.KindOdt, extract.KindOds, extract.KindOdp, extract.KindEpub}
}

// Extract reads one document. The family is decided from the package's own
// parts, not only from the kind the registry guessed, so a workbook saved
// as .docx is still read as a workbook.
func (*Extractor) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	ra, size, err := out.Random(ctx)
	if err != nil {
		return err
	}
	p, err := openPkg(ra, size, out.Limits())
	if err != nil {
		return extract.Failure(finding.ReasonCorrupt, "not a readable zip package: %v", err)
	}
	d := &doc{ctx: ctx, out: out, p: p, s: newSink(emitterOpener(ctx, out))}
	err = d.read(n.Kind)
	if cerr := d.s.close(); err == nil {
		err = cerr
	}
	return err
}

// doc is the state of one document being read.
type doc struct {
	ctx context.Context
	out extract.Emitter
	p   *pkg
	s   *sink
}

func (d *doc) read(kind extract.Kind) error {
	switch fam, main := d.family(kind); fam {
	case "docx":
		return d.docx(main)
	case "xlsx":
		return d.xlsx(main)
	case "pptx":
		return d.pptx(main)
	case "vsdx":
		return d.vsdx(main)
	case "odf":
		return d.odf()
	case "epub":
		return d.epub()
	}
	return extract.Failure(finding.ReasonCorrupt, "a zip without the parts of a %s document", kind)
}

// family decides what the package is from its parts, and its main part.
func (d *doc) family(kind extract.Kind) (string, string) {
	p := d.p
	if mt := p.mimetype(); mt != "" {
		switch {
		case strings.HasPrefix(mt, "application/epub"):
			return "epub", ""
		case strings.HasPrefix(mt, "application/vnd.oasis.opendocument"):
			return "odf", ""
		}
	}
	for _, r := range p.rels("") {
		if r.external || !p.has(r.target) {
			continue
		}
		base := strings.ToLower(r.target[strings.LastIndexByte(r.target, '/')+1:])
		switch {
		case r.kind() == "document" && strings.Contains(r.typ, "visio"):
			return "vsdx", r.target
		case r.kind() != "officeDocument":
		case strings.HasPrefix(base, "workbook"):
			return "xlsx", r.target
		case strings.HasPrefix(base, "presentation"):
			return "pptx", r.target
		case strings.HasPrefix(base, "document"):
			return "docx", r.target
		}
	}
	for _, c := range []struct{ fam, part string }{
		{"docx", "word/document.xml"}, {"xlsx", "xl/workbook.xml"}, {"pptx", "ppt/presentation.xml"},
		{"vsdx", "visio/document.xml"},
	} {
		if p.has(c.part) {
			return c.fam, c.part
		}
	}
	switch {
	case p.has("content.xml"):
		return "odf", ""
	case p.has("META-INF/container.xml"):
		return "epub", ""
	}
	return "", ""
}

// mimetype is the content of an ODF or EPUB package's "mimetype" member.
func (p *pkg) mimetype() string {
	rc, err := p.open("mimetype")
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, 200))
	return strings.TrimSpace(string(b))
}

// part streams one XML part through walk with the text going to labels.
// A part that is missing is skipped; one that is damaged, encrypted or over
// a limit is recorded at labels (or the part's name) and the document goes
// on. The error returned is the engine's or the scan's: it ends the item.
func (d *doc) part(name string, labels []string, walk func(r io.Reader) error) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	f := d.p.file(name)
	if f == nil {
		return nil
	}
	d.s.at(labels...)
	rc, err := d.p.openFile(f)
	if err == nil {
		err = walk(rc)
		rc.Close()
	}
	if d.s.err != nil {
		return d.s.err
	}
	if err == nil {
		return nil
	}
	if cerr := d.ctx.Err(); cerr != nil {
		return cerr
	}
	d.s.end() // what was read of the part is scanned before the problem is told
	if d.s.err != nil {
		return d.s.err
	}
	where := labels
	if len(where) == 0 {
		where = []string{normName(f.Name)}
	}
	return d.out.Problem(d.ctx, where, extract.Reason(err), fmt.Errorf("%s: %w", normName(f.Name), err))
}

// ticker checks the context every few thousand tokens.
type ticker struct {
	ctx context.Context
	n   int
}

func (t *ticker) tick() error {
	t.n++
	if t.n&4095 == 0 && t.ctx != nil {
		return t.ctx.Err()
	}
	return nil
}
