package office

import (
	"io"
	"path"
	"strings"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// docx reads a WordprocessingML document: the body without a label of its
// own (a finding in it is simply "in the document"), then each header and
// footer ("header1", "footer2": the part's name), footnotes, endnotes and
// comments, then metadata, links and embedded objects.
func (d *doc) docx(main string) error {
	if !d.p.has(main) {
		return extract.Failure(finding.ReasonCorrupt, "word document without its main part %s", main)
	}
	t := &ticker{ctx: d.ctx}
	walk := func(r io.Reader) error { return walkRich(r, d.s, t) }
	if err := d.part(main, nil, walk); err != nil {
		return err
	}
	rels := d.p.rels(main)
	order := []string{"header", "footer", "footnotes", "endnotes", "comments"}
	for _, kind := range order {
		for _, r := range ofKind(rels, kind) {
			if r.external {
				continue
			}
			label := kind
			if kind == "header" || kind == "footer" {
				label = strings.TrimSuffix(path.Base(r.target), path.Ext(r.target))
			}
			if err := d.part(r.target, []string{label}, walk); err != nil {
				return err
			}
		}
	}
	return d.ooxmlTail()
}

// ooxmlTail reads what every OOXML package may hold besides its content:
// document properties, external links and embedded objects.
func (d *doc) ooxmlTail() error {
	if err := d.ooxmlProps(); err != nil {
		return err
	}
	if err := d.links(); err != nil {
		return err
	}
	return d.embedded()
}
