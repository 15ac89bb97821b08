package legacy

import (
	"encoding/binary"
	"strings"
	"unicode/utf16"
)

// PowerPoint record types ([MS-PPT] 2.13.24) read here.
const (
	rtDocument          = 0x03E8
	rtSlide             = 0x03EE
	rtSlideAtom         = 0x03EF
	rtNotes             = 0x03F0
	rtMainMaster        = 0x03F8
	rtSlidePersistAtom  = 0x03F3
	rtExObjList         = 0x0409
	rtTextCharsAtom     = 0x0FA0
	rtTextBytesAtom     = 0x0FA8
	rtCString           = 0x0FBA
	rtExOleObjAtom      = 0x0FC3
	rtExOleEmbed        = 0x0FCC
	rtExHyperlink       = 0x0FD7
	rtSlideListWithText = 0x0FF0
	rtUserEditAtom      = 0x0FF5
	rtCurrentUserAtom   = 0x0FF6
	rtExOleObjStg       = 0x1011
	rtPersistDirectory  = 0x1772
	rtComment10         = 0x2EE0
)

// Header tokens of the CurrentUserAtom: the second says the document is
// encrypted.
const (
	tokenPlain     = 0xE391C05F
	tokenEncrypted = 0xF3D1C4DF
)

// maxRecDepth bounds the nesting of container records walked.
const maxRecDepth = 64

// record is one PowerPoint record: an 8-byte header (version and instance,
// type, length) and its data.
type record struct {
	ver  uint8  // 0xF for a container
	inst uint16 // the record's instance
	typ  uint16
	off  int // offset of the header in the stream
	data []byte
}

// recordAt reads the record whose header is at off in s; its data is cut
// at the end of s.
func recordAt(s []byte, off int) (record, bool) {
	if off < 0 || off > len(s)-8 {
		return record{}, false
	}
	vi := binary.LittleEndian.Uint16(s[off:])
	n := int64(binary.LittleEndian.Uint32(s[off+4:]))
	end := int64(off+8) + n
	if end > int64(len(s)) {
		end = int64(len(s))
	}
	return record{ver: uint8(vi & 0xF), inst: vi >> 4, typ: binary.LittleEndian.Uint16(s[off+2:]),
		off: off, data: s[off+8 : end]}, true
}

func (r record) container() bool { return r.ver == 0xF }

// children calls fn for each record inside a container's data, in order,
// until fn returns false.
func (r record) children(fn func(record) bool) {
	base := r.off + 8
	for at := 0; at+8 <= len(r.data); {
		c, _ := recordAt(r.data, at)
		c.off = base + at
		if !fn(c) {
			return
		}
		at += 8 + len(c.data)
	}
}

// walk calls fn for r and every record nested in it, depth first, in
// stream order; fn returns whether to descend into a container.
func (r record) walk(fn func(record) bool) {
	r.walkDepth(fn, 0)
}

func (r record) walkDepth(fn func(record) bool, depth int) {
	if !fn(r) || !r.container() || depth >= maxRecDepth {
		return
	}
	r.children(func(c record) bool {
		c.walkDepth(fn, depth+1)
		return true
	})
}

// text returns the text of a text atom or CString, and whether r is one.
func (r record) text() (string, bool) {
	switch r.typ {
	case rtTextCharsAtom, rtCString:
		u := make([]uint16, len(r.data)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(r.data[2*i:])
		}
		return cleanText(string(utf16.Decode(u))), true
	case rtTextBytesAtom:
		// 8-bit text: each byte is the low byte of a UTF-16 character.
		rs := make([]rune, len(r.data))
		for i, b := range r.data {
			rs[i] = rune(b)
		}
		return cleanText(string(rs)), true
	}
	return "", false
}

// cleanText turns PowerPoint's paragraph (CR) and line (VT) breaks into
// newlines and drops other control characters.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r' || r == '\v':
			return '\n'
		case r < 0x20 && r != '\t' && r != '\n':
			return -1
		}
		return r
	}, strings.TrimRight(s, "\x00"))
}

func u32(b []byte, off int) uint32 {
	if off < 0 || off+4 > len(b) {
		return 0
	}
	return binary.LittleEndian.Uint32(b[off:])
}
