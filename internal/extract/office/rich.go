package office

import (
	"encoding/xml"
	"io"
)

// frame is one open element of a walker: its local name and the sink's
// write count when it opened, which tells at its end whether it had text.
type frame struct {
	local string
	n     int
}

type frames []frame

func (f frames) top() string {
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1].local
}

// pop removes the innermost frame (RawToken does not check that tags
// match, so a stray end tag must not underflow).
func (f *frames) pop() frame {
	if len(*f) == 0 {
		return frame{}
	}
	fr := (*f)[len(*f)-1]
	*f = (*f)[:len(*f)-1]
	return fr
}

// walkRich writes the text of a WordprocessingML part (document body,
// header, footer, footnotes, comments) or a DrawingML one (slide, notes,
// drawing, diagram data) in reading order:
//
//   - a paragraph (w:p, a:p) that had text ends with a newline;
//   - a table cell (w:tc, a:tc) ends with a tab, a row (w:tr, a:tr) with
//     a newline;
//   - text is w:t, a:t, tracked deletions (w:delText), field instructions
//     (w:instrText, set apart by spaces: they hold link targets and file
//     paths) and legacy comment text (p:text);
//   - w:tab and w:br/w:cr inside a run are a tab and a newline (w:tab
//     elsewhere is a tab stop definition);
//   - mc:Fallback repeats mc:Choice in an older form and ruby text (w:rt)
//     annotates the base text: both are skipped so text is not doubled.
func walkRich(r io.Reader, s *sink, t *ticker) error {
	d := newDecoder(r)
	var st frames
	var skip skipper
	for {
		tok, err := d.RawToken()
		if err != nil {
			return partError(err)
		}
		if err := t.tick(); err != nil {
			return err
		}
		if s.err != nil {
			return nil
		}
		if skip.feed(tok) {
			continue
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "Fallback", "rt":
				skip.start()
				continue
			case "tab", "ptab":
				if st.top() == "r" {
					s.sep('\t')
				}
			case "br", "cr":
				s.sep('\n')
			case "noBreakHyphen":
				if st.top() == "r" {
					s.str("-")
				}
			case "instrText":
				s.sep(' ')
			}
			if len(st) >= maxDepth {
				return errDepth
			}
			st = append(st, frame{e.Name.Local, s.count()})
		case xml.EndElement:
			f := st.pop()
			switch f.local {
			case "p":
				if s.count() != f.n {
					s.sep('\n')
				}
			case "tc":
				if s.count() != f.n {
					s.setSep('\t')
				} else {
					s.sep('\t')
				}
			case "tr":
				s.sep('\n')
			case "instrText":
				s.sep(' ')
			}
		case xml.CharData:
			switch st.top() {
			case "t", "delText", "instrText", "text":
				s.text(e)
			}
		}
	}
}
