package mail

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
)

func TestParseDate(t *testing.T) {
	cases := map[string]string{
		"Thu, 20 Nov 2014 10:00:00 +0000":                                       "2014-11-20",
		"Wed, 30 Jan 2002 15:07:01 -0800 (PST)":                                 "2002-01-30",
		"Wed, 29 Aug 2001 23:03:03 -0700 (PDT) Wed, 29 Aug 2001 23:03:03 -0500": "2001-08-29", // readpst
		"Thu, 23 Aug 2001 15:49:51 -0700 (PDT),Thu, 23 Aug 2001 15:49:51 -0600": "2001-08-23",
		"Mon Jun 01 10:00:00 2009":                                              "2009-06-01", // mbox From line
		"Fri Jul  8 12:08:34 2011":                                              "2011-07-08",
		"2 Jan 2006 23:59:59 +1400":                                             "2006-01-02", // the sender's own day
		"":                                                                      "",
		"yesterday":                                                             "",
	}
	for in, want := range cases {
		got := ""
		if d, ok := parseDate(in); ok {
			got = d.Format("2006-01-02")
		}
		if got != want {
			t.Errorf("parseDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeWords(t *testing.T) {
	cases := map[string]string{
		"=?ISO-8859-1?Q?Caf=E9?= au lait":             "Café au lait",
		"=?UTF-8?B?Wm/Dqw==?= <z@example.com>":        "Zoë <z@example.com>",
		"=?windows-1252?Q?=93quoted=94?=":             "\u201cquoted\u201d",
		"=?x-unknown?Q?abc?=":                         "=?x-unknown?Q?abc?=",
		"raw 8-bit caf\xe9":                           "raw 8-bit café",
		" folded\r\n\tvalue ":                         "folded value",
		"=?utf-8?q?two?= =?utf-8?q?_words?= together": "two words together",
	}
	for in, want := range cases {
		if got := decodeWords(in); got != want {
			t.Errorf("decodeWords(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMediaType(t *testing.T) {
	typ, p := mediaType(`Multipart/Mixed; boundary="=_abc"; charset=utf-8`)
	if typ != "multipart/mixed" || p["boundary"] != "=_abc" {
		t.Errorf("got %q %v", typ, p)
	}
	// A stray character that mime.ParseMediaType refuses does not lose
	// the boundary.
	typ, p = mediaType(`multipart/mixed; boundary="b1"; name=a b; x`)
	if typ != "multipart/mixed" || p["boundary"] != "b1" {
		t.Errorf("lenient: got %q %v", typ, p)
	}
	if _, p = mediaType(`attachment; filename*=UTF-8''%E2%82%AC%20rates.txt`); p["filename"] != "€ rates.txt" {
		t.Errorf("RFC 2231: got %v", p)
	}
	if _, p = mediaType(`attachment; filename="=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?="`); p["filename"] != "résumé.pdf" {
		t.Errorf("RFC 2047 in a parameter: got %v", p)
	}
}

func TestReadHeader(t *testing.T) {
	in := "From alice 2001\nSubject: one\n two\nX-Empty:\nBad Line Without Colon\nbody\n"
	br := bufio.NewReader(strings.NewReader(in))
	h, err := readHeader(br)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Fields) != 2 || h.Get("subject") != " one two" || h.Text("Subject") != "one two" {
		t.Errorf("fields %+v", h.Fields)
	}
	body, _ := io.ReadAll(h.Body(br))
	if string(body) != "Bad Line Without Colon\nbody\n" {
		t.Errorf("body %q", body)
	}
	// A header with no end is cut at maxHeader and the rest is body.
	long := "Subject: x\n" + strings.Repeat("X-Filler: "+strings.Repeat("y", 100)+"\n", 5000)
	br = bufio.NewReader(strings.NewReader(long))
	h, _ = readHeader(br)
	if len(h.Raw) > maxHeader+200 {
		t.Errorf("header of %d bytes read", len(h.Raw))
	}
	rest, _ := io.ReadAll(h.Body(br))
	if len(h.Raw)+len(rest) != len(long) {
		t.Errorf("bytes lost: %d + %d != %d", len(h.Raw), len(rest), len(long))
	}
}

// TestIdentifiable: a message whose first field is not one the registry
// recognises a message by is reordered so that it is; the bytes are the
// same fields.
func TestIdentifiable(t *testing.T) {
	for _, msg := range []string{
		strings.Repeat("X-Google-DKIM-Signature: v=1; a=rsa-sha256\n", 70) + "From: a@example.com\nSubject: s\n\nbody\n",
		"Subject : s\nFrom : a@example.com\nX-A : b\n\nbody\n",
	} {
		if extract.Identify([]byte(msg), "m.eml") == extract.KindEml {
			t.Fatalf("fixture already identified: %q", msg)
		}
		info, r, err := peekMessage(strings.NewReader(msg))
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(r)
		if k := extract.Identify(out, "m.eml"); k != extract.KindEml {
			t.Errorf("reordered message identified as %s: %q", k, out)
		}
		if !strings.HasSuffix(string(out), "\n\nbody\n") || !strings.Contains(string(out), "From: a@example.com\n") || info.Subject != "s" {
			t.Errorf("reordered message lost bytes: %q", out)
		}
	}
	// A message the registry already recognises is left as it is.
	msg := "From: a@example.com\nSubject: s\nX-A: b\n\nbody\n"
	_, r, _ := peekMessage(strings.NewReader(msg))
	if out, _ := io.ReadAll(r); string(out) != msg {
		t.Errorf("recognised message changed: %q", out)
	}
}

func TestWithBOM(t *testing.T) {
	for in, want := range map[string]string{"<p>x</p>": utf8BOM + "<p>x</p>", utf8BOM + "<p>": utf8BOM + "<p>", "": utf8BOM} {
		if got, _ := io.ReadAll(withBOM(strings.NewReader(in))); string(got) != want {
			t.Errorf("withBOM(%q) = %q", in, got)
		}
	}
}
