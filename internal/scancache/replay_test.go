package scancache

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/leakguard/leakguard/internal/cursor"
	"github.com/leakguard/leakguard/internal/finding"
)

// recalled returns what Recall and Each give for path: the record with the
// findings Each handed on in its Findings.
func recalled(t *testing.T, c *Cache, path string, size int64, ident string) (Record, bool) {
	t.Helper()
	rp, ok := c.Recall(path, size, mod, ident, nil)
	if !ok {
		return Record{}, false
	}
	r := rp.Record
	if rp.Findings != nil {
		t.Fatalf("%s: a Replay without content hash holds its findings", path)
	}
	err := rp.Each(func(f finding.Finding) error {
		r.Findings = append(r.Findings, f)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(r.Findings) != rp.Len {
		t.Fatalf("%s: Each handed on %d findings, Len is %d", path, len(r.Findings), rp.Len)
	}
	return r, true
}

// Recall and Each give what Lookup gives, field for field, and the strings
// of findings from different records are shared.
// saveAndReopen saves c, closes it and opens the file again (digest "d1"),
// to be closed when the test ends.
func saveAndReopen(t *testing.T, c *Cache, path string) *Cache {
	t.Helper()
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c, err := Open(path, "d1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestRecallMatchesLookup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	c, err := Open(path, "d1")
	if err != nil {
		t.Fatal(err)
	}
	var many Record
	for i := range 300 {
		many.Findings = append(many.Findings, syntheticFinding("s", i))
	}
	a := fullRecord(t, "a")
	a.Hash = "" // see TestRecallHashed
	c.Store("a", 1, mod, "1:1", a)
	c.Store("s", 2, mod, "1:2", many)
	c.Store("t", 3, mod, "1:3", Record{Findings: many.Findings[:2]})
	c.Store("e", 4, mod, "1:4", Record{})
	c = saveAndReopen(t, c, path)
	got := map[string]Record{}
	for i, p := range []string{"a", "s", "t", "e"} {
		size, ident := int64(i+1), "1:"+string(rune('1'+i))
		want, ok := c.Lookup(p, size, mod, ident, nil)
		if !ok {
			t.Fatalf("%s: Lookup found nothing", p)
		}
		r, ok := recalled(t, c, p, size, ident)
		if !ok {
			t.Fatalf("%s: Recall found nothing", p)
		}
		if len(want.Findings) == 0 {
			want.Findings = nil // Each hands on none: nil and empty are alike
		}
		if !reflect.DeepEqual(r, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", p, r, want)
		}
		if _, ok := c.Recall(p, size+1, mod, ident, nil); ok {
			t.Errorf("%s: recalled at another size", p)
		}
		got[p] = r
	}
	s, tt := got["s"].Findings[0], got["t"].Findings[0]
	if unsafe.StringData(s.Rule) != unsafe.StringData(tt.Rule) || unsafe.StringData(s.Masked) != unsafe.StringData(tt.Masked) {
		t.Error("records decoded through one cache do not share their strings")
	}
}

// A record whose findings do not decode is not recalled, not half
// replayed: the file is read again.
func TestRecallDamagedFinding(t *testing.T) {
	r := Record{Findings: []finding.Finding{syntheticFinding("x", 1), syntheticFinding("x", 2)}}
	_, rec := newEncoder().encode("x", &r)
	d := decoder{Reader: cursor.New(rec)}
	d.readHead()
	d.readTable()
	d.count(minFinding)
	d.finding(&finding.Finding{}, "x")
	second := len(rec) - d.Left() // the second finding's flags
	bad := append([]byte(nil), rec...)
	bad[second] = 0x7f // flags no encoder writes

	file := appendHeader(nil, "d1")
	file = binary.AppendUvarint(file, uint64(len(bad)))
	file = binary.LittleEndian.AppendUint32(file, crc32.Checksum(bad, crc32.MakeTable(crc32.Castagnoli)))
	file = append(append(file, bad...), 0)
	c, err := openBytes(t, file)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Recall("x", 0, time.Unix(0, 0).Add(1), "", nil); ok {
		t.Error("damaged record recalled")
	}
	if _, ok := c.Lookup("x", 0, time.Unix(0, 0).Add(1), "", nil); ok {
		t.Error("damaged record looked up")
	}
}

// Each stops at fn's first error and returns it; after Close it fails
// rather than read an unmapped file; a recalled record is kept by Save.
func TestEachErrorsAndClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	c, err := Open(path, "d1")
	if err != nil {
		t.Fatal(err)
	}
	r := Record{Findings: []finding.Finding{syntheticFinding("a", 0), syntheticFinding("a", 1)}}
	c.Store("a", 1, mod, "1:1", r)
	c.Store("b", 1, mod, "1:1", r)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if c, err = Open(path, "d1"); err != nil {
		t.Fatal(err)
	}
	rp, ok := c.Recall("a", 1, mod, "1:1", nil)
	if !ok || rp.Len < 2 {
		t.Fatalf("a: %v, %d findings", ok, rp.Len)
	}
	stop := errors.New("stop")
	n := 0
	if err := rp.Each(func(finding.Finding) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("Each went on after an error: %v, %d calls", err, n)
	}
	rp, _ = c.Recall("a", 1, mod, "1:1", nil)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := rp.Each(func(finding.Finding) error { return nil }); err == nil {
		t.Error("Each after Close did not fail")
	}
	c, err = Open(path, "d1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Len() != 1 {
		t.Errorf("saved %d records, want the one recalled", c.Len())
	}
}

// A record with a content hash (its file was in doubt) is recalled only
// when the hash agrees, as Lookup does, and Each hands on its findings.
func TestRecallHashed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	c, err := Open(path, "d1")
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time { return mod }
	r := Record{Hash: "sha256:aa", Findings: []finding.Finding{syntheticFinding("h", 0)}}
	c.Store("h", 5, mod, "1:5", r)
	c = saveAndReopen(t, c, path)
	c.now = func() time.Time { return mod }
	if _, ok := c.Recall("h", 5, mod, "1:5", func() (string, error) { return "sha256:bb", nil }); ok {
		t.Error("recalled with another content hash")
	}
	rp, ok := c.Recall("h", 5, mod, "1:5", func() (string, error) { return "sha256:aa", nil })
	if !ok || rp.Hash != "sha256:aa" || rp.Len != 1 {
		t.Fatalf("hashed record: %v %+v", ok, rp.Record)
	}
	var got []finding.Finding
	rp.Each(func(f finding.Finding) error { got = append(got, f); return nil })
	if !reflect.DeepEqual(got, r.Findings) {
		t.Errorf("got %+v\nwant %+v", got, r.Findings)
	}
}
