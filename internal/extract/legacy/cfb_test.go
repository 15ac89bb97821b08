package legacy

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"
	"unicode/utf16"
)

// compoundFile builds a minimal OLE compound file (version 3, 512-byte
// sectors) holding streams at its root: test fixtures for the helpers and
// the PowerPoint reader. Streams are padded to 4096 bytes so that none
// lives in the mini stream, which keeps the writer small; the formats
// read here ignore what follows their records.
func compoundFile(streams map[string][]byte) []byte {
	const (
		sector     = 512
		endOfChain = 0xFFFFFFFE
		freeSect   = 0xFFFFFFFF
		fatSect    = 0xFFFFFFFD
		noStream   = 0xFFFFFFFF
	)
	names := make([]string, 0, len(streams))
	for name := range streams {
		names = append(names, name)
	}
	// Siblings in directory order: shorter names first, then by
	// upper-case comparison, as the format orders its tree.
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return strings.ToUpper(a) < strings.ToUpper(b)
	})
	data := make([][]byte, len(names))
	dataSectors := 0
	for i, name := range names {
		b := streams[name]
		if len(b) < 4096 {
			b = append(append([]byte{}, b...), make([]byte, 4096-len(b))...)
		}
		data[i] = b
		dataSectors += (len(b) + sector - 1) / sector
	}
	entries := 1 + len(names)
	dirSectors := (entries*128 + sector - 1) / sector
	// FAT sectors needed to map themselves, the directory and the data.
	fatSectors := 1
	for (fatSectors+dirSectors+dataSectors+127)/128 > fatSectors {
		fatSectors++
	}
	total := fatSectors + dirSectors + dataSectors
	fat := make([]uint32, fatSectors*128)
	for i := range fat {
		fat[i] = freeSect
	}
	for i := 0; i < fatSectors; i++ {
		fat[i] = fatSect
	}
	chain := func(start, n int) {
		for i := 0; i < n-1; i++ {
			fat[start+i] = uint32(start + i + 1)
		}
		fat[start+n-1] = endOfChain
	}
	dirStart := fatSectors
	chain(dirStart, dirSectors)
	starts := make([]int, len(names))
	next := dirStart + dirSectors
	for i, b := range data {
		n := (len(b) + sector - 1) / sector
		starts[i] = next
		chain(next, n)
		next += n
	}

	out := make([]byte, sector*(1+total))
	h := out[:sector]
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le16 := func(b []byte, off int, v uint16) { binary.LittleEndian.PutUint16(b[off:], v) }
	le32 := func(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
	le16(h, 0x18, 0x003E)
	le16(h, 0x1A, 0x0003)
	le16(h, 0x1C, 0xFFFE)
	le16(h, 0x1E, 9)
	le16(h, 0x20, 6)
	le32(h, 0x2C, uint32(fatSectors))
	le32(h, 0x30, uint32(dirStart))
	le32(h, 0x38, 0x1000)
	le32(h, 0x3C, endOfChain)
	le32(h, 0x44, endOfChain)
	for i := 0; i < 109; i++ {
		v := uint32(freeSect)
		if i < fatSectors {
			v = uint32(i)
		}
		le32(h, 0x4C+4*i, v)
	}
	at := func(s int) []byte { return out[sector*(1+s) : sector*(2+s)] }
	for i, v := range fat {
		le32(at(i/128), 4*(i%128), v)
	}
	dir := out[sector*(1+dirStart) : sector*(1+dirStart+dirSectors)]
	entry := func(i int, name string, typ byte, child, right uint32, start uint32, size int) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le16(e, 2*k, c)
		}
		le16(e, 0x40, uint16(2*len(u)+2))
		e[0x42], e[0x43] = typ, 1
		le32(e, 0x44, noStream)
		le32(e, 0x48, right)
		le32(e, 0x4C, child)
		le32(e, 0x74, start)
		le32(e, 0x78, uint32(size))
	}
	for i := entries; i < dirSectors*4; i++ {
		e := dir[128*i:]
		le32(e, 0x44, noStream)
		le32(e, 0x48, noStream)
		le32(e, 0x4C, noStream)
	}
	child := uint32(noStream)
	if len(names) > 0 {
		child = 1
	}
	entry(0, "Root Entry", 5, child, noStream, endOfChain, 0)
	for i, name := range names {
		right := uint32(noStream)
		if i+1 < len(names) {
			right = uint32(i + 2)
		}
		entry(i+1, name, 2, noStream, right, uint32(starts[i]), len(data[i]))
		copy(out[sector*(1+starts[i]):], data[i])
	}
	return out
}

// utf16le encodes s as UTF-16, little-endian.
func utf16le(s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&b, binary.LittleEndian, u)
	}
	return b.Bytes()
}
