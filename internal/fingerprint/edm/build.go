package edm

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/nyaruka/phonenumbers"
)

// Builder registers the rows of one table into an index directory. Rows
// arrive one at a time with Add, in table order (the first row added is row
// 1); Finish writes the index. Only keyed hashes are written: the row table
// goes to a temporary file as rows arrive; the primary values' hashes are
// sorted in runs of a few million (12 bytes each), spilled to run files
// and merged by Finish, so memory does not grow with the table.
type Builder struct {
	dir    string
	meta   Meta
	src    []int // for each registered column, its position in the rows given to Add
	h      *valueHasher
	f      *os.File
	w      *bufio.Writer
	tmp    string
	maxRow int64

	entries entrySorter
	rowBuf  []byte
	scratch []byte
	fold    []byte
	tmpFold []byte
	codes   map[int]bool
	err     error
}

// NewBuilder starts registering a table whose rows have the given columns
// (one per field, in order; kind skip leaves a field out) into dir, under
// the installation's keyed hasher. At least one registered column must be
// primary and one other column registered.
func NewBuilder(dir string, h *keyed.Hasher, name string, cols []Column) (*Builder, error) {
	b := &Builder{dir: dir, meta: Meta{Format: formatV1, Name: name, Created: time.Now().UTC()}}
	primary := 0
	for i, c := range cols {
		k, err := ParseKind(string(c.Kind))
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", c.Name, err)
		}
		c.Kind = k
		if k == KindSkip {
			continue
		}
		if k == KindDate && c.DateOrder == "" {
			c.DateOrder = MDY
		}
		if c.Primary {
			primary++
		}
		b.src = append(b.src, i)
		b.meta.Columns = append(b.meta.Columns, c)
		b.meta.Stats = append(b.meta.Stats, ColumnStats{Name: c.Name})
	}
	if primary == 0 || len(b.meta.Columns) < 2 {
		return nil, errors.New("edm: a record set needs a primary column and at least one other column")
	}
	if len(b.meta.Columns) > 1<<16 {
		return nil, errors.New("edm: more than 65536 registered columns")
	}
	colBits := bits.Len(uint(len(b.meta.Columns) - 1))
	b.maxRow = 1<<(32-colBits) - 1
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return nil, err
	}
	b.meta.Salt = hex.EncodeToString(salt[:])
	key, err := deriveSetKey(h, b.meta.Salt)
	if err != nil {
		return nil, err
	}
	b.meta.KeyCheck = keyCheck(key)
	b.h = newValueHasher(key)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	b.meta.File = "edm-" + b.meta.Salt[:16] + ".idx"
	b.tmp = filepath.Join(dir, b.meta.File+".tmp")
	b.entries.prefix = b.tmp
	if b.f, err = os.OpenFile(b.tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
		return nil, err
	}
	b.w = bufio.NewWriterSize(b.f, 1<<20)
	b.w.Write(make([]byte, headerSize))
	b.codes = phonenumbers.GetSupportedCallingCodes()
	return b, nil
}

// Add registers one row. Missing trailing fields are empty cells.
func (b *Builder) Add(row []string) error {
	if b.err != nil {
		return b.err
	}
	if b.meta.Rows >= b.maxRow {
		b.err = fmt.Errorf("edm: more than %d rows with %d columns; split the table", b.maxRow, len(b.meta.Columns))
		return b.err
	}
	r := uint32(b.meta.Rows)
	colBits := bits.Len(uint(len(b.meta.Columns) - 1))
	b.rowBuf = b.rowBuf[:0]
	for j, c := range b.meta.Columns {
		var v string
		if b.src[j] < len(row) {
			v = row[b.src[j]]
		}
		key, ok := b.normalise(j, c, v)
		var fp uint32
		if ok {
			fp = fp32(key)
			b.meta.Stats[j].Values++
			if c.Primary {
				if err := b.entries.add(entry{uint32(key >> 32), uint32(key), r<<colBits | uint32(j)}); err != nil {
					b.err = err
					return err
				}
			}
		} else {
			b.meta.Stats[j].Skipped++
		}
		b.rowBuf = binary.LittleEndian.AppendUint32(b.rowBuf, fp)
	}
	if _, err := b.w.Write(b.rowBuf); err != nil {
		b.err = err
		return err
	}
	b.meta.Rows++
	return nil
}

