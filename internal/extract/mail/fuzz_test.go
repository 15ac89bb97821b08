package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// tikaSeeds adds the Tika corpus files with the given extension as seeds.
func tikaSeeds(f *testing.F, ext string) {
	files, err := filepath.Glob(filepath.Join(sharedPath(f, "documents", "tika"), "*"+ext))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzMboxSplitter(f *testing.F) {
	tikaSeeds(f, ".mbox")
	f.Add([]byte(threeMessages()))
	f.Add([]byte("From a 2001\r\n\r\n>From b\r\nFrom c 2002\r\nX: y\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sp := newMboxSplitter(bytes.NewReader(data))
		total := 0
		for i := 0; ; i++ {
			sep, err := sp.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if i > len(data) {
				t.Fatal("more messages than bytes")
			}
			b, err := io.ReadAll(sp)
			if err != nil {
				t.Fatal(err)
			}
			total += len(sep) + len(b)
		}
		if total > len(data) {
			t.Fatalf("%d bytes out of %d in", total, len(data))
		}
	})
}

// asMessage reads any node as a MIME message, so the fuzzer's bytes reach
// the walker whatever the registry identifies them as.
type asMessage struct{}

func (asMessage) Kinds() []extract.Kind {
	return []extract.Kind{extract.KindText, extract.KindBinary, extract.KindHTML, extract.KindXML, extract.KindRTF}
}

func (asMessage) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	return walkMessage(ctx, n.R, out)
}

func FuzzMIME(f *testing.F) {
	tikaSeeds(f, ".eml")
	f.Add([]byte(nestedMessage()))
	f.Add([]byte(lines("Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: message/rfc822", "", "Subject: x", "", "y", "--b--")))
	f.Add([]byte(lines("Content-Type: text/plain; charset=iso-2022-jp", "Content-Transfer-Encoding: quoted-printable", "", "=1B$B=3D=1B(B =ZZ")))
	x := New()
	x.ReadPST = "leakguard-fuzz-no-readpst" // never start a helper from the fuzzer
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := extracttest.Options{Limits: extract.Limits{MaxBytes: 64 << 20, MaxEntries: 1000}}
		extracttest.Run(t, "fuzz.eml", data, opts, x, asMessage{})
	})
}

func FuzzMsg(f *testing.F) {
	tikaSeeds(f, ".msg")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := openMsg(bytes.NewReader(data))
		if err != nil {
			return
		}
		root := m.open("", 32)
		defer func() {
			// A panic inside the compound-file library is caught in
			// production (and becomes an item error); one in our own
			// code is a bug.
			if r := recover(); r != nil {
				stack := string(debug.Stack())
				if !strings.Contains(stack[strings.Index(stack, "panic("):], "richardlehane/mscfb") {
					t.Fatalf("panic: %v\n%s", r, stack)
				}
			}
		}()
		mw := &msgWriter{}
		if err := mw.write(io.Discard, root); err != nil {
			t.Logf("write: %v", err)
		}
	})
}

func FuzzDecompressRTF(f *testing.F) {
	for _, file := range []string{"testMSG.msg", "test-outlook.msg", "testMSG_att_msg.msg"} {
		f.Add(rtfBody(f, file))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rtf, err := decompressRTF(bytes.NewReader(data))
		if err == nil && len(rtf) > maxRTF+8 {
			t.Fatalf("%d bytes out", len(rtf))
		}
	})
}
