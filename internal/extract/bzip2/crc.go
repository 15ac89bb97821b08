package bzip2

import "encoding/binary"

// bzip2 checks each block with the CRC-32 of polynomial 0x04c11db7 taken
// most significant bit first (the reverse of hash/crc32's IEEE order), so
// hash/crc32 cannot serve. crcTables holds slicing-by-8 tables: eight
// bytes a step, where a byte at a time cost the standard library's
// decoder a tenth of its time.
var crcTables = func() (t [8][256]uint32) {
	for i := range 256 {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04c11db7
			} else {
				c <<= 1
			}
		}
		t[0][i] = c
	}
	for i := range 256 {
		for k := 1; k < 8; k++ {
			c := t[k-1][i]
			t[k][i] = c<<8 ^ t[0][c>>24]
		}
	}
	return t
}()

// crcUpdate returns crc (not inverted) updated with p.
func crcUpdate(crc uint32, p []byte) uint32 {
	t := &crcTables
	for len(p) >= 8 {
		a := crc ^ binary.BigEndian.Uint32(p)
		b := binary.BigEndian.Uint32(p[4:])
		crc = t[7][a>>24] ^ t[6][a>>16&0xff] ^ t[5][a>>8&0xff] ^ t[4][a&0xff] ^
			t[3][b>>24] ^ t[2][b>>16&0xff] ^ t[1][b>>8&0xff] ^ t[0][b&0xff]
		p = p[8:]
	}
	for _, b := range p {
		crc = crc<<8 ^ t[0][byte(crc>>24)^b]
	}
	return crc
}
