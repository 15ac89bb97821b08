package fs

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestSizedFile: a file is read up to the size it had when opened, even
// if it grows meanwhile; one that was empty then (as files of /proc say
// they are) is read to its end; EOF stays EOF; random access still reads.
func TestSizedFile(t *testing.T) {
	dir := t.TempDir()
	grow := func(p, s string) {
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(s)
		f.Close()
	}
	for _, c := range []struct{ before, after, want string }{
		{"hello", " world", "hello"},
		{"", "late text", "late text"},
	} {
		p := filepath.Join(dir, "f.txt")
		if err := os.WriteFile(p, []byte(c.before), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := openRegular(p, true)
		if err != nil {
			t.Fatal(err)
		}
		grow(p, c.after)
		got, err := io.ReadAll(f)
		if err != nil || string(got) != c.want {
			t.Errorf("file of %q grown by %q: read %q, %v; want %q", c.before, c.after, got, err, c.want)
		}
		if n, err := f.Read(make([]byte, 8)); n != 0 || err != io.EOF {
			t.Errorf("read after the end: %d, %v", n, err)
		}
		b := make([]byte, 4)
		if n, err := f.ReadAt(b, 1); n != 4 || string(b) != (c.before + c.after)[1:5] {
			t.Errorf("ReadAt: %d %q %v", n, b, err)
		}
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	}
}
