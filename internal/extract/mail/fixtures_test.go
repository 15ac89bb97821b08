package mail

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"golang.org/x/text/encoding/charmap"
)

// Fixtures are generated here, at test time: messages are written line by
// line as a mail client would, with planted tokens at known places.

// b64 encodes s in base64 lines of 76 characters.
func b64(s []byte) string {
	enc := base64.StdEncoding.EncodeToString(s)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\n")
	return b.String()
}

// qpLatin1 encodes UTF-8 text as ISO-8859-1 quoted-printable.
func qpLatin1(t testing.TB, s string) string {
	latin, err := charmap.ISO8859_1.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(latin))
	w.Close()
	return b.String()
}

// zipOf builds a zip archive of one file.
func zipOf(t testing.TB, name, content string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// lines joins message lines with CRLF, as mail is sent.
func lines(l ...string) string { return strings.Join(l, "\r\n") + "\r\n" }

// tikaFile reads a file of the shared Tika corpus, failing clearly when the
// corpus is not beside the repository.
func tikaFile(t testing.TB, name string) []byte {
	t.Helper()
	return sharedFile(t, "documents", "tika", name)
}

func sharedPath(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"..", "..", "..", "..", "shared", "data"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("test data missing: %v (the shared data folder must be beside the repository)", err)
	}
	return p
}

func sharedFile(t testing.TB, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(sharedPath(t, parts...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantWhere asserts where a planted token was reported.
func wantWhere(t *testing.T, res extracttest.Result, token string, want ...string) {
	t.Helper()
	got := res.Where(token)
	if !slices.Equal(got, want) {
		t.Errorf("%s found at %q, want %q", token, got, want)
	}
}

// textAt returns the text of the streams located exactly at where.
func textAt(res extracttest.Result, where string) string {
	var b strings.Builder
	for _, tx := range res.Texts {
		if tx.Where == where {
			b.WriteString(tx.Text)
		}
	}
	return b.String()
}
