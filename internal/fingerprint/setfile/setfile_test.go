package setfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/cursor"
)

var testFormat = Format{Ext: ".test", Magic: "LGTEST01", What: "test"}

func encode(t *testing.T, body func(*Encoder)) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := testFormat.Encode(&buf, body); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	b := encode(t, func(e *Encoder) {
		e.Uvarint(300)
		e.Varint(-5)
		e.U64(0x0102030405060708)
		e.String("héllo")
	})
	if !bytes.HasPrefix(b, []byte("LGTEST01")) {
		t.Fatalf("no magic: %q", b)
	}
	d, err := testFormat.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if v := d.Uvarint(300); v != 300 {
		t.Errorf("uvarint %d", v)
	}
	if v := d.Varint(); v != -5 {
		t.Errorf("varint %d", v)
	}
	if v := d.U64(); v != 0x0102030405060708 {
		t.Errorf("u64 %x", v)
	}
	if v := d.String(16); v != "héllo" {
		t.Errorf("string %q", v)
	}
	if err := d.Finish(); err != nil {
		t.Errorf("finish: %v", err)
	}
}

func TestDecodeRefusesMagicAndChecksum(t *testing.T) {
	good := encode(t, func(e *Encoder) { e.String("body") })
	other := Format{Ext: ".test", Magic: "LGTEST02", What: "test"}
	if _, err := other.Decode(good); err == nil || !strings.Contains(err.Error(), "not a test set file") {
		t.Errorf("other version: %v", err)
	}
	if _, err := testFormat.Decode(good[:len(testFormat.Magic)+3]); err == nil || errors.Is(err, ErrCorrupt) {
		t.Errorf("too short for magic and checksum: %v", err)
	}
	for i := range good {
		b := slices.Clone(good)
		b[i] ^= 0x10
		_, err := testFormat.Decode(b)
		if i < len(testFormat.Magic) {
			if err == nil || errors.Is(err, ErrCorrupt) {
				t.Errorf("byte %d of the magic flipped: %v", i, err)
			}
		} else if !errors.Is(err, ErrCorrupt) {
			t.Errorf("byte %d flipped: %v", i, err)
		}
	}
}

