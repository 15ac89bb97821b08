package archive

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"slices"

	"github.com/leakguard/leakguard/internal/extract"
)

// maxZipEntries is the most entries a zip directory may declare before it
// is parsed: archive/zip holds the whole directory in memory (a few hundred
// bytes an entry), and the registry would stop at its entry limit long
// before the end anyway.
const maxZipEntries = 1 << 18

// Declared sizes beyond these are absurd: more than a tebibyte in all, at
// a ratio higher than deflate can reach (about 1032:1), is a crafted file.
const (
	maxDeclaredTotal = 1 << 40
	deflateMaxRatio  = 1032
)

// checkZip looks at the central directory before anything is expanded. It
// refuses the archive as a whole when entries share compressed data (the
// overlapping-file bombs, where a few kilobytes expand once per entry that
// points at them) or when the declared sizes are absurd, and returns the
// entries that cannot be read by their index: a damaged local header, data
// said to lie past the end of the archive.
func checkZip(files []*zip.File, size int64) (map[int]error, error) {
	type span struct {
		start, end int64
		i          int
	}
	bad := map[int]error{}
	spans := make([]span, 0, len(files))
	var total uint64
	for i, f := range files {
		total = satAdd(total, f.UncompressedSize64)
		if f.CompressedSize64 == 0 {
			continue // no data: nothing to share
		}
		off, err := f.DataOffset()
		if err != nil {
			bad[i] = fmt.Errorf("member %s: local header: %w", memberName(f.Name), err)
			continue
		}
		if f.CompressedSize64 > uint64(size) || off+int64(f.CompressedSize64) > size {
			bad[i] = fmt.Errorf("member %s: declares %d compressed bytes at offset %d, past the end of the %d-byte archive",
				memberName(f.Name), f.CompressedSize64, off, size)
			continue
		}
		spans = append(spans, span{off, off + int64(f.CompressedSize64), i})
	}
	if size > 0 && total > maxDeclaredTotal && total/uint64(size) > deflateMaxRatio {
		return nil, &extract.LimitError{Limit: "bomb",
			Msg: fmt.Sprintf("declared sizes are absurd (%d bytes from a %d-byte archive): refused as a zip bomb", total, size)}
	}
	slices.SortFunc(spans, func(a, b span) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(a.end, b.end)
	})
	var reach int64 // the furthest end seen so far
	last := -1      // the entry that reaches it
	for _, s := range spans {
		if last >= 0 && s.start < reach {
			return nil, &extract.LimitError{Limit: "bomb",
				Msg: fmt.Sprintf("overlapping entries: refused as a zip bomb (%q and %q share compressed data)",
					memberName(files[last].Name), memberName(files[s.i].Name))}
		}
		if s.end > reach {
			reach, last = s.end, s.i
		}
	}
	return bad, nil
}

func satAdd(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}

// zipDirEntries reads how many entries the end-of-central-directory record
// (or its zip64 successor) declares, without parsing the directory. ok is
// false when no record is found; archive/zip then says what is wrong.
func zipDirEntries(ra io.ReaderAt, size int64) (count uint64, ok bool) {
	const eocdLen, locatorLen, eocd64Len = 22, 20, 56
	n := min(size, eocdLen+0xffff)
	if n < eocdLen {
		return 0, false
	}
	buf := make([]byte, n)
	if _, err := ra.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, false
	}
	count = uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if count != 0xffff || i < locatorLen {
		return count, true
	}
	loc := buf[i-locatorLen : i]
	if !bytes.HasPrefix(loc, []byte("PK\x06\x07")) {
		return count, true
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	if off > uint64(size) || uint64(size)-off < eocd64Len {
		return 0, false
	}
	rec := make([]byte, eocd64Len)
	if _, err := ra.ReadAt(rec, int64(off)); err != nil && err != io.EOF {
		return 0, false
	}
	if !bytes.HasPrefix(rec, []byte("PK\x06\x06")) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}
