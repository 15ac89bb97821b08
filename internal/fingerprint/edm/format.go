package edm

import (
	"encoding/binary"
	"time"
)

// On disk a registered set is a directory with two files:
//
//	meta.json        the set's name, columns (headers and kinds, never
//	                 values), row count, salt, a key check and what the
//	                 matcher must look for (which classes, which lengths)
//	edm-<salt>.idx   the index, little-endian:
//	  header         64 bytes, see below
//	  rows           rows × columns uint32: each cell's fingerprint (the low
//	                 32 bits of its keyed hash; 0 for an empty cell)
//	  directory      2^dirBits+1 uint32: where each bucket of keys starts
//	  keys           entries × uint32: low 32 bits of the primary values'
//	                 keyed hashes, grouped by bucket (their top dirBits bits)
//	  postings       entries × uint32: row<<colBits | column
//
// A primary value is found in two memory reads (directory, then its bucket
// of one or two keys); its row's other cells are then one slice of the
// row table. Both tables are memory-mapped, so opening costs nothing and
// workers share the pages.
const (
	metaFile   = "meta.json"
	formatV1   = 1
	headerSize = 64
)

var magic = [8]byte{'L', 'G', 'E', 'D', 'M', 0, 0, 1}

type header struct {
	rows     uint64
	ncols    uint32
	colBits  uint32
	dirBits  uint32
	entries  uint64
	dirOff   uint64
	keysOff  uint64
	postsOff uint64
}

func (h header) encode() []byte {
	b := make([]byte, headerSize)
	copy(b, magic[:])
	le := binary.LittleEndian
	le.PutUint64(b[8:], h.rows)
	le.PutUint32(b[16:], h.ncols)
	le.PutUint32(b[20:], h.colBits)
	le.PutUint32(b[24:], h.dirBits)
	le.PutUint64(b[32:], h.entries)
	le.PutUint64(b[40:], h.dirOff)
	le.PutUint64(b[48:], h.keysOff)
	le.PutUint64(b[56:], h.postsOff)
	return b
}

func decodeHeader(b []byte) (header, bool) {
	if len(b) < headerSize || [8]byte(b[:8]) != magic {
		return header{}, false
	}
	le := binary.LittleEndian
	return header{
		rows: le.Uint64(b[8:]), ncols: le.Uint32(b[16:]), colBits: le.Uint32(b[20:]),
		dirBits: le.Uint32(b[24:]), entries: le.Uint64(b[32:]), dirOff: le.Uint64(b[40:]),
		keysOff: le.Uint64(b[48:]), postsOff: le.Uint64(b[56:]),
	}, true
}

// Meta describes a registered set; it is the content of meta.json.
type Meta struct {
	Format   int           `json:"format"`
	Name     string        `json:"name"`
	Created  time.Time     `json:"created"`
	Columns  []Column      `json:"columns"` // the registered columns, in index order
	Rows     int64         `json:"rows"`
	File     string        `json:"file"`
	Salt     string        `json:"salt"`
	KeyCheck string        `json:"key_check"`
	Scan     ScanInfo      `json:"scan"`
	Stats    []ColumnStats `json:"column_stats"`
}

// ScanInfo says what a matcher looks for: the value classes and digit
// lengths present among the primary columns (looked up everywhere) and
// among all columns (looked for near a primary value).
type ScanInfo struct {
	Want             want   `json:"want"`
	Lens             uint64 `json:"lens"`
	PhoneLens        uint64 `json:"phone_lens"`
	MaxWords         int    `json:"max_words"`
	PrimaryWant      want   `json:"primary_want"`
	PrimaryLens      uint64 `json:"primary_lens"`
	PrimaryPhoneLens uint64 `json:"primary_phone_lens"`
	PrimaryMaxWords  int    `json:"primary_max_words"`
}

// ColumnStats counts a column's registered and unusable (empty or
// unparseable) values.
type ColumnStats struct {
	Name    string `json:"name"`
	Values  int64  `json:"values"`
	Skipped int64  `json:"skipped"`
}
