package archive_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

func TestZipMembers(t *testing.T) {
	data := zipOf(t,
		txt("notes.txt", "db password: PLANT-zipNotes\n"),
		txt("dir/", ""),
		txt("dir/secret.txt", "token = PLANT-zipDir\n"),
		txt("empty.txt", ""),
	)
	res := run(t, "t.zip", data, extract.Limits{})
	wantAt(t, res, "PLANT-zipNotes", "t.zip!notes.txt")
	wantAt(t, res, "PLANT-zipDir", "t.zip!dir/secret.txt")
	if len(res.Problems) != 0 {
		t.Errorf("problems: %+v", res.Problems)
	}
	for _, tx := range res.Texts {
		if tx.Where == "t.zip!dir/" {
			t.Errorf("a directory was scanned as text")
		}
		if tx.Where == "t.zip!dir/secret.txt" && tx.Path != "dir/secret.txt" {
			t.Errorf("member path for rules is %q, want dir/secret.txt", tx.Path)
		}
	}
}

// TestZipNested follows a zip in a tar.gz in a zip, and names every step.
func TestZipNested(t *testing.T) {
	inner := tarOf(t, txt("dir/", ""), txt("dir/secret.txt", "aws_secret = PLANT-nestedDeep\n"))
	outer := zipOf(t,
		file{"inner.tar.gz", gzipOf(t, "", inner)},
		file{"hr/2014.tgz", gzipOf(t, "", tarOf(t, txt("salaries.csv", "name,salary\nx,PLANT-salary\n")))},
		file{"named.gz", gzipOf(t, "original.txt", []byte("PLANT-gzipName"))},
	)
	res := run(t, "outer.zip", outer, extract.Limits{})
	wantAt(t, res, "PLANT-nestedDeep", "outer.zip!inner.tar.gz!inner.tar!dir/secret.txt")
	wantAt(t, res, "PLANT-salary", "outer.zip!hr/2014.tgz!2014.tar!salaries.csv")
	wantAt(t, res, "PLANT-gzipName", "outer.zip!named.gz!original.txt")
	if len(res.Problems) != 0 {
		t.Errorf("problems: %+v", res.Problems)
	}
}

// TestZipEncryptedEntry reports entries behind a password and reads their
// siblings: the traditional encryption flag and WinZip AES (method 99).
func TestZipEncryptedEntry(t *testing.T) {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	cipher := []byte("\x8a\x11\x93\x07not really ciphertext\x00\xfe")
	for _, h := range []*zip.FileHeader{
		{Name: "locked.txt", Method: zip.Store, Flags: 0x1},
		{Name: "aes.txt", Method: 99},
	} {
		h.CRC32, h.CompressedSize64, h.UncompressedSize64 = crc(cipher), uint64(len(cipher)), uint64(len(cipher))
		fw, err := w.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(cipher)
	}
	fw, _ := w.Create("open.txt")
	fw.Write([]byte("PLANT-sibling"))
	w.Close()

	res := run(t, "t.zip", b.Bytes(), extract.Limits{})
	wantProblem(t, res, "t.zip!locked.txt", finding.ReasonEncrypted, "password")
	wantProblem(t, res, "t.zip!aes.txt", finding.ReasonEncrypted, "password")
	wantAt(t, res, "PLANT-sibling", "t.zip!open.txt")
	if len(res.Problems) != 2 {
		t.Errorf("problems: %+v", res.Problems)
	}
}

// TestZipBadMembers: an unknown method, a corrupt deflate stream and a
// member that holds more than it declares are each an item error with its
// reason; the sibling is read.
func TestZipBadMembers(t *testing.T) {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	raw := func(name string, method uint16, data []byte, usize int) {
		h := &zip.FileHeader{Name: name, Method: method, CRC32: crc(data),
			CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(usize)}
		fw, err := w.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	raw("lzma.bin", 14, []byte("\x09\x14\x05\x00\x5d\x00\x00\x10\x00"), 100)
	raw("broken.txt", zip.Deflate, bytes.Repeat([]byte{0xff}, 64), 64)
	raw("liar.txt", zip.Store, []byte(strings.Repeat("PLANT-liar ", 100)), 11)
	fw, _ := w.Create("fine.txt")
	fw.Write([]byte("PLANT-fine"))
	w.Close()

	res := run(t, "t.zip", b.Bytes(), extract.Limits{})
	wantProblem(t, res, "t.zip!lzma.bin", finding.ReasonUnsupported, "method 14")
	wantProblem(t, res, "t.zip!broken.txt", finding.ReasonCorrupt, "flate")
	wantProblem(t, res, "t.zip!liar.txt", finding.ReasonCorrupt, "not a valid zip")
	wantAt(t, res, "PLANT-fine", "t.zip!fine.txt")
}

func TestZipTruncated(t *testing.T) {
	data := zipOf(t, txt("a.txt", strings.Repeat("PLANT-a ", 500)), txt("b.txt", "PLANT-b"))
	res := run(t, "t.zip", data[:len(data)/2], extract.Limits{})
	wantProblem(t, res, "t.zip", finding.ReasonCorrupt, "zip")
	if len(res.Texts) != 0 {
		t.Errorf("texts from a zip without its directory: %+v", res.Texts)
	}
}

// TestZipPastEnd: an entry that claims more compressed bytes than the
// archive holds is refused alone.
func TestZipPastEnd(t *testing.T) {
	var z rawZip
	lying := z.local("lying.txt", 0, 0, []byte("abc"), crc([]byte("abc")), 3)
	fine := z.local("fine.txt", 0, 0, []byte("PLANT-pastEnd"), crc([]byte("PLANT-pastEnd")), 13)
	lying.csize = 1 << 30
	z.dir(lying)
	z.dir(fine)
	res := run(t, "t.zip", z.bytes(), extract.Limits{})
	wantProblem(t, res, "t.zip!lying.txt", finding.ReasonCorrupt, "past the end")
	wantAt(t, res, "PLANT-pastEnd", "t.zip!fine.txt")
}

func TestZipNonUTF8Name(t *testing.T) {
	var z rawZip
	name := "caf\x82.txt" // "café" in code page 437
	z.dir(z.local(name, 0, 0, []byte("PLANT-cp437"), crc([]byte("PLANT-cp437")), 11))
	res := run(t, "t.zip", z.bytes(), extract.Limits{})
	wantAt(t, res, "PLANT-cp437", "t.zip!café.txt")
}

// TestZipHugeDirectory: a zip64 end record declaring a billion entries is
// refused before archive/zip reads its directory.
func TestZipHugeDirectory(t *testing.T) {
	var z rawZip
	z.local("a", 0, 0, nil, 0, 0)
	b := z.b.Bytes()
	rec := len(b)
	b = binary.LittleEndian.AppendUint32(b, 0x06064b50)
	b = binary.LittleEndian.AppendUint64(b, 44) // size of the rest of the record
	b = binary.LittleEndian.AppendUint16(b, 45)
	b = binary.LittleEndian.AppendUint16(b, 45)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, 1e9) // entries on this disk
	b = binary.LittleEndian.AppendUint64(b, 1e9) // entries
	b = binary.LittleEndian.AppendUint64(b, 46e9)
	b = binary.LittleEndian.AppendUint64(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0x07064b50) // locator
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, uint64(rec))
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, 0x06054b50)
	b = append(b, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0)
	res := run(t, "huge.zip", b, extract.Limits{})
	wantProblem(t, res, "huge.zip", finding.ReasonLimit, "declares 1000000000 entries")
}
