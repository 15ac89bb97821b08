package office

import (
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Cells hold numbers; a date is a number with a date format. To show dates
// as dates (a birth date is personal data only when it reads as one), the
// cell formats of xl/styles.xml are classified once per workbook.
type numKind uint8

const (
	numPlain numKind = iota
	numDate
	numDateTime
	numTime
)

// maxStyles bounds the cell formats kept.
const maxStyles = 1 << 16

// readStyles returns the kind of number each cell format (the s attribute
// of a cell) shows.
func readStyles(r io.Reader, tk *ticker) ([]numKind, error) {
	d := newDecoder(r)
	custom := map[int]numKind{}
	var xfs []numKind
	inXfs := false
	var ids []int
	for {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if err := tk.tick(); err != nil {
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "numFmt":
				if id, err := strconv.Atoi(attr(e, "numFmtId")); err == nil && len(custom) < maxStyles {
					custom[id] = classifyFormat(attr(e, "formatCode"))
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs && len(ids) < maxStyles {
					id, _ := strconv.Atoi(attr(e, "numFmtId"))
					ids = append(ids, id)
				}
			}
		case xml.EndElement:
			if e.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
	for _, id := range ids {
		k, ok := custom[id]
		if !ok {
			k = builtinFormat(id)
		}
		xfs = append(xfs, k)
	}
	return xfs, nil
}

// builtinFormat classifies the number formats Excel does not write out.
func builtinFormat(id int) numKind {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id >= 50 && id <= 58:
		return numDate
	case id == 22:
		return numDateTime
	case id >= 18 && id <= 21, id >= 32 && id <= 36, id >= 45 && id <= 47:
		return numTime
	}
	return numPlain
}

// classifyFormat reads a format code: date parts (y, d) make a date, time
// parts (h, s) a time; quoted text, escaped characters and [bracketed]
// colours and conditions do not count.
func classifyFormat(code string) numKind {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i] // the positive section decides
	}
	var date, tod bool
	for i := 0; i < len(code); i++ {
		switch c := code[i] | 0x20; {
		case code[i] == '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case code[i] == '\\' || code[i] == '_' || code[i] == '*':
			i++
		case code[i] == '[':
			if j := strings.IndexByte(code[i:], ']'); j >= 0 {
				if j > 1 && strings.ContainsRune("hHmMsS", rune(code[i+1])) {
					tod = true // elapsed time: [h]:mm
				}
				i += j
			}
		case c == 'y' || c == 'd':
			date = true
		case c == 'h' || c == 's':
			tod = true
		}
	}
	switch {
	case date && tod:
		return numDateTime
	case date:
		return numDate
	case tod:
		return numTime
	}
	return numPlain
}

// showNumber returns how a stored number reads: a date for a date format,
// plain digits for an integer Excel stored in exponent form, else as
// stored.
func showNumber(v []byte, k numKind, date1904 bool) []byte {
	if k == numPlain {
		if !hasExponent(v) {
			return v
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1e21 {
			return v
		}
		return strconv.AppendFloat(nil, f, 'f', -1, 64)
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || f < 0 || f > 2958465 { // after 9999-12-31 is no date
		return v
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case f < 60:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC) // Excel's 1900 leap-year bug
	}
	t := base.Add(time.Duration(math.Round(f*86400)) * time.Second)
	switch k {
	case numDate:
		return t.AppendFormat(nil, "2006-01-02")
	case numTime:
		return t.AppendFormat(nil, "15:04:05")
	}
	return t.AppendFormat(nil, "2006-01-02 15:04:05")
}

func hasExponent(v []byte) bool {
	for _, c := range v {
		if c == 'E' || c == 'e' {
			return true
		}
	}
	return false
}
