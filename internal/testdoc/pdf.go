package testdoc

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Page layout: US Letter with one-inch margins, 11-point Helvetica on a
// 14-point leading.
const (
	pageW, pageH = 612, 792
	margin       = 72
	fontSize     = 11
	leading      = 14
	lineWidth    = pageW - 2*margin             // points
	pageLines    = (pageH - 2*margin) / leading // lines a page holds
	maxUnits     = lineWidth * 1000 / fontSize  // a line's width in glyph units (1/1000 em)
	helvDefault  = 556                          // width of a glyph not in the table below
	topBaseline  = pageH - margin - fontSize    // first line's baseline
)

// helvWidths are Helvetica's advance widths (1/1000 em) for the printable
// ASCII characters, from the font's published metrics; wrapping by them
// keeps lines inside the margins without embedding or measuring a font.
var helvWidths = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
}

func glyphWidth(r rune) int {
	if r >= ' ' && r <= '~' {
		return int(helvWidths[r-' '])
	}
	return helvDefault
}

// PDF returns a PDF showing paras as wrapped paragraphs, a blank line
// apart, on as many pages as they need. Characters outside WinAnsi (the
// Windows-1252 repertoire) are shown as '?'.
func PDF(paras []string) []byte {
	var lines []string
	for i, p := range paras {
		if i > 0 {
			lines = append(lines, "")
		}
		for _, l := range strings.Split(p, "\n") {
			lines = append(lines, wrap(l)...)
		}
	}
	var b Builder
	catalog, pages := b.Reserve(), b.Reserve()
	font := b.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids []string
	for len(lines) > 0 || len(kids) == 0 { // an empty text still has a page
		n := min(len(lines), pageLines)
		content := b.Add(Stream("", pageContent(lines[:n])))
		lines = lines[n:]
		kids = append(kids, fmt.Sprintf("%d 0 R", b.Add(fmt.Sprintf(
			"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
			pages, pageW, pageH, font, content))))
	}
	b.Set(pages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids)))
	b.Set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pages))
	return b.Bytes(catalog)
}

// wrap breaks a line at spaces so that each piece fits the line width; a
// word wider than a line is cut where it overflows.
func wrap(line string) []string {
	words := strings.Fields(line)
	if len(words) == 0 {
		return []string{""}
	}
	var out []string
	var cur strings.Builder
	width := 0
	space := glyphWidth(' ')
	for _, w := range words {
		ww := 0
		for _, r := range w {
			ww += glyphWidth(r)
		}
		if cur.Len() > 0 && width+space+ww <= maxUnits {
			cur.WriteByte(' ')
			cur.WriteString(w)
			width += space + ww
			continue
		}
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
		for ww > maxUnits { // too long for any line: cut it
			cut, cw := 0, 0
			for i, r := range w {
				if cw+glyphWidth(r) > maxUnits {
					cut = i
					break
				}
				cw += glyphWidth(r)
			}
			out = append(out, w[:cut])
			w = w[cut:]
			ww -= cw
		}
		cur.WriteString(w)
		width = ww
	}
	return append(out, cur.String())
}

// pageContent is a content stream showing lines from the top of a page.
func pageContent(lines []string) []byte {
	var c strings.Builder
	fmt.Fprintf(&c, "BT /F1 %d Tf %d TL %d %d Td\n", fontSize, leading, margin, topBaseline)
	for _, l := range lines {
		if l != "" {
			c.WriteString("(")
			c.Write(winAnsi(l))
			c.WriteString(") Tj ")
		}
		c.WriteString("T*\n")
	}
	c.WriteString("ET")
	return []byte(c.String())
}

// winAnsi encodes s as the bytes of a PDF literal string in
// WinAnsiEncoding, escaping what the string syntax needs.
func winAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		b, ok := charmap.Windows1252.EncodeRune(r)
		if !ok || r == utf8.RuneError {
			b = '?'
		}
		switch b {
		case '\\', '(', ')':
			out = append(out, '\\', b)
		case '\r':
			out = append(out, '\\', 'r')
		default:
			out = append(out, b)
		}
	}
	return out
}