// note records what the matcher must look for to find a value of this
// column: its class and, for digits, its length.
func (b *Builder) note(c Column, w want, digits, words int) {
	s := &b.meta.Scan
	s.Want |= w
	bit := uint64(1) << digits
	if w != wantDigits {
		bit = 0
	}
	s.Lens |= bit
	s.MaxWords = max(s.MaxWords, words)
	if c.Kind == KindPhone {
		s.PhoneLens |= bit
	}
	if c.Primary {
		s.PrimaryWant |= w
		s.PrimaryLens |= bit
		s.PrimaryMaxWords = max(s.PrimaryMaxWords, words)
		if c.Kind == KindPhone {
			s.PrimaryPhoneLens |= bit
		}
	}
}

// normalise turns a cell into the keyed hash the matcher computes for the
// same value in text, or fails for an empty or unusable cell.
func (b *Builder) normalise(j int, c Column, v string) (uint64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	switch c.Kind {
	case KindID, KindSSN:
		d := appendDigits(b.scratch[:0], v)
		b.scratch = d
		return b.digits(c, d, 4)
	case KindPhone:
		d := b.phoneDigits(v)
		return b.digits(c, d, 6)
	case KindEmail:
		e := emailOf(v)
		if e == "" {
			return 0, false
		}
		b.note(c, wantEmail, 0, 0)
		return b.h.value(classEmail, []byte(e)), true
	case KindDate:
		d, ok := parseDate(v, c.DateOrder)
		if !ok {
			return 0, false
		}
		b.note(c, wantDate, 0, 0)
		b.scratch = d.appendKey(b.scratch[:0])
		return b.h.value(classDate, b.scratch), true
	case KindName, KindGeneric:
		if isPlaceholder(v) {
			return 0, false
		}
		b.scratch = append(b.scratch[:0], v...)
		key, n, letters, fold, tmp := wordsOf(b.h, b.scratch, b.fold, b.tmpFold)
		b.fold, b.tmpFold = fold, tmp
		if n > 0 && n <= maxWordsCap && (letters >= 3 || c.Kind == KindName && letters >= 2) {
			b.note(c, wantWords, 0, n)
			return key, true
		}
		if c.Kind == KindGeneric && n == 0 {
			return b.digits(c, b.genericDigits(v), 4)
		}
	}
	return 0, false
}

func (b *Builder) digits(c Column, d []byte, minLen int) (uint64, bool) {
	if len(d) < minLen || len(d) > maxDigits {
		return 0, false
	}
	b.note(c, wantDigits, len(d), 0)
	return b.h.value(classDigits, d), true
}

func appendDigits(dst []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		if isDigit(v[i]) {
			dst = append(dst, v[i])
		}
	}
	return dst
}

// phoneDigits keeps the national number: the digits without an
// international prefix and country code, without a trunk "0", and without
// an extension. The matcher makes the same cuts on numbers in text.
func (b *Builder) phoneDigits(v string) []byte {
	if i := strings.IndexFunc(v, func(r rune) bool { return r|0x20 >= 'a' && r|0x20 <= 'z' }); i > 0 {
		v = v[:i] // "555-1234 ext. 12", "555-1234 x12"
	}
	d := appendDigits(b.scratch[:0], v)
	b.scratch = d
	intl := strings.HasPrefix(v, "+")
	if !intl && len(d) > 10 && d[0] == '0' && d[1] == '0' {
		intl, d = true, d[2:]
	}
	switch {
	case intl:
		for k := 1; k <= 3 && k < len(d); k++ {
			if b.codes[atoi(d[:k])] {
				d = d[k:]
				break
			}
		}
	case len(d) == 11 && d[0] == '1': // North American number written with its country code
		d = d[1:]
	}
	if len(d) > 0 && d[0] == '0' {
		d = d[1:]
	}
	return d
}

// genericDigits reads a number such as "75,000.00" as 75000: grouping
// marks dropped, a zero fraction of one or two digits dropped.
func (b *Builder) genericDigits(v string) []byte {
	if i := strings.LastIndexAny(v, ".,"); i >= 0 && len(v)-i-1 <= 2 && len(v)-i-1 > 0 && strings.Trim(v[i+1:], "0") == "" {
		v = v[:i]
	}
	b.scratch = appendDigits(b.scratch[:0], v)
	return b.scratch
}

// isPlaceholder recognises cells that say "no value".
func isPlaceholder(v string) bool {
	switch strings.ToLower(v) {
	case "null", "none", "nil", "unknown", "na", "nan", "tbd", "yes", "no", "true", "false", "n/a", "-", "?":
		return true
	}
	return false
}

