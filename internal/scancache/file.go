package scancache

import (
	"github.com/leakguard/leakguard/internal/cursor"

	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// The file layout (format 3):
//
//	magic
//	uvarint format, uvarint length + bytes of the digest
//	records, each: uvarint length n > 0, CRC-32C of the record (4 bytes,
//	  little-endian), the record's n bytes
//	uvarint 0: the end
//
// A record is self-contained, so that Save can copy one verbatim into the
// next file: a head read before anything else (uvarint length + bytes of
// the path, varint size, varint modification time in ns, the identity and
// the content hash as length + bytes), a table of the record's strings
// (uvarint count, the count's lengths as uvarints, then their bytes one
// after another), then the findings, the item errors and the stats, whose
// strings are uvarint places in the table (see encoder). A path may come
// more than once; the last record of a path is the one that counts.
const (
	magic  = "LEAKGUARD-SCANCACHE\n"
	format = 3 // 2: JSON lines with content hashes; 3: binary records
)

// oldFormat is how the JSON files of formats 1 and 2 began: a cache to
// start over, not a damaged one.
const oldFormat = `{"format":`

// span is where a record's frame (length, checksum, record) lies in the
// file; no pointers, so that the index of a large cache is not something
// the garbage collector scans.
type span struct{ start, end int }

// appendHeader appends the file's header for a digest.
func appendHeader(b []byte, digest string) []byte {
	b = append(b, magic...)
	b = binary.AppendUvarint(b, format)
	return appendString(b, digest)
}

// parse indexes the records of a cache file: each path's last record, by
// its place in frames. current is false (and nothing indexed) for a file
// of another format or digest, or an empty one; err tells a file that is
// not a cache, or one damaged or cut short. Every record's checksum is
// checked: reading a file this way touches all of its pages anyway.
func parse(data []byte, digest string) (paths map[string]int, frames []span, current bool, err error) {
	switch {
	case len(data) == 0, bytes.HasPrefix(data, []byte(oldFormat)):
		return nil, nil, false, nil
	case len(data) < len(magic) && bytes.HasPrefix([]byte(magic), data):
		return nil, nil, false, errors.New("cut short in its header")
	case !bytes.HasPrefix(data, []byte(magic)):
		return nil, nil, false, errors.New("not a scan cache")
	}
	d := decoder{Reader: cursor.New(data[len(magic):])}
	f := d.Uvarint()
	if !d.Failed() && f != format {
		return nil, nil, false, nil
	}
	dg := d.str()
	if d.Failed() {
		return nil, nil, false, errors.New("cut short in its header")
	}
	if string(dg) != digest {
		return nil, nil, false, nil
	}
	tab := crc32.MakeTable(crc32.Castagnoli)
	paths = map[string]int{}
	for pos := len(data) - d.Left(); ; {
		start := pos
		n, k := binary.Uvarint(data[pos:])
		if k <= 0 {
			return nil, nil, false, fmt.Errorf("cut short or damaged at byte %d", pos)
		}
		pos += k
		if n == 0 {
			if pos != len(data) {
				return nil, nil, false, fmt.Errorf("%d bytes after its end", len(data)-pos)
			}
			return paths, frames, true, nil
		}
		if left := len(data) - pos; left < 4 || n > uint64(left-4) {
			return nil, nil, false, fmt.Errorf("cut short in the record at byte %d", start)
		}
		sum := binary.LittleEndian.Uint32(data[pos:])
		rec := data[pos+4 : pos+4+int(n)]
		if crc32.Checksum(rec, tab) != sum {
			return nil, nil, false, fmt.Errorf("the record at byte %d is damaged", start)
		}
		pd := decoder{Reader: cursor.New(rec)}
		p := pd.str()
		if pd.Failed() {
			return nil, nil, false, fmt.Errorf("the record at byte %d is damaged", start)
		}
		pos += 4 + int(n)
		paths[string(p)] = len(frames)
		frames = append(frames, span{start, pos})
	}
}

// record returns the record of a frame, past its length and checksum.
func record(frame []byte) []byte {
	_, k := binary.Uvarint(frame)
	return frame[k+4:]
}
