package markup

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/extract"
)

// seeds adds the small Tika documents of kind as fuzz seeds (large ones
// make the fuzzer's minimisation crawl).
func seeds(f *testing.F, kind extract.Kind) {
	for _, data := range tikaFiles(f, kind) {
		if len(data) <= 16<<10 {
			f.Add(data)
		}
	}
}

func FuzzHTMLWalk(f *testing.F) {
	f.Add([]byte(page))
	f.Add([]byte(`<meta charset="windows-1251"><p>\xcf\xe0</p>`))
	f.Add([]byte(`<?xml version="1.0" encoding="utf-16"?><script/><p a=/>x</p><![CDATA[y]]>`))
	// A crasher: a data: URI of bytes that are not UTF-8.
	f.Add([]byte(`<script src="data:text/javascript;base64,MDAw0w=="></script>`))
	f.Add([]byte(`<iframe srcdoc="<iframe srcdoc='&lt;p&gt;x'>"></iframe><a href="data:text/plain,%41">`))
	seeds(f, extract.KindHTML)
	f.Fuzz(func(t *testing.T, data []byte) {
		var out strings.Builder
		lw := newLineWriter(&out)
		err := walkHTML(context.Background(), htmlReader(bytes.NewReader(data), data), lw, 0)
		if cerr := lw.close(); err == nil && cerr != nil {
			t.Fatal(cerr)
		}
		// Decoded input is UTF-8; the walker must not break it.
		if utf8.Valid(data) && !utf8.ValidString(out.String()) {
			t.Errorf("valid UTF-8 in, invalid out: %q", out.String())
		}
	})
}

func FuzzRTF(f *testing.F) {
	f.Add([]byte(rtfDoc()))
	f.Add([]byte(`{\rtf1\ansi\ansicpg932{\fonttbl{\f0\fcharset128 M;}}\f0\'82\'a0\'83N\uc0\u-10179\u-8704}`))
	f.Add([]byte(`{\rtf1{\object{\*\objdata 0105000002000000080000005061636b616765}}}\bin99999999 x`))
	seeds(f, extract.KindRTF)
	f.Fuzz(func(t *testing.T, data []byte) {
		var out strings.Builder
		p := newRTFParser(bytes.NewReader(data), newLineWriter(&out), func(e embedded) error {
			if len(e.data) > len(data) {
				t.Errorf("object of %d bytes from %d bytes of RTF", len(e.data), len(data))
			}
			return nil
		})
		err := p.parse(context.Background())
		if err != nil && err != errTooDeep {
			t.Fatalf("parse: %v", err)
		}
		if len(p.stack) > maxDepth {
			t.Errorf("stack of %d groups", len(p.stack))
		}
	})
}
