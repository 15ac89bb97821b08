package mail

import (
	"golang.org/x/text/encoding"

	"github.com/leakguard/leakguard/internal/extract/text"
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
			if enc := text.CodePage(int(cp)); enc != nil {
				return enc
			}
		}
	}
	return nil
}
