package scancache

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

var mod = time.Unix(1700000000, 0)

// saved writes a cache of three records at path and returns its bytes.
func saved(t testing.TB, path string) []byte {
	t.Helper()
	c, err := Open(path, "d1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Store("a", 1, mod, "1:1", fullRecord(t, "a"))
	c.Store("b", 2, mod, "1:2", Record{})
	c.Store("c", 3, mod, "", Record{Findings: fullRecord(t, "c").Findings[:1]})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// openBytes opens a cache file holding raw.
func openBytes(t *testing.T, raw []byte) (*Cache, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Open(path, "d1")
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

// A file cut short anywhere, or with any one byte changed, is an error
// from Open (or, where the change is in the format or the digest, a cache
// to start over), never a panic and never records.
func TestDamagedAndTruncatedFiles(t *testing.T) {
	raw := saved(t, filepath.Join(t.TempDir(), "cache"))
	if c, err := openBytes(t, raw); err != nil || c.Len() != 3 {
		t.Fatalf("intact file: %v", err)
	}
	if _, err := openBytes(t, raw[:len(raw)-1]); err == nil {
		t.Error("file without its end accepted")
	}
	// The rest through parse, what Open does after mapping the file.
	records := func(b []byte) (int, error) {
		paths, _, _, err := parse(b, "d1")
		return len(paths), err
	}
	for n := 1; n < len(raw); n++ {
		if _, err := records(raw[:n]); err == nil {
			t.Fatalf("file cut to %d of %d bytes accepted", n, len(raw))
		}
	}
	if _, err := records(append(raw[:len(raw):len(raw)], 0)); err == nil {
		t.Error("bytes after the end accepted")
	}
	for i := range raw {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			bad := append([]byte(nil), raw...)
			bad[i] ^= x
			if n, err := records(bad); err == nil && n != 0 {
				t.Fatalf("byte %d changed (^%#x): %d records accepted", i, x, n)
			}
		}
	}
}

func TestOtherFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  string
		err  bool
	}{
		{"empty", "", false},
		{"format 2", "{\"format\":2,\"digest\":\"d1\"}\n{\"path\":\"a\"}\n", false},
		{"other format", magic + "\x09\x02d1\x00", false},
		{"other digest", magic + "\x03\x02d2\x00", false},
		{"no records", magic + "\x03\x02d1\x00", false},
		{"not a cache", "hello, world\n", true},
		{"other JSON", "{\"hello\":1}\n", true},
		{"magic cut short", magic[:5], true},
		{"digest cut short", magic + "\x03\x05d1", true},
		{"no end", magic + "\x03\x02d1", true},
		{"record cut short", magic + "\x03\x02d1\x10\x00\x00\x00\x00\x01", true},
	} {
		c, err := openBytes(t, []byte(tc.raw))
		if (err != nil) != tc.err {
			t.Errorf("%s: error %v, want one: %v", tc.name, err, tc.err)
		}
		if err == nil && c.Len() != 0 {
			t.Errorf("%s: %d records", tc.name, c.Len())
		}
	}
}

// The last record of a path in a file is the one that counts, whether
// two were stored or one replayed and then stored again.
func TestLaterRecordWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	c, _ := Open(path, "d1")
	c.Store("a", 1, mod, "", Record{})
	c.Store("a", 2, mod, "", Record{})
	c.Store("b", 1, mod, "", Record{Errors: fullRecord(t, "b").Errors})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c, _ = Open(path, "d1")
	if c.Len() != 2 {
		t.Errorf("%d paths, want 2", c.Len())
	}
	if _, ok := c.Lookup("a", 1, mod, "", nil); ok {
		t.Error("the earlier record of a path replayed")
	}
	if _, ok := c.Lookup("a", 2, mod, "", nil); !ok {
		t.Error("the later record of a path not replayed")
	}
	if _, ok := c.Lookup("b", 1, mod, "", nil); !ok {
		t.Error("b not replayed")
	}
	c.Store("b", 5, mod, "", Record{}) // b changed after all
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c, _ = Open(path, "d1")
	defer c.Close()
	if _, ok := c.Lookup("a", 2, mod, "", nil); !ok {
		t.Error("a replayed record not copied into the next file")
	}
	if _, ok := c.Lookup("b", 1, mod, "", nil); ok {
		t.Error("a replayed record outlived the record stored after it")
	}
	if _, ok := c.Lookup("b", 5, mod, "", nil); !ok {
		t.Error("the record stored after a replay lost")
	}
}

