package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
	"time"
)

// goldenMediaSHA is the SHA-256 of the set file below as written before the
// framing moved to setfile: the on-disk format must not change with it.
const goldenMediaSHA = "e46d31c901d6212e220ca2e50cf048aaf16c40ce808e0c6d8e1096abad6be1b9"

func TestSetFileGolden(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenSet(dir, "golden", testKeys(t), DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"film.mkv", "disk.img", "film.mkv"} {
		if _, err := s.Add(name, bytes.NewReader(fakeMedia(uint64(i+1), 150000))); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range s.files {
		f.registered = time.Unix(1700000000+int64(i)*3600, 0).UTC()
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(setPath(dir, "golden"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != goldenMediaSHA {
		t.Errorf("set file of %d bytes has SHA-256 %s, want %s", len(b), got, goldenMediaSHA)
	}
	s2, err := OpenSet(dir, "golden", testKeys(t), DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.files) != 3 || s2.files[2].version != 2 || !s2.files[1].registered.Equal(time.Unix(1700003600, 0)) {
		t.Errorf("reloaded %d files", len(s2.files))
	}
}
