package media

import (
	"encoding/binary"
	"hash/crc32"
)

// putCRC rewrites the last 4 bytes of b as the checksum of the rest.
func putCRC(b []byte) {
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], crc32.MakeTable(crc32.Castagnoli)))
}
