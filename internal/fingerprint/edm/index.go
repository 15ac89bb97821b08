package edm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"unsafe"

	"github.com/leakguard/leakguard/internal/keyed"
)

// Index is an opened record set. It is read-only and safe for concurrent
// use by any number of Matchers.
type Index struct {
	meta     Meta
	setKey   []byte
	phone    []bool // per column: phone numbers, which variants may match
	data     []byte
	unmap    func() error
	rows     []uint32
	dir      []uint32
	keys     []uint32
	posts    []uint32
	ncols    int
	colBits  uint
	colMask  uint32
	dirShift uint
}

// Open opens the set registered in dir. It fails if the set was
// registered under another installation key.
func Open(dir string, h *keyed.Hasher) (*Index, error) {
	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	if m.Format != formatV1 {
		return nil, fmt.Errorf("edm: %s: format %d, want %d", dir, m.Format, formatV1)
	}
	key, err := deriveSetKey(h, m.Salt)
	if err != nil {
		return nil, err
	}
	if keyCheck(key) != m.KeyCheck {
		return nil, fmt.Errorf("edm: set %q was registered with another installation key", m.Name)
	}
	if filepath.Base(m.File) != m.File {
		return nil, fmt.Errorf("edm: %s: bad index file name %q", dir, m.File)
	}
	data, unmap, err := mapFile(filepath.Join(dir, m.File))
	if err != nil {
		return nil, err
	}
	ix := &Index{meta: *m, setKey: key, data: data, unmap: unmap}
	if err := ix.parse(); err != nil {
		unmap()
		return nil, fmt.Errorf("edm: %s: %w", filepath.Join(dir, m.File), err)
	}
	for _, c := range m.Columns {
		ix.phone = append(ix.phone, c.Kind == KindPhone)
	}
	return ix, nil
}

func (ix *Index) parse() error {
	h, ok := decodeHeader(ix.data)
	if !ok {
		return errors.New("not an edm index")
	}
	n := uint64(len(ix.data))
	if h.rows != uint64(ix.meta.Rows) || int(h.ncols) != len(ix.meta.Columns) || h.dirBits > 31 || h.colBits > 16 {
		return errors.New("header does not match meta.json")
	}
	rowsEnd := headerSize + h.rows*uint64(h.ncols)*4
	dirLen := uint64(1)<<h.dirBits + 1
	if rowsEnd > h.dirOff || h.dirOff%4 != 0 || h.dirOff+dirLen*4 > h.keysOff ||
		h.keysOff+h.entries*4 > h.postsOff || h.postsOff+h.entries*4 > n {
		return errors.New("truncated or corrupt index")
	}
	ix.rows = u32s(ix.data, headerSize, h.rows*uint64(h.ncols))
	ix.dir = u32s(ix.data, h.dirOff, dirLen)
	ix.keys = u32s(ix.data, h.keysOff, h.entries)
	ix.posts = u32s(ix.data, h.postsOff, h.entries)
	if ix.dir[dirLen-1] != uint32(h.entries) {
		return errors.New("corrupt directory")
	}
	ix.ncols, ix.colBits = int(h.ncols), uint(h.colBits)
	ix.colMask = 1<<h.colBits - 1
	ix.dirShift = 64 - uint(h.dirBits)
	return nil
}

// u32s views n little-endian uint32 at off as a slice: in place on a
// little-endian machine (the mapping is page-aligned, off 4-aligned), as a
// decoded copy elsewhere.
func u32s(b []byte, off, n uint64) []uint32 {
	if n == 0 {
		return nil
	}
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
		return unsafe.Slice((*uint32)(unsafe.Pointer(&b[off])), n)
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[off+uint64(i)*4:])
	}
	return out
}

// Close releases the mapping. No Matcher of the index may run after it.
func (ix *Index) Close() error {
	ix.rows, ix.dir, ix.keys, ix.posts = nil, nil, nil, nil
	if ix.unmap == nil {
		return nil
	}
	err := ix.unmap()
	ix.unmap = nil
	return err
}

// Name is the set's name.
func (ix *Index) Name() string { return ix.meta.Name }

// Meta returns the set's metadata.
func (ix *Index) Meta() Meta { return ix.meta }

// lookup appends the postings of a primary value's keyed hash. Postings
// are checked here rather than at Open, which touches no page it need not.
func (ix *Index) lookup(key uint64, dst []uint32) []uint32 {
	b := key >> ix.dirShift
	lo := uint32(key)
	end := min(int(ix.dir[b+1]), len(ix.keys))
	for k := int(ix.dir[b]); k < end; k++ {
		if p := ix.posts[k]; ix.keys[k] == lo && int(p>>ix.colBits) < len(ix.rows)/ix.ncols && int(p&ix.colMask) < ix.ncols {
			dst = append(dst, p)
		}
	}
	return dst
}

// row returns a row's cell fingerprints.
func (ix *Index) row(r uint32) []uint32 {
	i := int(r) * ix.ncols
	return ix.rows[i : i+ix.ncols]
}

// ReadMeta reads a registered set's metadata without its key, for listing.
func ReadMeta(dir string) (Meta, error) {
	m, err := readMeta(dir)
	if err != nil {
		return Meta{}, err
	}
	return *m, nil
}

// Remove deletes a registered set's files from dir.
func Remove(dir string) error {
	m, err := readMeta(dir)
	if err != nil {
		return err
	}
	if filepath.Base(m.File) == m.File {
		if err := os.Remove(filepath.Join(dir, m.File)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Remove(filepath.Join(dir, metaFile))
}
