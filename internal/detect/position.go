package detect

import "bytes"

// position tracks line and column across chunks without keeping old text:
// at stream offset at, the text is on line `line`, `col` characters after the
// line's start. Offsets passed to advance only grow.
type position struct {
	at   int64
	line int
	col  int
}

// advance moves the tracker to stream offset to; buf holds the text from
// stream offset base on and must cover [p.at, to).
func (p *position) advance(buf []byte, base, to int64) {
	if to <= p.at {
		return
	}
	seg := buf[p.at-base : to-base]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		p.line += n
		seg = seg[bytes.LastIndexByte(seg, '\n')+1:]
		p.col = 0
	}
	p.col += chars(seg)
	p.at = to
}

// after returns the line and 1-based column reached from p by the text seg
// (a span that starts at p.at), without moving p.
func (p position) after(seg []byte) (line, col int) {
	line, col = p.line, p.col
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		line += n
		seg = seg[bytes.LastIndexByte(seg, '\n')+1:]
		col = 0
	}
	return line, col + chars(seg) + 1
}

// chars counts characters as the bytes that start one (everything but UTF-8
// continuation bytes), so that a count split at any byte adds up to the
// count of the whole.
func chars(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}
