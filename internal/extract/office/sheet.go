package office

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// maxCell bounds the text of one cell element (value, inline string or
// formula) held while its cell is read; Excel's own limit is 32,767
// characters.
const maxCell = 1 << 20

// maxGap bounds the tabs written for empty cells between two values.
const maxGap = 64

var tabs = strings.Repeat("\t", maxGap)

// sheetWalker writes one worksheet: each cell with text after a mark
// "cell:C17", cells apart by tabs, rows by newlines, then the header and
// footer text with marks "header" and "footer".
type sheetWalker struct {
	s        *sink
	sst      *sharedStrings
	styles   []numKind
	date1904 bool

	row, col int // current row and column, 1-based
	lastCol  int // column of the row's last cell written, 0 before the first
	ref      string
	typ      string
	style    int
	in       string // the value element being read: "v", "f", "is" or ""
	v, f, is textBuf
}

func newSheetWalker(s *sink, sst *sharedStrings, styles []numKind, date1904 bool) *sheetWalker {
	return &sheetWalker{s: s, sst: sst, styles: styles, date1904: date1904,
		v: textBuf{max: maxCell}, f: textBuf{max: maxCell}, is: textBuf{max: maxCell}}
}

func (w *sheetWalker) walk(r io.Reader, tk *ticker) error {
	d := newDecoder(r)
	var skip skipper
	depth, inIsT, hf := 0, false, ""
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
		if skip.feed(tok) {
			continue
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return errDepth
			}
			switch e.Name.Local {
			case "row":
				w.startRow(e)
			case "c":
				w.startCell(e)
			case "v", "f", "is":
				w.in = e.Name.Local
			case "t":
				inIsT = w.in == "is"
			case "rPh":
				skip.start()
				depth--
			case "oddHeader", "evenHeader", "firstHeader":
				hf = "header"
			case "oddFooter", "evenFooter", "firstFooter":
				hf = "footer"
			}
		case xml.EndElement:
			depth--
			switch e.Name.Local {
			case "row":
				w.s.sep('\n')
			case "c":
				w.endCell()
			case "v", "f", "is":
				w.in = ""
			case "t":
				inIsT = false
			case "oddHeader", "evenHeader", "firstHeader", "oddFooter", "evenFooter", "firstFooter":
				hf = ""
				w.s.sep('\n')
			}
		case xml.CharData:
			switch {
			case w.in == "v":
				w.v.add(e)
			case w.in == "f":
				w.f.add(e)
			case inIsT:
				w.is.add(e)
			case hf != "":
				w.s.sep('\n')
				w.s.markAt(hf)
				w.s.text(e)
			}
		}
	}
}

func (w *sheetWalker) startRow(e xml.StartElement) {
	if n, err := strconv.Atoi(attr(e, "r")); err == nil && n > 0 {
		w.row = n
	} else {
		w.row++
	}
	w.col, w.lastCol = 0, 0
}

func (w *sheetWalker) startCell(e xml.StartElement) {
	w.ref, w.typ = "", attr(e, "t")
	if r := attr(e, "r"); r != "" {
		if col, row, ok := parseRef(r); ok {
			w.ref, w.col, w.row = r, col, row
		}
	}
	if w.ref == "" {
		w.col++
		if w.row == 0 {
			w.row = 1
		}
	}
	w.style = -1
	if s, err := strconv.Atoi(attr(e, "s")); err == nil {
		w.style = s
	}
	w.v.reset()
	w.f.reset()
	w.is.reset()
	w.in = ""
}

// endCell writes the cell as Excel shows it: the shared or inline string,
// the cached result of a formula, TRUE/FALSE, an error code, or the number
// (as a date when its format is a date). A formula's own text follows when
// it holds a string literal: that is where connection strings, URLs and
// keys sit; formulas of references and arithmetic would only be noise.
func (w *sheetWalker) endCell() {
	var val []byte
	switch w.typ {
	case "s":
		if i, err := strconv.Atoi(string(trimSpace(w.v.b))); err == nil {
			val = w.sst.get(i)
		}
	case "inlineStr":
		val = w.is.b
		if len(val) == 0 {
			val = w.v.b
		}
	case "b":
		switch string(trimSpace(w.v.b)) {
		case "1", "true":
			val = []byte("TRUE")
		case "0", "false":
			val = []byte("FALSE")
		}
	case "", "n":
		k := numPlain
		if w.style >= 0 && w.style < len(w.styles) {
			k = w.styles[w.style]
		}
		val = w.v.b
		if len(val) > 0 {
			val = showNumber(trimSpace(val), k, w.date1904)
		}
	default: // "str", "e", "d" (an ISO date)
		val = w.v.b
		if len(val) == 0 {
			val = w.is.b
		}
	}
	formula := hasQuote(w.f.b)
	if len(val) == 0 && !formula {
		return
	}
	if w.ref == "" {
		w.ref = cellRef(w.col, w.row)
	}
	// Empty cells keep their tabs, up to a point, so that a row's text is
	// a TSV line whose fields stay in their columns: registering records
	// from a workbook reads it that way.
	if gap := min(w.col-w.lastCol-1, maxGap); gap > 0 {
		w.s.str(tabs[:gap])
	}
	w.lastCol = w.col
	w.s.markAt("cell:" + w.ref)
	w.s.text(val)
	if formula {
		w.s.sep(' ')
		w.s.str("=")
		w.s.text(w.f.b)
	}
	w.s.sep('\t')
}

func hasQuote(b []byte) bool {
	for _, c := range b {
		if c == '"' {
			return true
		}
	}
	return false
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// parseRef splits "C17" (or "$C$17") into column 3 and row 17.
func parseRef(ref string) (col, row int, ok bool) {
	i := 0
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > 1<<24 {
			return 0, 0, false
		}
	}
	if col == 0 {
		return 0, 0, false
	}
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	row, err := strconv.Atoi(ref[i:])
	if err != nil || row <= 0 {
		return 0, 0, false
	}
	return col, row, true
}

// cellRef names column col (1-based) and row: cellRef(3, 17) is "C17".
func cellRef(col, row int) string {
	return colName(col) + strconv.Itoa(row)
}

func colName(col int) string {
	var b [16]byte
	i := len(b)
	for col > 0 && i > 0 {
		col--
		i--
		b[i] = byte('A' + col%26)
		col /= 26
	}
	return string(b[i:])
}