// A scan that ends without Save leaves the cache file as it was and no
// temporary file; Close is idempotent and ends lookups.
func TestCloseWithoutSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	raw := saved(t, path)
	if m := nextFiles(dir); len(m) != 0 {
		t.Fatalf("Save left %v", m)
	}
	c, err := Open(path, "d1")
	if err != nil {
		t.Fatal(err)
	}
	c.Store("new", 1, mod, "", Record{})
	if len(nextFiles(dir)) != 1 {
		t.Errorf("Store did not write to a temporary file: %v", nextFiles(dir))
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if m := nextFiles(dir); len(m) != 0 {
		t.Errorf("Close left %v", m)
	}
	if now, _ := os.ReadFile(path); string(now) != string(raw) {
		t.Error("cache file changed without Save")
	}
	if _, ok := c.Lookup("b", 2, mod, "1:2", nil); ok {
		t.Error("lookup after Close")
	}
	c.Store("late", 1, mod, "", Record{})
	if err := c.Save(); err == nil {
		t.Error("Save after Close")
	}
	if m := nextFiles(dir); len(m) != 0 {
		t.Errorf("Store after Close left %v", m)
	}
}

// Write finishes the next file without putting it in place: Close then
// removes it and leaves the cache file as it was; Commit puts it in place,
// once, and the file is what Save would have written.
func TestWriteThenCommitOrClose(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	raw := saved(t, path)
	rescan := func() *Cache {
		c, err := Open(path, "d1")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Lookup("b", 2, mod, "1:2", nil); !ok {
			t.Fatal("b not found")
		}
		c.Store("new", 4, mod, "", Record{})
		return c
	}

	c := rescan()
	if err := c.Commit(); err == nil {
		t.Error("Commit before Write")
	}
	if err := c.Write(); err != nil {
		t.Fatal(err)
	}
	if len(nextFiles(dir)) != 1 {
		t.Errorf("Write left %v, want the next file", nextFiles(dir))
	}
	if now, _ := os.ReadFile(path); string(now) != string(raw) {
		t.Error("cache file changed before Commit")
	}
	c.Close()
	if m := nextFiles(dir); len(m) != 0 {
		t.Errorf("Close after Write left %v", m)
	}
	if now, _ := os.ReadFile(path); string(now) != string(raw) {
		t.Error("cache file changed without Commit")
	}

	c = rescan()
	if err := c.Write(); err != nil {
		t.Fatal(err)
	}
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := c.Commit(); err == nil {
		t.Error("second Commit")
	}
	c.Close()
	committed, _ := os.ReadFile(path)
	if m := nextFiles(dir); len(m) != 0 {
		t.Errorf("Commit left %v", m)
	}
	c = rescan()
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if now, _ := os.ReadFile(path); string(now) != string(committed) || string(now) == string(raw) {
		t.Error("Write and Commit wrote other than Save")
	}
}

// nextFiles lists the next files a cache in dir has begun and not put in
// place.
func nextFiles(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, ".leakguard-cache-*"))
	return m
}

// Workers look up and store at once, as a scan's do; what they replayed
// and stored is what the next file holds.
func TestConcurrentUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	c, _ := Open(path, "d1")
	for i := range 200 {
		c.Store(fmt.Sprint(i), int64(i), mod, "", Record{Findings: []finding.Finding{syntheticFinding(fmt.Sprint(i), i)}})
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c, _ = Open(path, "d1")
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < 400; i += 4 {
				p := fmt.Sprint(i)
				if r, ok := c.Lookup(p, int64(i), mod, "", nil); ok != (i < 200) || ok && r.Findings[0].Location.Path != p {
					t.Errorf("lookup %s: %v", p, ok)
				}
				if i%2 == 1 {
					c.Store(p, int64(i+1), mod, "", Record{})
				}
			}
		})
	}
	wg.Wait()
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c, _ = Open(path, "d1")
	defer c.Close()
	if c.Len() != 300 {
		t.Errorf("%d records, want 300", c.Len())
	}
	for i := range 400 {
		size := int64(i)
		if i%2 == 1 {
			size++
		}
		if _, ok := c.Lookup(fmt.Sprint(i), size, mod, "", nil); ok != (i < 200 || i%2 == 1) {
			t.Errorf("record %d: %v", i, ok)
		}
	}
}
