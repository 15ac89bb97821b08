package office

import (
	"encoding/xml"
	"io"
	"strconv"
)

// odfWalker writes the text of an ODF content.xml or styles.xml in reading
// order. What it does depends on where it is:
//
//   - in office:text, paragraphs and headings are lines, table cells are
//     tab-separated; footnotes, endnotes and annotations are written where
//     they are anchored, after marks "footnotes", "endnotes", "comments";
//   - in office:spreadsheet, each table:table is a stream "sheet:<name>",
//     each cell with text is marked "cell:B3" (its comment "comment:B3"),
//     honouring number-columns-repeated and number-rows-repeated by
//     arithmetic: a repeated cell or row is written once, at its first
//     place, and a million repeated empty cells cost nothing;
//   - in office:presentation (office:drawing), each draw:page is a stream
//     "slide:N" ("page:N") and its presentation:notes "slide:N"+"notes";
//   - in styles.xml (onlyHF) only headers and footers are written, marked
//     "header" and "footer": a text document's style:header and
//     style:footer, a presentation's master-page frames of class footer
//     and header.
//
// Text inside paragraphs follows ODF's white-space rule: tabs and line ends
// in the XML are spaces; text:s, text:tab and text:line-break are the
// spaces, tab and line break of the text.
type odfWalker struct {
	s      *sink
	base   []string // labels of the whole part (an embedded object's)
	onlyHF bool

	st      frames
	mode    string // "text", "sheet", "pres", "draw"
	textIn  int    // open text-bearing elements (p, h, title, …)
	hfIn    int    // open header/footer elements (styles.xml)
	hfFrame int    // depth of an open master-page footer or header frame, 0 when none
	noteIn  int    // open notes and annotations: their text is not the cell's
	pages   int

	row, col       int // next row and column of the current sheet, 0-based
	rowRep, colRep int
	cellN          int    // sink count when the cell opened
	cellMarked     bool   // the cell's mark is set
	value          string // office:value & co. of the open cell, written when it has no text
	inCell         bool

	skip skipper
	buf  []byte
}

// maxRepeat caps a repeat count: ODF's own sheets stop at 2^20 rows and
// 2^14 columns; the cap keeps arithmetic on hostile counts from
// overflowing.
const maxRepeat = 1 << 24

func (w *odfWalker) walk(r io.Reader, tk *ticker) error {
	d := newDecoder(r)
	w.s.at(w.base...)
	for {
		tok, err := d.RawToken()
		if err != nil {
			return partError(err)
		}
		if err := tk.tick(); err != nil {
			return err
		}
		if w.s.err != nil {
			return nil
		}
		if w.skip.feed(tok) {
			continue
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if len(w.st) >= maxDepth {
				return errDepth
			}
			if w.start(e) {
				w.skip.start()
				continue
			}
			w.st = append(w.st, frame{e.Name.Local, w.s.count()})
		case xml.EndElement:
			w.end(w.st.pop())
		case xml.CharData:
			if w.textIn > 0 && (!w.onlyHF || w.hfIn > 0) {
				w.chars(e)
			}
		}
	}
}

