package archive_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/archive"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// file is one member of a generated archive.
type file struct {
	name string
	data []byte
}

func txt(name, data string) file { return file{name, []byte(data)} }

var epoch = time.Date(2014, 11, 24, 8, 0, 0, 0, time.UTC)

// zipOf writes files as a deflated zip; a name ending in "/" is a directory.
func zipOf(t testing.TB, files ...file) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, fl := range files {
		h := &zip.FileHeader{Name: fl.name, Method: zip.Deflate, Modified: epoch}
		if strings.HasSuffix(fl.name, "/") {
			h.Method = zip.Store
		}
		fw, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(fl.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tarOf writes files as a tar; a name ending in "/" is a directory.
func tarOf(t testing.TB, files ...file) []byte {
	t.Helper()
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	for _, fl := range files {
		h := &tar.Header{Name: fl.name, Mode: 0o644, Size: int64(len(fl.data)), ModTime: epoch, Typeflag: tar.TypeReg}
		if strings.HasSuffix(fl.name, "/") {
			h.Typeflag, h.Size, h.Mode = tar.TypeDir, 0, 0o755
		}
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(fl.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gzipOf compresses data; name, when set, goes into the gzip header.
func gzipOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Name = name
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// run extracts data with the archive extractor alone.
func run(t testing.TB, name string, data []byte, lim extract.Limits) extracttest.Result {
	t.Helper()
	return extracttest.Run(t, name, data, extracttest.Options{Limits: lim}, archive.New())
}

// wantAt asserts that token was found exactly at the places want.
func wantAt(t *testing.T, res extracttest.Result, token string, want ...string) {
	t.Helper()
	got := res.Where(token)
	if !slices.Equal(got, want) {
		t.Errorf("%s found at %q, want %q", token, got, want)
	}
}

// problems returns the problems recorded at where.
func problems(res extracttest.Result, where string) []finding.ItemError {
	var out []finding.ItemError
	for _, p := range res.Problems {
		if p.Location.Where() == where {
			out = append(out, p)
		}
	}
	return out
}

// wantProblem asserts one problem at where with reason and a message
// containing msg.
func wantProblem(t *testing.T, res extracttest.Result, where, reason, msg string) {
	t.Helper()
	ps := problems(res, where)
	if len(ps) != 1 || ps[0].Reason != reason || !strings.Contains(ps[0].Error, msg) {
		t.Errorf("problems at %s: %+v; want one %q containing %q (all: %+v)", where, ps, reason, msg, res.Problems)
	}
}

// rawZip writes a zip by hand, for archives no honest writer makes:
// entries that share data, lying sizes, flags set at will.
type rawZip struct {
	b       bytes.Buffer
	central bytes.Buffer
	count   int
}

// rawEntry is one central directory record.
type rawEntry struct {
	name         string
	method       uint16
	flags        uint16
	crc          uint32
	csize, usize uint32
	offset       uint32
}

// local writes a local file header and its data and returns the entry
// describing them.
func (z *rawZip) local(name string, method, flags uint16, data []byte, crc, usize uint32) rawEntry {
	e := rawEntry{name: name, method: method, flags: flags, crc: crc, csize: uint32(len(data)), usize: usize,
		offset: uint32(z.b.Len())}
	h := binary.LittleEndian.AppendUint32(nil, 0x04034b50)
	h = binary.LittleEndian.AppendUint16(h, 20)
	h = binary.LittleEndian.AppendUint16(h, flags)
	h = binary.LittleEndian.AppendUint16(h, method)
	h = binary.LittleEndian.AppendUint32(h, 0) // time and date
	h = binary.LittleEndian.AppendUint32(h, crc)
	h = binary.LittleEndian.AppendUint32(h, e.csize)
	h = binary.LittleEndian.AppendUint32(h, usize)
	h = binary.LittleEndian.AppendUint16(h, uint16(len(name)))
	h = binary.LittleEndian.AppendUint16(h, 0)
	z.b.Write(h)
	z.b.WriteString(name)
	z.b.Write(data)
	return e
}

// dir adds a central directory record.
func (z *rawZip) dir(e rawEntry) {
	h := binary.LittleEndian.AppendUint32(nil, 0x02014b50)
	h = binary.LittleEndian.AppendUint16(h, 20)
	h = binary.LittleEndian.AppendUint16(h, 20)
	h = binary.LittleEndian.AppendUint16(h, e.flags)
	h = binary.LittleEndian.AppendUint16(h, e.method)
	h = binary.LittleEndian.AppendUint32(h, 0)
	h = binary.LittleEndian.AppendUint32(h, e.crc)
	h = binary.LittleEndian.AppendUint32(h, e.csize)
	h = binary.LittleEndian.AppendUint32(h, e.usize)
	h = binary.LittleEndian.AppendUint16(h, uint16(len(e.name)))
	h = binary.LittleEndian.AppendUint16(h, 0) // extra
	h = binary.LittleEndian.AppendUint16(h, 0) // comment
	h = binary.LittleEndian.AppendUint16(h, 0) // disk
	h = binary.LittleEndian.AppendUint16(h, 0) // internal attributes
	h = binary.LittleEndian.AppendUint32(h, 0) // external attributes
	h = binary.LittleEndian.AppendUint32(h, e.offset)
	z.central.Write(h)
	z.central.WriteString(e.name)
	z.count++
}

// bytes ends the archive.
func (z *rawZip) bytes() []byte {
	off := z.b.Len()
	z.b.Write(z.central.Bytes())
	h := binary.LittleEndian.AppendUint32(nil, 0x06054b50)
	h = binary.LittleEndian.AppendUint16(h, 0)
	h = binary.LittleEndian.AppendUint16(h, 0)
	h = binary.LittleEndian.AppendUint16(h, uint16(z.count))
	h = binary.LittleEndian.AppendUint16(h, uint16(z.count))
	h = binary.LittleEndian.AppendUint32(h, uint32(z.central.Len()))
	h = binary.LittleEndian.AppendUint32(h, uint32(off))
	h = binary.LittleEndian.AppendUint16(h, 0)
	z.b.Write(h)
	return z.b.Bytes()
}

func crc(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
