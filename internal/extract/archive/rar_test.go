package archive_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// rar5 writes a RAR 5 archive of stored files by hand, following the
// format's technical note: no rar writer exists in Go and the rar program
// is not free software.
type rar5 struct{ b bytes.Buffer }

func newRar5() *rar5 {
	r := &rar5{}
	r.b.WriteString("Rar!\x1a\x07\x01\x00")
	r.header(1, 0, nil, vint(nil, 0)) // main archive header, no flags
	return r
}

func vint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// header writes one block: CRC32, size, type, flags, the optional extra
// area size, the optional data size, the type's fields, the extra area,
// then the data.
func (r *rar5) header(typ uint64, flags uint64, data []byte, fields []byte, extra ...byte) {
	var h []byte
	h = vint(h, typ)
	if len(extra) > 0 {
		flags |= 0x1
	}
	if data != nil {
		flags |= 0x2
	}
	h = vint(h, flags)
	if len(extra) > 0 {
		h = vint(h, uint64(len(extra)))
	}
	if data != nil {
		h = vint(h, uint64(len(data)))
	}
	h = append(h, fields...)
	h = append(h, extra...)
	sized := vint(nil, uint64(len(h)))
	sized = append(sized, h...)
	r.b.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(sized)))
	r.b.Write(sized)
	r.b.Write(data)
}

// file adds a stored file; encrypted adds the file encryption record (the
// data is then not really encrypted, but no reader gets that far).
func (r *rar5) file(name string, data []byte, encrypted bool) {
	var fl []byte
	fl = vint(fl, 0x4) // file flags: data CRC32 present
	fl = vint(fl, uint64(len(data)))
	fl = vint(fl, 0x20) // attributes
	fl = binary.LittleEndian.AppendUint32(fl, crc32.ChecksumIEEE(data))
	fl = vint(fl, 0) // compression: version 0, method 0 (store)
	fl = vint(fl, 1) // host OS: Unix
	fl = vint(fl, uint64(len(name)))
	fl = append(fl, name...)
	var extra []byte
	if encrypted {
		rec := vint(nil, 1) // record type: file encryption
		rec = vint(rec, 0)  // AES-256
		rec = vint(rec, 0)  // no password check value
		rec = append(rec, 15)
		rec = append(rec, make([]byte, 32)...) // salt and IV
		extra = vint(nil, uint64(len(rec)))
		extra = append(extra, rec...)
	}
	r.header(2, 0, data, fl, extra...)
}

func (r *rar5) bytes() []byte {
	r.header(5, 0, nil, vint(nil, 0))
	return r.b.Bytes()
}

func TestRar(t *testing.T) {
	r := newRar5()
	r.file("docs/secret.txt", []byte("password: PLANT-rar\n"), false)
	r.file("locked.txt", []byte("0123456789abcdef"), true)
	r.file("after.txt", []byte("PLANT-rarAfter"), false)
	res := run(t, "t.rar", r.bytes(), extract.Limits{})
	wantAt(t, res, "PLANT-rar", "t.rar!docs/secret.txt")
	wantAt(t, res, "PLANT-rarAfter", "t.rar!after.txt")
	wantProblem(t, res, "t.rar!locked.txt", finding.ReasonEncrypted, "password")
}

func TestRarTruncated(t *testing.T) {
	r := newRar5()
	r.file("a.txt", []byte("PLANT-rarA"), false)
	r.file("b.txt", bytes.Repeat([]byte("PLANT-rarB "), 400), false)
	data := r.bytes()
	res := run(t, "t.rar", data[:len(data)-2000], extract.Limits{})
	wantAt(t, res, "PLANT-rarA", "t.rar!a.txt")
	if len(res.Problems) == 0 {
		t.Fatal("a truncated rar reported no problem")
	}
	for _, p := range res.Problems {
		if p.Reason != finding.ReasonCorrupt {
			t.Errorf("problem %s: %s %s", p.Location.Where(), p.Reason, p.Error)
		}
	}
}
