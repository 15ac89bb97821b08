package legacy

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/leakguard/leakguard/internal/extract"
)

// xls2csv prints each sheet of a workbook as CSV in UTF-8, strings quoted,
// a form feed after each sheet.
var xls2csv = helper{tool: "xls2csv", pkg: "catdoc", args: []string{"-d", "utf-8"}, ext: ".xls"}

// extractXls streams xls2csv's sheets, one text stream per sheet, cells
// apart by tabs and rows by newlines. xls2csv does not name its sheets;
// the names come from the workbook's own sheet list, matched to what
// xls2csv prints (see printedSheets).
func extractXls(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	if _, err := xls2csv.lookPath(); err != nil {
		return err
	}
	path, err := input(n, out, xls2csv.ext)
	if err != nil {
		return err
	}
	s := &sheetSplitter{names: printedSheets(path), sheet: 1,
		open: func(label string) textStream { return out.Text(ctx, label) }}
	err = xls2csv.run(ctx, path, s.read)
	if cerr := s.close(); cerr != nil {
		return cerr
	}
	return withObjects(ctx, out, path, err)
}

// textStream is the part of extract.TextWriter the splitter uses.
type textStream interface {
	WriteByte(c byte) error
	Close() error
}

// sheetSplitter turns xls2csv's CSV into text streams, one per sheet.
type sheetSplitter struct {
	open  func(label string) textStream // starts a sheet's stream
	names []string                      // the names of the sheets xls2csv prints, in order
	sheet int                           // 1-based number of the sheet being read
	tw    textStream
	tabs  int  // cell separators owed before the next content of the row
	inRow bool // the row has content
}

// CSV states.
const (
	csvStart  = iota // at the start of a field
	csvPlain         // in an unquoted field
	csvQuoted        // in a quoted field
	csvQuote         // a quote in a quoted field: its end, or the first of ""
	csvAfter         // after a quoted field
)

func (s *sheetSplitter) read(r io.Reader) error {
	br := bufio.NewReaderSize(r, 32<<10)
	state := csvStart
	for {
		c, err := br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if state == csvQuote {
			if c == '"' {
				if err := s.content(c); err != nil {
					return err
				}
				state = csvQuoted
				continue
			}
			state = csvAfter
		}
		if state == csvQuoted {
			if c == '"' {
				state = csvQuote
			} else if err := s.content(c); err != nil {
				return err
			}
			continue
		}
		switch c {
		case ',':
			s.tabs++
			state = csvStart
		case '\n':
			if err := s.endRow(); err != nil {
				return err
			}
			state = csvStart
		case '\f':
			if err := s.endSheet(); err != nil {
				return err
			}
			state = csvStart
		case '\r':
		case '"':
			if state == csvStart {
				state = csvQuoted
				continue
			}
			fallthrough
		default:
			if err := s.content(c); err != nil {
				return err
			}
			state = csvPlain
		}
	}
}

// content writes one byte of a cell, after the separators owed to it; the
// sheet's stream opens at its first content, so empty sheets make none.
func (s *sheetSplitter) content(c byte) error {
	if s.tw == nil {
		s.tw = s.open(s.label())
	}
	for ; s.tabs > 0; s.tabs-- {
		if err := s.tw.WriteByte('\t'); err != nil {
			return err
		}
	}
	s.inRow = true
	if c == '\r' {
		return nil
	}
	return s.tw.WriteByte(c)
}

func (s *sheetSplitter) endRow() error {
	s.tabs = 0
	if !s.inRow {
		return nil
	}
	s.inRow = false
	return s.tw.WriteByte('\n')
}

func (s *sheetSplitter) endSheet() error {
	if err := s.endRow(); err != nil {
		return err
	}
	s.sheet++
	return s.close()
}

func (s *sheetSplitter) close() error {
	if s.tw == nil {
		return nil
	}
	tw := s.tw
	s.tw = nil
	return tw.Close()
}

// label names the current sheet by its name in the workbook when known,
// else by its number.
func (s *sheetSplitter) label() string {
	if i := s.sheet - 1; i < len(s.names) && s.names[i] != "" {
		return "sheet:" + s.names[i]
	}
	return "sheet:" + strconv.Itoa(s.sheet)
}