func decoder(t *testing.T, body func(*Encoder)) *Decoder {
	t.Helper()
	d, err := testFormat.Decode(encode(t, body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecoderBounds(t *testing.T) {
	// A value over its bound fails, and the failure sticks: later reads
	// give zero values even where bytes were left.
	d := decoder(t, func(e *Encoder) { e.Uvarint(101); e.U64(7) })
	if v := d.Uvarint(100); v != 0 || !errors.Is(d.Err(), ErrCorrupt) {
		t.Errorf("over the bound: %d, %v", v, d.Err())
	}
	if v := d.U64(); v != 0 || d.Left() != 0 {
		t.Errorf("read after failure: %d, %d left", v, d.Left())
	}

	// A length longer than the bytes left fails without allocating it.
	d = decoder(t, func(e *Encoder) { e.Uvarint(1 << 40); e.U64(1) })
	if s := d.String(1 << 62); s != "" || !errors.Is(d.Err(), ErrCorrupt) {
		t.Errorf("string past the end: %q, %v", s, d.Err())
	}
	d = decoder(t, func(e *Encoder) { e.String("long name") })
	if s := d.String(4); s != "" || d.Err() == nil {
		t.Errorf("string over its bound: %q", s)
	}

	// Truncated or malformed values fail: 7 bytes where 8 are needed, a
	// varint cut in the middle, one longer than 64 bits.
	u64 := func(d *Decoder) { d.U64() }
	uv := func(d *Decoder) { d.Uvarint(1<<64 - 1) }
	sv := func(d *Decoder) { d.Varint() }
	for _, c := range []struct {
		name string
		read func(*Decoder)
		b    []byte
	}{
		{"u64 of 7 bytes", u64, []byte{1, 2, 3, 4, 5, 6, 7}},
		{"bytes past the end", func(d *Decoder) { d.Bytes(8) }, []byte{1, 2, 3, 4, 5, 6, 7}},
		{"cut uvarint", uv, []byte{0x80, 0x80}},
		{"cut varint", sv, []byte{0x80}},
		{"uvarint over 64 bits", uv, bytes.Repeat([]byte{0xff}, 11)},
		{"varint over 64 bits", sv, bytes.Repeat([]byte{0xff}, 11)},
		{"empty", uv, nil},
	} {
		d := &Decoder{r: cursor.New(c.b)}
		c.read(d)
		if !errors.Is(d.Err(), ErrCorrupt) {
			t.Errorf("%s: %v", c.name, d.Err())
		}
	}

	// Bytes left over after the last record are damage too.
	d = decoder(t, func(e *Encoder) { e.Uvarint(1); e.Uvarint(2) })
	d.Uvarint(10)
	if err := d.Finish(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("trailing bytes: %v", err)
	}

	// Left bounds a count before anything is allocated for it.
	d = decoder(t, func(e *Encoder) { e.Uvarint(1000); e.U64(1); e.U64(2) })
	if n := d.Uvarint(uint64(d.Left()) / 8); n != 0 || d.Err() == nil {
		t.Errorf("a count of 1000 8-byte records in %d bytes was accepted", 16)
	}
}

func TestSaveListRemove(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sets")
	for _, name := range []string{"b-set", "a.set_1"} {
		if err := testFormat.Save(dir, name, func(e *Encoder) { e.String(name) }); err != nil {
			t.Fatal(err)
		}
	}
	// Another kind's files, a stray temporary file and a directory named
	// like a set are not sets of this kind.
	os.WriteFile(filepath.Join(dir, "c.other"), nil, 0o600)
	os.WriteFile(filepath.Join(dir, ".d.test.123"), nil, 0o600)
	os.Mkdir(filepath.Join(dir, "e.test"), 0o700)
	names, err := testFormat.List(dir)
	if err != nil || !slices.Equal(names, []string{"a.set_1", "b-set"}) {
		t.Fatalf("list: %v, %v", names, err)
	}
	p := testFormat.Path(dir, "b-set")
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode: %v, %v", st, err)
	}
	b, _ := os.ReadFile(p)
	d, err := testFormat.Decode(b)
	if err != nil || d.String(100) != "b-set" || d.Finish() != nil {
		t.Errorf("saved file: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".b-set*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}

	if err := testFormat.Remove(dir, "b-set"); err != nil {
		t.Fatal(err)
	}
	if err := testFormat.Remove(dir, "../sets/a.set_1"); err == nil {
		t.Error("a name with a path was removed")
	}
	if names, _ := testFormat.List(dir); !slices.Equal(names, []string{"a.set_1"}) {
		t.Errorf("after remove: %v", names)
	}
	if names, err := testFormat.List(filepath.Join(dir, "missing")); names != nil || err != nil {
		t.Errorf("missing dir: %v, %v", names, err)
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"a", "scripts-2014", "A.b_c-1", strings.Repeat("x", 128)} {
		if err := CheckName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".hidden", "-x", "a/b", "..", "a b", "é", strings.Repeat("x", 129)} {
		if CheckName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The decoder survives any bytes: every read either succeeds within its
// bound or fails, never panics.
func FuzzDecoder(f *testing.F) {
	f.Add([]byte{0x85, 0x01, 'a', 'b'}, uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, ops uint8) {
		d := &Decoder{r: cursor.New(b)}
		for i := 0; d.Err() == nil && i < 64; i++ {
			before := d.Left()
			switch (int(ops) + i) % 4 {
			case 0:
				if v := d.Uvarint(1000); v > 1000 {
					t.Fatalf("uvarint %d over its bound", v)
				}
			case 1:
				d.Varint()
			case 2:
				d.U64()
			case 3:
				if s := d.String(5); len(s) > 5 {
					t.Fatalf("string of %d over its bound", len(s))
				}
			}
			if d.Err() == nil && d.Left() >= before {
				t.Fatalf("a read consumed nothing")
			}
		}
	})
}