// Stats sums up a registration.
type Stats struct {
	Rows    int64         // rows registered
	Entries int64         // primary values indexed
	Bytes   int64         // size of the index directory's files
	Columns []ColumnStats // per registered column
}

// Finish sorts the primary values, writes the index and its metadata, and
// replaces an index previously registered in the same directory.
func (b *Builder) Finish() (Stats, error) {
	if b.err != nil {
		b.Abort()
		return Stats{}, b.err
	}
	st, err := b.finish()
	if err != nil {
		b.Abort()
		return Stats{}, err
	}
	return st, nil
}

func (b *Builder) finish() (Stats, error) {
	ncols := len(b.meta.Columns)
	n := b.entries.total
	h := header{rows: uint64(b.meta.Rows), ncols: uint32(ncols), colBits: uint32(bits.Len(uint(ncols - 1))),
		entries: uint64(n)}
	if n >= 1<<32-1 {
		return Stats{}, errors.New("edm: too many primary values for one set; split the table")
	}
	pos := int64(headerSize) + b.meta.Rows*int64(ncols)*4
	pad := (8 - pos%8) % 8
	b.w.Write(make([]byte, pad))
	pos += pad
	if err := b.w.Flush(); err != nil {
		return Stats{}, err
	}
	// The directory, keys and postings are written side by side as the
	// sorted entries stream by.
	h.dirBits = uint32(max(bits.Len64(uint64(n))-1, 4))
	h.dirOff = uint64(pos)
	h.keysOff = h.dirOff + (uint64(1)<<h.dirBits+1)*4
	h.postsOff = h.keysOff + uint64(n)*4
	dirW := bufio.NewWriterSize(io.NewOffsetWriter(b.f, int64(h.dirOff)), 256<<10)
	keysW := bufio.NewWriterSize(io.NewOffsetWriter(b.f, int64(h.keysOff)), 256<<10)
	postsW := bufio.NewWriterSize(io.NewOffsetWriter(b.f, int64(h.postsOff)), 256<<10)
	put := func(w *bufio.Writer, v uint32) {
		var u [4]byte
		binary.LittleEndian.PutUint32(u[:], v)
		w.Write(u[:])
	}
	shift := 32 - h.dirBits
	bucket, k := uint32(0), uint32(0)
	err := b.entries.each(func(e entry) error {
		for ; bucket <= e.hi>>shift; bucket++ {
			put(dirW, k)
		}
		put(keysW, e.lo)
		put(postsW, e.post)
		k++
		return nil
	})
	b.entries.remove()
	if err != nil {
		return Stats{}, err
	}
	for ; bucket <= 1<<h.dirBits; bucket++ {
		put(dirW, k)
	}
	for _, w := range []*bufio.Writer{dirW, keysW, postsW} {
		if err := w.Flush(); err != nil {
			return Stats{}, err
		}
	}
	if _, err := b.f.WriteAt(h.encode(), 0); err != nil {
		return Stats{}, err
	}
	if err := b.f.Sync(); err != nil {
		return Stats{}, err
	}
	fi, err := b.f.Stat()
	if err != nil {
		return Stats{}, err
	}
	if err := b.f.Close(); err != nil {
		return Stats{}, err
	}
	b.f = nil
	if err := os.Rename(b.tmp, filepath.Join(b.dir, b.meta.File)); err != nil {
		return Stats{}, err
	}
	old, _ := readMeta(b.dir)
	mj, err := json.MarshalIndent(b.meta, "", "  ")
	if err != nil {
		return Stats{}, err
	}
	if err := writeFileAtomic(filepath.Join(b.dir, metaFile), append(mj, '\n')); err != nil {
		return Stats{}, err
	}
	if old != nil && old.File != b.meta.File && filepath.Base(old.File) == old.File {
		os.Remove(filepath.Join(b.dir, old.File))
	}
	return Stats{Rows: b.meta.Rows, Entries: int64(h.entries), Bytes: fi.Size() + int64(len(mj)) + 1,
		Columns: b.meta.Stats}, nil
}

// Abort drops a registration in progress and its temporary file.
func (b *Builder) Abort() {
	if b.f != nil {
		b.f.Close()
		b.f = nil
	}
	os.Remove(b.tmp)
	b.entries.remove()
}

func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func readMeta(dir string) (*Meta, error) {
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return nil, err
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("edm: %s: %w", filepath.Join(dir, metaFile), err)
	}
	return &m, nil
}
