package office

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/leakguard/leakguard/internal/extract"
)

// maxShared bounds the shared-string table held for one workbook: it is the
// only part of a workbook kept in memory, because any cell may refer to any
// string.
const maxShared = 256 << 20

// sharedStrings is the table compactly: all strings in one buffer, and
// where each ends.
type sharedStrings struct {
	data []byte
	ends []uint32
	max  int // bound of size(); maxShared when 0
}

func (t *sharedStrings) get(i int) []byte {
	if t == nil || i < 0 || i >= len(t.ends) {
		return nil
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.data[start:t.ends[i]]
}

func (t *sharedStrings) limit() int {
	if t.max > 0 {
		return t.max
	}
	return maxShared
}

func (t *sharedStrings) size() int { return len(t.data) + 4*len(t.ends) }

// readShared loads xl/sharedStrings.xml: each si is the text of its t
// elements, rich-text runs joined, phonetic readings (rPh) left out. Beyond
// maxShared it stops with a limit error and keeps what it read: cells that
// refer past it come out empty.
func readShared(r io.Reader, t *sharedStrings, tk *ticker) error {
	d := newDecoder(r)
	var skip skipper
	inT, inSI := false, false
	for {
		tok, err := d.RawToken()
		if err != nil {
			if inSI {
				t.ends = append(t.ends, uint32(len(t.data)))
			}
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
			case "si":
				if inSI { // an unclosed si: end it where the next begins
					t.ends = append(t.ends, uint32(len(t.data)))
				}
				inSI = true
			case "t":
				inT = true
			case "rPh":
				skip.start()
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "si":
				if inSI {
					t.ends = append(t.ends, uint32(len(t.data)))
				}
				inSI = false
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT && inSI {
				t.data = append(t.data, e...)
			}
		}
		if t.size() > t.limit() {
			return &extract.LimitError{Limit: "bytes",
				Msg: fmt.Sprintf("shared strings larger than %d bytes: the rest are not read, cells using them are empty", t.limit())}
		}
	}
}
