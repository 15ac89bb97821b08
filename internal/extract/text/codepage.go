package text

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// CodePage returns the encoding of a Windows code page number, as Office
// documents, RTF and Outlook messages name the encoding of their 8-bit
// text, or nil for a code page it does not know. One table serves every
// extractor so that they all read the same bytes the same way.
func CodePage(cp int) encoding.Encoding {
	if cp >= 1250 && cp <= 1258 {
		return []encoding.Encoding{charmap.Windows1250, charmap.Windows1251, charmap.Windows1252,
			charmap.Windows1253, charmap.Windows1254, charmap.Windows1255, charmap.Windows1256,
			charmap.Windows1257, charmap.Windows1258}[cp-1250]
	}
	if cp >= 28591 && cp <= 28599 {
		return []encoding.Encoding{charmap.ISO8859_1, charmap.ISO8859_2, charmap.ISO8859_3,
			charmap.ISO8859_4, charmap.ISO8859_5, charmap.ISO8859_6, charmap.ISO8859_7,
			charmap.ISO8859_8, charmap.ISO8859_9}[cp-28591]
	}
	switch cp {
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 852:
		return charmap.CodePage852
	case 855:
		return charmap.CodePage855
	case 858:
		return charmap.CodePage858
	case 860:
		return charmap.CodePage860
	case 862:
		return charmap.CodePage862
	case 863:
		return charmap.CodePage863
	case 865:
		return charmap.CodePage865
	case 866:
		return charmap.CodePage866
	case 874:
		return charmap.Windows874
	case 932:
		return japanese.ShiftJIS
	case 936:
		return simplifiedchinese.GBK
	case 949:
		return korean.EUCKR
	case 950:
		return traditionalchinese.Big5
	case 10000:
		return charmap.Macintosh
	case 10007:
		return charmap.MacintoshCyrillic
	case 20866:
		return charmap.KOI8R
	case 21866:
		return charmap.KOI8U
	case 28605:
		return charmap.ISO8859_15
	case 50220, 50221, 50222:
		return japanese.ISO2022JP
	case 51932:
		return japanese.EUCJP
	case 54936:
		return simplifiedchinese.GB18030
	case 65001:
		return unicode.UTF8
	}
	return nil
}
