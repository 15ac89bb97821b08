package docs

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/fingerprint/docs/leakgen"
)

// goldenDocsSHA is the SHA-256 of the set file below as written before the
// framing moved to setfile: the on-disk format must not change with it.
const goldenDocsSHA = "4aacdfb5263cd57b5c2ef5856935a38ce69ae0c43082499f06193c6d6e1cc183"

func TestSetFileGolden(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenSet(dir, "golden", testKeys(t), DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	g := leakgen.NewText(7)
	for _, p := range []string{"a/one.txt", "b/two.txt", "a/one.txt"} {
		if _, err := s.Add(p, strings.NewReader(strings.Join(g.Doc(300), " "))); err != nil {
			t.Fatal(err)
		}
	}
	for i, d := range s.docs {
		d.registered = time.Unix(1700000000+int64(i)*3600, 0).UTC()
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(setPath(dir, "golden"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != goldenDocsSHA {
		t.Errorf("set file of %d bytes has SHA-256 %s, want %s", len(b), got, goldenDocsSHA)
	}
	s2, err := OpenSet(dir, "golden", testKeys(t), DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.docs) != 3 || s2.docs[2].version != 2 || !s2.docs[1].registered.Equal(time.Unix(1700003600, 0)) {
		t.Errorf("reloaded %d docs", len(s2.docs))
	}
}
