package mail

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// MAPI properties that name the code page of a message's 8-bit strings.
const (
	prInternetCPID = 0x3FDE
	prMessageCPID  = 0x3FFD
)

// codepage returns the encoding of a storage's 8-bit string properties,
// or nil when it states none (the caller then reads them as UTF-8 with a
// Windows-1252 fallback).
func codepage(s *storage) encoding.Encoding {
	for _, id := range []uint16{prInternetCPID, prMessageCPID} {
		if cp, ok := s.long(id); ok {
			if enc := windowsCodepage(int(cp)); enc != nil {
				return enc
			}
		}
	}
	return nil
}

// windowsCodepage maps a Windows code page number to its encoding, for the
// code pages Outlook writes.
func windowsCodepage(cp int) encoding.Encoding {
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
