package milter

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	gomilter "github.com/d--j/go-milter"
)

func TestSpool(t *testing.T) {
	dir := t.TempDir()
	s := spool{dir: dir, limit: 200 << 10}
	var want bytes.Buffer
	chunk := bytes.Repeat([]byte("0123456789\r\n"), 1000) // 12,000 bytes
	for i := 0; i < 16; i++ {
		if _, err := s.Write(chunk); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		want.Write(chunk)
		if inFile := s.f != nil; inFile != (want.Len() > spoolMemory) {
			t.Fatalf("after %d bytes in file = %v", want.Len(), inFile)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("spool file still has a name: %v", entries)
	}
	// A write that would cross the limit is refused whole.
	if _, err := s.Write(make([]byte, 20<<10)); !errors.Is(err, errTooLarge) {
		t.Fatalf("write past the limit: %v, want errTooLarge", err)
	}
	for range 2 { // the reader starts over each time
		got, err := io.ReadAll(s.reader())
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("read back %d bytes (%v), want %d", len(got), err, want.Len())
		}
	}
	s.close()
	s.close()
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"card numbers", 200, "card numbers"},
		{"  two\r\n\r\nlines\t ", 200, "two lines"},
		{"nul\x00and\x7fdel", 200, "nul and del"},
		{"Ünïcode ✓", 200, "?n?code ?"},
		{"abcdef ghij", 6, "abcdef"},
		{"abc defghij", 6, "abc de"},
		{"abcde fghij", 6, "abcde"},
		{"", 10, ""},
	}
	for _, tc := range tests {
		if got := cleanText(tc.in, tc.n); got != tc.want {
			t.Errorf("cleanText(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

// A message larger than the in-memory part of the spool reaches Check whole,
// from a temporary file that has no name on disk and is gone afterwards.
func TestLargeMessageSpooledToUnlinkedFile(t *testing.T) {
	dir := t.TempDir()
	body := strings.Repeat("A fairly long line of an attachment, base64 or not.\r\n", 60000) // ~3.2 MB
	mail := testMail{from: "<a@example.org>", to: []string{"<b@example.net>"},
		headers: [][2]string{{"Subject", " big"}}, body: body}
	want := sha256.Sum256([]byte(mail.raw()))
	var got [32]byte
	var openInDir int
	check := func(_ context.Context, m Message) (Verdict, error) {
		h := sha256.New()
		if _, err := io.Copy(h, m.Body); err != nil {
			return Verdict{}, err
		}
		copy(got[:], h.Sum(nil))
		openInDir = openFilesIn(t, dir)
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("spool file has a name during Check: %v", entries)
		}
		return Verdict{Action: AddHeader, Header: "checked"}, nil
	}
	addr := startServer(t, &Server{Check: check, SpoolDir: dir})
	_, act := sendOne(t, addr, mail)
	if act.Type != gomilter.ActionAccept {
		t.Fatalf("answer %v, want accept", act)
	}
	if got != want {
		t.Error("Check read a different message than was sent")
	}
	if openInDir != 1 {
		t.Errorf("%d files open in SpoolDir during Check, want 1", openInDir)
	}
	if n := openFilesIn(t, dir); n != 0 {
		t.Errorf("%d files still open in SpoolDir after the answer", n)
	}
}

// openFilesIn counts this process's open files under dir (Linux /proc).
func openFilesIn(t *testing.T, dir string) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd on this system")
	}
	n := 0
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, dir+string(filepath.Separator)) {
			n++
		}
	}
	return n
}

// patternReader yields n bytes of mail-like lines without holding them.
type patternReader struct{ n int64 }

func (r *patternReader) Read(p []byte) (int, error) {
	const line = "QSBsaW5lIG9mIGEgYmFzZTY0IGF0dGFjaG1lbnQsIHJlcGVhdGVkIG1hbnkgdGltZXMu\r\n"
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:min(len(p), k+int(min(r.n, int64(len(line)))))], line)
		k += c
		r.n -= int64(c)
	}
	return k, nil
}

// Memory is bounded by connections, not by message size: while Check
// reads a 24 MB message the live heap has grown by far less than that.
func TestLargeMessageBoundedHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 24 MB")
	}
	const size = 24 << 20
	var grown int64
	var read int64
	check := func(_ context.Context, m Message) (Verdict, error) {
		n, err := io.Copy(io.Discard, m.Body)
		read = n
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		grown = int64(ms.HeapAlloc)
		return Verdict{}, err
	}
	addr := startServer(t, &Server{Check: check, SpoolDir: t.TempDir()})
	m := dial(t, addr)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	m.start(testMail{from: "<a@example.org>", to: []string{"<b@example.net>"}, headers: [][2]string{{"Subject", " big"}}})
	_, act, err := m.sess.BodyReadFrom(&patternReader{n: size})
	if err != nil || act.Type != gomilter.ActionAccept {
		t.Fatalf("answer %v, %v", act, err)
	}
	if read != size+int64(len("Subject: big\r\n\r\n")) {
		t.Errorf("Check read %d bytes", read)
	}
	grown -= int64(before.HeapAlloc)
	t.Logf("live heap grew by %d KiB while Check read a %d MiB message", grown>>10, size>>20)
	if grown > 4<<20 {
		t.Errorf("live heap grew by %d MiB for a %d MiB message", grown>>20, size>>20)
	}
}
