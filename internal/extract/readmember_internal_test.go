package extract

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"testing"
	"testing/iotest"
)

// TestReadMember reads members of unknown length in one block, in several
// joined, past memberMemory partly into a temporary file, and past the
// dedup limit, where they are read through; a stream that fails keeps
// what was read before with its error. Every way of reading a member gives
// its bytes, and releasing it removes its file.
func TestReadMember(t *testing.T) {
	data := make([]byte, 3*memberMemory/2+12345)
	for i := range data {
		data[i] = byte(i*7 + i/4093)
	}
	for _, c := range []struct {
		name    string
		n       int
		limit   int64
		over    bool
		spilled bool
	}{
		{"small", 1000, 32 << 20, false, false},
		{"blocks", memberMemory / 2, 32 << 20, false, false},
		{"spilled", len(data), 32 << 20, false, true},
		{"over, in memory", len(data), memberMemory / 2, true, false},
		{"over, spilled", len(data), memberMemory + presize, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, err := readMember(iotest.OneByteReader(bytes.NewReader(data[:c.n])), -1, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			defer h.release()
			if over := h.size() > c.limit; over != c.over {
				t.Fatalf("%d bytes read, limit %d: over %v, want %v", h.size(), c.limit, over, c.over)
			}
			if spilled := h.file != nil; spilled != c.spilled {
				t.Fatalf("spilled to a file: %v, want %v", spilled, c.spilled)
			}
			if c.over {
				got, _ := io.ReadAll(h.reader())
				if int64(len(got)) != c.limit+1 || !bytes.Equal(got, data[:len(got)]) {
					t.Fatalf("read through: %d bytes, want the first limit+1 = %d", len(got), c.limit+1)
				}
				return
			}
			r, at, size := h.whole()
			got, _ := io.ReadAll(r)
			if size != int64(c.n) || !bytes.Equal(got, data[:c.n]) {
				t.Fatalf("whole: %d bytes (size %d), want %d, equal %v", len(got), size, c.n, bytes.Equal(got, data[:c.n]))
			}
			// Random reads across the boundary between memory and file.
			for _, off := range []int64{0, memberMemory - 3, memberMemory, int64(c.n) - 10} {
				if off < 0 || off+10 > int64(c.n) {
					continue
				}
				p := make([]byte, 10)
				if k, err := at.ReadAt(p, off); k != 10 || err != nil || !bytes.Equal(p, data[off:off+10]) {
					t.Errorf("ReadAt(%d): %d bytes, %v, equal %v", off, k, err, bytes.Equal(p, data[off:off+10]))
				}
			}
			if sum, err := h.sum(); err != nil || sum != sha256.Sum256(data[:c.n]) {
				t.Errorf("sum: %x, %v; want the SHA-256 of the member", sum, err)
			}
		})
	}
	for _, n := range []int{presize + 10, memberMemory + presize + 10} {
		bad := io.MultiReader(bytes.NewReader(data[:n]), iotest.ErrReader(io.ErrUnexpectedEOF))
		h, err := readMember(bad, -1, 32<<20)
		r, _, size := h.whole()
		got, _ := io.ReadAll(r)
		if err != io.ErrUnexpectedEOF || size != int64(n) || !bytes.Equal(got, data[:n]) {
			t.Errorf("stream failing after %d bytes: %d bytes, err %v", n, len(got), err)
		}
		h.release()
	}
	h, err := readMember(bytes.NewReader(data), -1, 32<<20)
	if err != nil || h.file == nil {
		t.Fatalf("no file for %d bytes: %v", len(data), err)
	}
	name := h.file.Name()
	h.release()
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("the member's file is left after release: %v", err)
	}
}
