package mail

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxRTF bounds a decompressed RTF body: a message body, not a book.
const maxRTF = 64 << 20

// rtfDictionary is the text every compressed RTF stream's dictionary
// starts with (MS-OXRTFCP): 207 bytes of common RTF.
const rtfDictionary = `{\rtf1\ansi\mac\deff0\deftab720{\fonttbl;}{\f0\fnil \froman \fswiss \fmodern \fscript \fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\colortbl\red0\green0\blue0` +
	"\r\n" + `\par \pard\plain\f0\fs20\b\i\u\tab\tx`

// decompressRTF expands an Outlook compressed RTF body (PR_RTF_COMPRESSED):
// a 16-byte header (sizes, "LZFu" or "MELA", a CRC) and LZ77 runs against a
// 4 KiB ring dictionary, 8 items per flag byte, least significant bit
// first: a 0 bit is a literal byte, a 1 bit a big-endian 12-bit dictionary
// offset and 4-bit length (plus 2); a reference to the write position ends
// the stream.
func decompressRTF(r io.Reader) ([]byte, error) {
	var hdr [16]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("compressed RTF: %w", err)
	}
	rawSize := binary.LittleEndian.Uint32(hdr[4:])
	if rawSize > maxRTF {
		return nil, fmt.Errorf("compressed RTF declares %d bytes: more than %d", rawSize, maxRTF)
	}
	switch string(hdr[8:12]) {
	case "MELA": // stored
		b, err := io.ReadAll(io.LimitReader(r, int64(rawSize)))
		return b, err
	case "LZFu":
	default:
		return nil, errors.New("compressed RTF: unknown compression")
	}
	in, err := io.ReadAll(io.LimitReader(r, maxRTF))
	if err != nil {
		return nil, err
	}
	var dict [4096]byte
	copy(dict[:], rtfDictionary)
	pos := len(rtfDictionary)
	out := make([]byte, 0, min(int(rawSize), 1<<20))
	for i := 0; i < len(in); {
		flags := in[i]
		i++
		for bit := 0; bit < 8 && i < len(in); bit++ {
			if flags&(1<<bit) == 0 {
				dict[pos] = in[i]
				pos = (pos + 1) & 4095
				out = append(out, in[i])
				i++
				continue
			}
			if i+1 >= len(in) {
				return out, nil
			}
			ref := int(in[i])<<8 | int(in[i+1])
			i += 2
			off, n := ref>>4, ref&15+2
			if off == pos {
				return out, nil
			}
			for k := 0; k < n; k++ {
				c := dict[(off+k)&4095]
				dict[pos] = c
				pos = (pos + 1) & 4095
				out = append(out, c)
			}
			if len(out) > maxRTF {
				return nil, fmt.Errorf("compressed RTF expands past %d bytes", maxRTF)
			}
		}
	}
	return out, nil
}