// start handles an opening element; it returns true to skip its subtree.
func (w *odfWalker) start(e xml.StartElement) bool {
	switch e.Name.Local {
	case "text":
		if e.Name.Space == "office" {
			w.mode = "text"
		}
	case "spreadsheet":
		w.mode = "sheet"
	case "presentation":
		w.mode = "pres"
	case "drawing":
		if e.Name.Space == "office" {
			w.mode = "draw"
		}
	case "p", "h", "title", "desc", "footer-decl", "header-decl", "date-time-decl":
		w.textIn++
	case "note-citation", "forms", "binary-data", "event-listeners", "change-info":
		return true
	case "creator", "date", "date-string":
		// who wrote a comment and when, not the text
		if e.Name.Space == "dc" || e.Name.Space == "meta" {
			return true
		}
	case "s":
		if w.textIn > 0 && e.Name.Space == "text" {
			w.sep(' ')
		}
	case "tab":
		if w.textIn > 0 {
			w.sep('\t')
		}
	case "line-break":
		if w.textIn > 0 {
			w.sep('\n')
		}
	case "note":
		w.noteIn++
		w.s.sep(' ')
		if attr(e, "note-class") == "endnote" {
			w.s.markAt("endnotes")
		} else {
			w.s.markAt("footnotes")
		}
	case "annotation":
		w.noteIn++
		w.s.sep('\n')
		if w.mode == "sheet" && w.inCell {
			w.s.markAt("comment:" + cellRef(w.col+1, w.row+1))
		} else {
			w.s.markAt("comments")
		}
	case "header", "footer", "header-left", "footer-left", "header-first", "footer-first":
		if w.onlyHF {
			w.hfIn++
			w.s.sep('\n')
			w.s.markAt(e.Name.Local[:6])
		}
	case "frame":
		// A presentation's footer lives in a frame of its master page.
		if c := attr(e, "class"); w.onlyHF && w.hfFrame == 0 && (c == "footer" || c == "header") {
			w.hfFrame = len(w.st) + 1
			w.hfIn++
			w.s.sep('\n')
			w.s.markAt(c)
		}
	case "page":
		if e.Name.Space == "draw" && (w.mode == "pres" || w.mode == "draw") {
			w.pages++
			kind := "slide:"
			if w.mode == "draw" {
				kind = "page:"
			}
			w.s.at(append(w.base, kind+strconv.Itoa(w.pages))...)
		}
	case "notes":
		if e.Name.Space == "presentation" {
			w.s.at(append(w.base, "slide:"+strconv.Itoa(w.pages), "notes")...)
		}
	case "table":
		if e.Name.Space == "table" && w.mode == "sheet" {
			w.s.at(append(w.base, "sheet:"+attr(e, "name"))...)
			w.row = 0
		}
	case "table-row":
		w.rowRep = repeat(attr(e, "number-rows-repeated"))
		w.col = 0
	case "table-cell", "covered-table-cell":
		w.colRep = repeat(attr(e, "number-columns-repeated"))
		w.inCell, w.cellMarked, w.cellN = true, false, w.s.count()
		w.value = cellValue(e)
	}
	return false
}

func (w *odfWalker) end(f frame) {
	switch f.local {
	case "p", "h", "title", "desc", "footer-decl", "header-decl", "date-time-decl":
		w.textIn--
		if w.s.count() != f.n {
			w.s.sep('\n')
		}
	case "note", "annotation":
		w.noteIn = max(w.noteIn-1, 0)
		w.s.sep('\n')
		w.s.markAt("")
		w.cellMarked = false
	case "header", "footer", "header-left", "footer-left", "header-first", "footer-first":
		if w.onlyHF {
			w.hfIn--
			w.s.markAt("")
		}
	case "frame":
		if w.hfFrame == len(w.st)+1 {
			w.hfFrame = 0
			w.hfIn--
			w.s.markAt("")
		}
	case "page":
		w.s.at(w.base...)
	case "notes":
		w.s.at(append(w.base, "slide:"+strconv.Itoa(w.pages))...)
	case "table-cell", "covered-table-cell":
		if w.mode == "sheet" && w.s.count() == w.cellN && w.value != "" {
			w.cellText([]byte(w.value))
		}
		if w.s.count() != w.cellN {
			w.s.setSep('\t')
		} else {
			w.s.sep('\t')
		}
		w.col = min(w.col+w.colRep, maxRepeat)
		w.inCell = false
	case "table-row":
		w.s.sep('\n')
		w.row = min(w.row+w.rowRep, maxRepeat)
	case "table":
		if w.mode == "sheet" {
			w.s.at(w.base...)
		}
	}
}

func (w *odfWalker) sep(c byte) {
	if w.mode == "sheet" && w.inCell && w.noteIn == 0 {
		w.markCell()
	}
	w.s.sep(c)
}

// chars writes paragraph text, line ends and tabs of the XML as spaces.
func (w *odfWalker) chars(b []byte) {
	w.buf = append(w.buf[:0], b...)
	for i, c := range w.buf {
		if c == '\n' || c == '\r' || c == '\t' {
			w.buf[i] = ' '
		}
	}
	w.cellText(w.buf)
}

func (w *odfWalker) cellText(b []byte) {
	if w.mode == "sheet" && w.inCell && w.noteIn == 0 {
		w.markCell()
	}
	w.s.text(b)
}

// markCell marks the open cell before its first text, so that empty cells
// cost no mark.
func (w *odfWalker) markCell() {
	if !w.cellMarked {
		w.s.markAt("cell:" + cellRef(w.col+1, w.row+1))
		w.cellMarked = true
	}
}

// repeat reads a repeat count: at least 1, at most maxRepeat.
func repeat(v string) int {
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxRepeat)
}

// cellValue is what a cell holds when it has no text of its own.
func cellValue(e xml.StartElement) string {
	for _, name := range []string{"value", "date-value", "time-value", "boolean-value", "string-value"} {
		if v := attr(e, name); v != "" {
			return v
		}
	}
	return ""
}
