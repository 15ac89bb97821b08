package extract

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadMember reads members of unknown length in one block, in several
// joined, and past the dedup limit, where the blocks are handed on whole;
// a stream that fails keeps what was read before with its error.
func TestReadMember(t *testing.T) {
	data := make([]byte, 3*presize+12345)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, c := range []struct {
		name  string
		n     int
		limit int64
		over  bool
	}{{"small", 1000, 32 << 20, false}, {"blocks", len(data), 32 << 20, false}, {"over", len(data), 2 * presize, true}} {
		t.Run(c.name, func(t *testing.T) {
			buf, over, err := readMember(iotest.OneByteReader(bytes.NewReader(data[:c.n])), -1, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if (over != nil) != c.over {
				t.Fatalf("over = %v, want %v", over != nil, c.over)
			}
			got := buf
			if over != nil {
				rest, _ := io.ReadAll(over)
				got = rest
				if int64(len(got)) != c.limit+1 {
					t.Fatalf("over holds %d bytes, want limit+1 = %d", len(got), c.limit+1)
				}
			} else if len(got) != c.n {
				t.Fatalf("read %d bytes, want %d", len(got), c.n)
			}
			if !bytes.Equal(got, data[:len(got)]) {
				t.Fatal("bytes differ")
			}
		})
	}
	bad := io.MultiReader(bytes.NewReader(data[:presize+10]), iotest.ErrReader(io.ErrUnexpectedEOF))
	buf, over, err := readMember(bad, -1, 32<<20)
	if err != io.ErrUnexpectedEOF || over != nil || !bytes.Equal(buf, data[:presize+10]) {
		t.Fatalf("failing stream: %d bytes, over %v, err %v", len(buf), over != nil, err)
	}
}
