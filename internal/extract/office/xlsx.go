package office

import (
	"encoding/xml"
	"io"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// xlsx reads a workbook: the shared strings and cell formats first (cells
// refer to them), then each sheet in the workbook's order as
// "sheet:<name>" with its comments and drawings (text boxes) after its
// cells, then data connections and DDE links as "connections", metadata,
// links and embedded objects.
func (d *doc) xlsx(main string) error {
	if !d.p.has(main) {
		return extract.Failure(finding.ReasonCorrupt, "workbook without its main part %s", main)
	}
	tk := &ticker{ctx: d.ctx}
	rels := d.p.rels(main)
	ids := byID(rels)
	var sheets []sheetRef
	var date1904 bool
	if err := d.part(main, []string{main}, func(r io.Reader) error {
		var err error
		sheets, date1904, err = readWorkbook(r, tk)
		return err
	}); err != nil {
		return err
	}
	sst := &sharedStrings{}
	var styles []numKind
	for _, r := range rels {
		var err error
		switch r.kind() {
		case "sharedStrings":
			err = d.part(r.target, []string{r.target}, func(rd io.Reader) error { return readShared(rd, sst, tk) })
		case "styles":
			err = d.part(r.target, []string{r.target}, func(rd io.Reader) error {
				var err error
				styles, err = readStyles(rd, tk)
				return err
			})
		}
		if err != nil {
			return err
		}
	}
	d.s.end()
	for _, sh := range sheets {
		r, ok := ids[sh.rid]
		if !ok || r.external {
			continue
		}
		if err := d.sheet(sh.name, r.target, sst, styles, date1904, tk); err != nil {
			return err
		}
	}
	for _, r := range rels {
		if r.external || (r.kind() != "connections" && r.kind() != "externalLink") {
			continue
		}
		if err := d.part(r.target, []string{"connections"}, func(rd io.Reader) error {
			return walkAttrs(rd, d.s, connectionAttrs, tk)
		}); err != nil {
			return err
		}
	}
	d.s.end()
	return d.ooxmlTail()
}

// sheet reads one worksheet with its comments and drawings.
func (d *doc) sheet(name, part string, sst *sharedStrings, styles []numKind, date1904 bool, tk *ticker) error {
	labels := []string{"sheet:" + name}
	w := newSheetWalker(d.s, sst, styles, date1904)
	if err := d.part(part, labels, func(r io.Reader) error { return w.walk(r, tk) }); err != nil {
		return err
	}
	for _, r := range d.p.rels(part) {
		if r.external {
			continue
		}
		var err error
		switch r.kind() {
		case "comments":
			err = d.part(r.target, labels, func(rd io.Reader) error {
				d.s.sep('\n')
				return walkComments(rd, d.s, tk)
			})
		case "drawing":
			err = d.part(r.target, labels, func(rd io.Reader) error {
				d.s.sep('\n')
				d.s.markAt("drawing")
				return walkRich(rd, d.s, tk)
			})
		}
		if err != nil {
			return err
		}
	}
	d.s.end()
	return d.s.err
}

type sheetRef struct{ name, rid string }

// maxSheets bounds the sheets a workbook may list.
const maxSheets = 1 << 16

// readWorkbook lists the sheets in order and says whether dates count from
// 1904.
func readWorkbook(r io.Reader, tk *ticker) ([]sheetRef, bool, error) {
	d := newDecoder(r)
	var out []sheetRef
	date1904 := false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return out, date1904, partError(err)
		}
		if err := tk.tick(); err != nil {
			return out, date1904, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			v := attr(se, "date1904")
			date1904 = v == "1" || v == "true"
		case "sheet":
			if len(out) < maxSheets {
				out = append(out, sheetRef{name: attr(se, "name"), rid: relID(se)})
			}
		}
	}
}

// walkComments writes the legacy comments of a sheet, each after a mark
// "comment:C17".
func walkComments(r io.Reader, s *sink, tk *ticker) error {
	d := newDecoder(r)
	var skip skipper
	inT := false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return partError(err)
		}
		if err := tk.tick(); err != nil {
			return err
		}
		if skip.feed(tok) {
			continue
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "comment":
				s.markAt("comment:" + attr(e, "ref"))
			case "t":
				inT = true
			case "rPh":
				skip.start()
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "comment":
				s.sep('\n')
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				s.text(e)
			}
		}
	}
}

// connectionAttrs are the attributes of xl/connections.xml and of external
// links that hold connection strings, queries, URLs, file paths and DDE
// commands.
func connectionAttrs(name string) bool {
	switch name {
	case "name", "description", "connection", "command", "url", "sourceFile", "odcFile", "credentials", "ddeService", "ddeTopic":
		return true
	}
	return false
}

// walkAttrs writes the values of the named attributes, one per line.
func walkAttrs(r io.Reader, s *sink, names func(string) bool, tk *ticker) error {
	d := newDecoder(r)
	for {
		tok, err := d.RawToken()
		if err != nil {
			return partError(err)
		}
		if err := tk.tick(); err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if names(a.Name.Local) && a.Value != "" {
					s.str(a.Value)
					s.sep('\n')
				}
			}
		}
	}
}
