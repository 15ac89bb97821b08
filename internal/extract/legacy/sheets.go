package legacy

import (
	"bufio"
	"encoding/binary"
	"io"
	"os"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding/charmap"
)

// BIFF record types that matter for naming sheets.
const (
	recBOF        = 0x0809
	recEOF        = 0x000A
	recBoundSheet = 0x0085
)

// allocatesCell reports whether xls2csv stores a cell for a record type:
// a sheet is printed (with its form feed) only when it stored one.
func allocatesCell(typ uint16) bool {
	switch typ {
	case 0x0204, 0x0201, 0x00BE, 0x00FD, 0x0203, 0x0003, 0x0103, 0x0303, 0x0202, 0x027E, 0x00BD, 0x0006:
		return true
	}
	return false
}

// printedSheets returns the names of the sheets xls2csv prints, in the
// order it prints them, from the workbook's BoundSheet records. xls2csv
// (catdoc 0.95) walks the Workbook stream's records and prints the cells
// gathered so far at each EOF or BOF that follows some, so a sheet without
// cells prints nothing and a chart embedded in a sheet splits it in two;
// replaying that walk keeps names and printed sheets in step. It returns nil when the
// workbook cannot be read this way: sheets are then numbered.
func printedSheets(path string) (names []string) {
	defer func() {
		if recover() != nil {
			names = nil // mscfb on a damaged file: numbers will do
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	doc, err := mscfb.New(f)
	if err != nil {
		return nil
	}
	var book *mscfb.File
	for _, e := range doc.File {
		if len(e.Path) == 0 && (strings.EqualFold(e.Name, "Workbook") || strings.EqualFold(e.Name, "Book")) {
			book = e
			break
		}
	}
	if book == nil {
		return nil
	}
	return replaySheets(bufio.NewReaderSize(io.LimitReader(book, book.Size), 64<<10))
}

// replaySheets walks BIFF records as xls2csv does (see printedSheets).
func replaySheets(r io.Reader) []string {
	byOffset := map[uint32]string{}
	var printed []string
	var off uint32
	depth, current, dirty, afterEOF, biff8 := 0, "", false, false, true
	var hdr [4]byte
	buf := make([]byte, 0, 256)
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if dirty {
				printed = append(printed, current) // xls2csv ends the sheet at the stream's end
			}
			return printed
		}
		typ, n := binary.LittleEndian.Uint16(hdr[:]), binary.LittleEndian.Uint16(hdr[2:])
		at := off
		off += 4 + uint32(n)
		if afterEOF && depth == 0 && typ != recBOF {
			return printed // the end of the workbook
		}
		afterEOF = false
		var data []byte
		if typ == recBoundSheet || typ == recBOF {
			if cap(buf) < int(n) {
				buf = make([]byte, n)
			}
			data = buf[:n]
			if _, err := io.ReadFull(r, data); err != nil {
				return printed
			}
		} else if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
			return printed
		}
		switch {
		case typ == recBOF:
			if len(data) >= 2 && depth == 0 && at == 0 {
				biff8 = binary.LittleEndian.Uint16(data) >= 0x0600
			}
			if dirty {
				// catdoc 0.95 prints what it gathered when a BOF comes
				// before the EOF (a chart embedded in a sheet).
				printed = append(printed, current)
				dirty = false
			}
			if depth == 0 {
				current = byOffset[at]
			}
			depth++
		case typ == recEOF:
			if dirty {
				printed = append(printed, current)
				dirty = false
			}
			if depth > 0 {
				depth--
			}
			afterEOF = true
		case typ == recBoundSheet:
			if len(data) >= 7 && len(byOffset) < 65536 {
				byOffset[binary.LittleEndian.Uint32(data)] = sheetName(data[6:], biff8)
			}
		case allocatesCell(typ):
			dirty = true
		}
	}
}

// sheetName decodes the name of a BoundSheet record: a count, then (in
// BIFF8) a flag byte saying whether the characters are UTF-16 or 8-bit.
func sheetName(b []byte, biff8 bool) string {
	if len(b) < 1 {
		return ""
	}
	n := int(b[0])
	b = b[1:]
	wide := false
	if biff8 && len(b) > 0 {
		wide = b[0]&1 == 1
		b = b[1:]
	}
	if wide {
		if len(b) < 2*n {
			return ""
		}
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u))
	}
	if len(b) < n {
		return ""
	}
	s, _ := charmap.Windows1252.NewDecoder().Bytes(b[:n])
	return string(s)
}
