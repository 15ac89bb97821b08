package markup

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/leakguard/leakguard/internal/extract/text"
)

// codePage returns the current code page of \'hh bytes: the current
// font's, else the document's.
func (p *rtfParser) codePage() int {
	font := p.g.font
	if font < 0 {
		font = p.deff
	}
	if cp := p.fonts[font]; cp > 0 {
		return cp
	}
	return p.ansicpg
}

// hexByte queues one byte of 8-bit text; consecutive bytes are decoded
// together so that double-byte characters (Shift-JIS, GBK, Big5) stay
// whole.
func (p *rtfParser) hexByte(b byte) {
	if len(p.run) > 0 {
		// The plain text before this byte goes first, unless the byte
		// completes a double-byte character (then the run is empty).
		p.text(string(p.run))
		p.run = p.run[:0]
	}
	cp := p.codePage()
	if len(p.hex) > 0 && cp != p.hexCP {
		p.flushHex()
	}
	p.hexCP = cp
	p.hex = append(p.hex, b)
	if doubleByte(cp) {
		if p.lead {
			p.lead = false
		} else {
			p.lead = b >= 0x81 && b != 0xFF && (cp != 932 || b <= 0x9F || b >= 0xE0)
		}
	}
	if len(p.hex) >= 4096 && !p.lead {
		p.flushHex()
	}
}

// flushHex decodes the queued bytes and sends them on.
func (p *rtfParser) flushHex() {
	s := p.dec.decode(p.hexCP, p.hex)
	p.hex, p.lead = p.hex[:0], false
	p.text(s)
}

func doubleByte(cp int) bool { return cp == 932 || cp == 936 || cp == 949 || cp == 950 }

// charsetCodePage maps a font's \fcharset to its Windows code page; 0 means
// the document's own (\ansicpg).
func charsetCodePage(cs int) int {
	switch cs {
	case 77:
		return 10000
	case 128:
		return 932
	case 129:
		return 949
	case 134:
		return 936
	case 136:
		return 950
	case 161:
		return 1253
	case 162:
		return 1254
	case 163:
		return 1258
	case 177:
		return 1255
	case 178:
		return 1256
	case 186:
		return 1257
	case 204:
		return 1251
	case 222:
		return 874
	case 238:
		return 1250
	case 254:
		return 437
	case 255:
		return 850
	}
	return 0
}

// decoders caches one decoder per code page seen in a document.
type decoders map[int]*encoding.Decoder

func (d *decoders) decode(cp int, b []byte) string {
	enc := codePageEncoding(cp)
	if cm, ok := enc.(*charmap.Charmap); ok {
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = cm.DecodeByte(c)
		}
		return string(r)
	}
	if *d == nil {
		*d = decoders{}
	}
	dec := (*d)[cp]
	if dec == nil {
		dec = enc.NewDecoder()
		(*d)[cp] = dec
	}
	s, err := dec.Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(s)
}

// codePageEncoding returns the encoding of a Windows code page; unknown
// ones read as Windows-1252, the RTF default.
func codePageEncoding(cp int) encoding.Encoding {
	if enc := text.CodePage(cp); enc != nil {
		return enc
	}
	return charmap.Windows1252
}
