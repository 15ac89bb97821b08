package markup

import (
	"errors"
	"io"
)

// maxWord is the longest control word kept; the RTF specification allows
// 32 letters, longer runs are read and cut.
const maxWord = 32

// control reads what follows a backslash: a control word with its
// optional numeric parameter, or a control symbol.
func (p *rtfParser) control() error {
	c, err := p.r.ReadByte()
	if err != nil {
		return nil // a backslash at the end: nothing follows
	}
	if !isLetter(c) {
		return p.symbol(c)
	}
	var buf [maxWord]byte
	word := buf[:0]
	for {
		if len(word) < maxWord {
			word = append(word, c)
		}
		if c, err = p.r.ReadByte(); err != nil || !isLetter(c) {
			break
		}
	}
	param, hasParam := 0, false
	if err == nil {
		neg := c == '-'
		if neg {
			c, err = p.r.ReadByte()
		}
		for digits := 0; err == nil && c >= '0' && c <= '9'; digits++ {
			if digits < 10 {
				param = param*10 + int(c-'0')
			}
			hasParam = true
			c, err = p.r.ReadByte()
		}
		if neg {
			param = -param
		}
		// The delimiter: a space belongs to the control word, anything
		// else is read again.
		if err == nil && c != ' ' {
			p.r.UnreadByte()
		}
	}
	return p.word(string(word), param, hasParam)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// symbol handles a control symbol: a backslash and one non-letter.
func (p *rtfParser) symbol(c byte) error {
	if c == '*' {
		p.g.star = true
		return nil
	}
	if p.skip > 0 {
		p.skip--
		if c == '\'' {
			p.readHex()
		}
		return nil
	}
	switch c {
	case '\'':
		if b, ok := p.readHex(); ok {
			p.escapedByte(b)
		}
	case '\\', '{', '}':
		p.char(c)
	case '~':
		p.literal(" ")
	case '_':
		p.literal("-")
	case '\n', '\r':
		p.sep('\n')
	case '\t':
		p.sep('\t')
	}
	// \- (optional hyphen), \: (index subentry), \| (formula): nothing
	return nil
}

// readHex reads the two hex digits of \'hh.
func (p *rtfParser) readHex() (byte, bool) {
	var v byte
	for i := 0; i < 2; i++ {
		c, err := p.r.ReadByte()
		if err != nil {
			return 0, false
		}
		d, ok := hexDigit(c)
		if !ok {
			p.r.UnreadByte()
			return 0, false
		}
		v = v<<4 | d
	}
	return v, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// escapedByte handles the byte of a \'hh escape.
func (p *rtfParser) escapedByte(b byte) {
	switch p.g.dest {
	case dText, dNote, dField, dAside:
		p.hexByte(b)
	case dObjData:
		// \'hh in object data is rare but means the byte itself.
		p.objByte(b)
	}
}

// literal writes text that a control word stands for.
func (p *rtfParser) literal(s string) {
	switch p.g.dest {
	case dText, dNote, dField, dAside:
		p.flush()
		p.text(s)
	}
}

// word handles one control word.
func (p *rtfParser) word(w string, param int, hasParam bool) error {
	if w == "bin" {
		return p.bin(param)
	}
	if p.skip > 0 {
		p.skip--
		return nil
	}
	star := p.g.star
	p.g.star = false
	switch p.g.dest {
	case dSkip, dObjClass:
		return nil
	case dObjData:
		return nil
	case dFontTable:
		p.fontWord(w, param, star)
		return nil
	case dInfo:
		if isInfoField(w) {
			p.setDest(dField)
			p.g.field = w
		} else if star {
			p.setDest(dSkip)
		}
		return nil
	}
	if d, ok := destination(w); ok {
		p.setDest(d)
		return nil
	}
	if star {
		// An optional destination this reader does not know.
		p.setDest(dSkip)
		return nil
	}
	switch w {
	case "par", "line", "sect", "page", "row", "nestrow", "column", "softline", "lbr":
		p.sep('\n')
	case "tab", "cell", "nestcell":
		p.sep('\t')
	case "u":
		p.unicode(param)
	case "uc":
		if hasParam && param >= 0 && param <= 16 {
			p.g.uc = param
		}
	case "f":
		p.flush()
		p.g.font = param
	case "deff":
		p.deff = param
	case "ansicpg":
		p.flush()
		if param > 0 {
			p.ansicpg = param
		}
	case "mac":
		p.ansicpg = 10000
	case "pc":
		p.ansicpg = 437
	case "pca":
		p.ansicpg = 850
	case "emdash":
		p.literal("\u2014")
	case "endash":
		p.literal("\u2013")
	case "bullet":
		p.literal("\u2022")
	case "lquote", "rquote":
		p.literal("'")
	case "ldblquote", "rdblquote":
		p.literal("\"")
	case "emspace", "enspace", "qmspace":
		p.literal(" ")
	case "object":
		p.objClass, p.objBig = "", false
	}
	return nil
}

// setDest switches the current group to d, after sending the text that
// belongs to the old destination.
func (p *rtfParser) setDest(d dest) {
	p.flush()
	switch {
	case d == dObjData && p.g.dest != dObjData:
		p.obj, p.nibble, p.objBig = p.obj[:0], -1, false
	case d == dObjClass:
		p.objClass = ""
	case d == dField || d == dAside && p.g.dest != dAside:
		p.collect = p.collect[:0]
	case d == dNote && p.g.dest != dNote:
		p.lw.newline()
	}
	p.g.dest = d
}

// destination maps the control words that start a destination to it.
func destination(w string) (dest, bool) {
	switch w {
	case "fonttbl":
		return dFontTable, true
	case "info":
		return dInfo, true
	case "fldinst":
		return dAside, true
	case "objdata":
		return dObjData, true
	case "objclass":
		return dObjClass, true
	case "footnote", "annotation":
		return dNote, true
	case "fldrslt", "result", "shptxt", "header", "headerl", "headerr", "headerf", "footer",
		"footerl", "footerr", "footerf", "field", "shprslt":
		return dText, true
	case "colortbl", "stylesheet", "listtable", "listoverridetable", "revtbl", "rsidtbl", "filetbl",
		"pict", "themedata", "colorschememapping", "datastore", "latentstyles", "xmlnstbl", "generator",
		"pgdsctbl", "sn", "sv", "bkmkstart", "bkmkend", "atnid", "atnref", "atndate", "atnparent",
		"fontemb", "fontfile", "nonshppict", "blipuid", "mmathPr", "listpicture", "pn", "pntxta",
		"pntxtb", "ftnsep", "ftnsepc", "aftnsep", "aftnsepc", "objalias", "objsect", "objname",
		"protusertbl", "wgrffmtfilter", "passwordhash", "htmltag", "mhtmltag", "template",
		"xform", "panose", "falt", "fname", "userprops", "docvar", "ud", "upr", "listname",
		"defchp", "defpap", "tc", "xe", "txe", "rxe", "bxe", "ixe", "pxe", "private", "oldcprops",
		"oldpprops", "oldsprops", "oldtprops", "shpgrp", "picprop", "pgptbl", "wbitmap", "wmetafile":
		return dSkip, true
	}
	return 0, false
}

// isInfoField reports whether an \info sub-destination is a text property.
func isInfoField(w string) bool {
	switch w {
	case "title", "subject", "author", "keywords", "comment", "doccomm", "operator", "manager",
		"company", "category", "hlinkbase":
		return true
	}
	return false
}

// fontWord reads a control word of the font table.
func (p *rtfParser) fontWord(w string, param int, star bool) {
	switch w {
	case "f":
		p.fontDef = param
	case "fcharset":
		if cp := charsetCodePage(param); p.fontDef >= 0 && len(p.fonts) < 4096 {
			p.fonts[p.fontDef] = cp
		}
	case "cpg":
		if p.fontDef >= 0 && len(p.fonts) < 4096 {
			p.fonts[p.fontDef] = param
		}
	default:
		if star {
			p.setDest(dSkip)
		}
	}
}

// bin skips the n raw bytes that follow \binN, or keeps them as object data.
func (p *rtfParser) bin(n int) error {
	if n <= 0 {
		return nil
	}
	if p.g.dest == dObjData {
		for ; n > 0; n-- {
			c, err := p.r.ReadByte()
			if err != nil {
				return nil
			}
			p.objByte(c)
		}
		return nil
	}
	_, err := io.CopyN(io.Discard, p.r, int64(n))
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// unicode writes the character of \uN and arms the skipping of its
// fallback.
func (p *rtfParser) unicode(n int) {
	p.skip = p.g.uc
	if n < 0 {
		n += 65536
	}
	r := rune(n)
	switch {
	case r >= 0xD800 && r < 0xDC00:
		p.high = r
		return
	case r >= 0xDC00 && r < 0xE000:
		if p.high == 0 {
			return
		}
		r = 0x10000 + (p.high-0xD800)<<10 + (r - 0xDC00)
	case r > 0x10FFFF || r < 0:
		return
	}
	p.high = 0
	switch p.g.dest {
	case dText, dNote, dField, dAside:
		p.flush()
		p.text(string(r))
	}
}
