package markup

import (
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"golang.org/x/text/encoding/charmap"
)

// page is a web page with planted tokens wherever a page hides text from
// its reader: meta content, attributes, form values, inline script and
// style, comments, credentials in links, data-* values, a data: URI and an
// iframe srcdoc.
const page = `<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<meta name="api-key" content="PLANT-meta">
<title>Quarterly &amp; PLANT-title</title>
<style>.x { background: url("PLANT-style") }</style>
<script>var token = "PLANT-script";
var other = 1;</script>
</head>
<body>
<!-- deploy key: PLANT-comment -->
<h1>Report <b>PLANT-h1</b></h1>
<p>First   paragraph,
wrapped &lt;here&gt; with <a href="https://admin:PLANT-urlpass@db.example.com/x" title="PLANT-linktitle">a link</a> and more.</p>
<p>Mail <a href="mailto:PLANT-mail@example.com">us</a>; plain <a href="https://example.com/about">about</a>.</p>
<table>
<tr><th>user</th><th>password</th></tr>
<tr><td>alice</td><td>PLANT-cell</td></tr>
<tr><td></td><td>PLANT-second</td></tr>
</table>
<form>Login <input type="password" name="db_password" value="PLANT-value"> <input value="PLANT-anon" placeholder="PLANT-hint"></form>
<div data-secret="PLANT-data">div</div>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="PLANT-alt">
<script src="data:text/javascript;base64,dmFyIGs9IlBMQU5ULWRhdGF1cmkiOw=="></script>
<pre>line one
  PLANT-pre   kept</pre>
<textarea name="notes">PLANT-textarea</textarea>
<iframe srcdoc="&lt;p&gt;inner PLANT-srcdoc&lt;/p&gt;"></iframe>
<p>caf&eacute; &#x41;&#66; end</p>
</body></html>
`

const pageText = `api-key: PLANT-meta
Quarterly & PLANT-title
.x { background: url("PLANT-style") }
var token = "PLANT-script";
var other = 1;
deploy key: PLANT-comment
Report PLANT-h1
First paragraph, wrapped <here> with a link and more.
href: https://admin:PLANT-urlpass@db.example.com/x
title: PLANT-linktitle
Mail us; plain about.
href: mailto:PLANT-mail@example.com
user	password
alice	PLANT-cell
	PLANT-second
Login
db_password: PLANT-value
value: PLANT-anon
placeholder: PLANT-hint
div
data-secret: PLANT-data
alt: PLANT-alt
src: var k="PLANT-datauri";
line one
  PLANT-pre   kept
notes: PLANT-textarea
inner PLANT-srcdoc
café AB end
`

func TestHTMLTextAndHiddenValues(t *testing.T) {
	res := extracttest.Run(t, "page.html", []byte(page), extracttest.Options{}, New())
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	if len(res.Texts) != 1 {
		t.Fatalf("got %d text streams, want 1", len(res.Texts))
	}
	if got := res.Texts[0].Text; got != pageText {
		t.Errorf("text:\n%s\nwant:\n%s", got, pageText)
	}
	for _, tok := range extracttest.Plant.FindAllString(page, -1) {
		if tok == "PLANT-datauri" {
			continue // base64 in the page; found only once decoded
		}
		if got := res.Where(tok); !slices.Equal(got, []string{"page.html"}) {
			t.Errorf("%s found at %v, want [page.html]", tok, got)
		}
	}
	if got := res.Where("PLANT-datauri"); !slices.Equal(got, []string{"page.html"}) {
		t.Errorf("data: URI content found at %v", got)
	}
}

func TestHTMLCharsets(t *testing.T) {
	cyr, _ := charmap.Windows1251.NewEncoder().String("Пароль: PLANT-cyr")
	latin, _ := charmap.Windows1252.NewEncoder().String("Café PLANT-latin")
	l2, _ := charmap.ISO8859_2.NewEncoder().String("Zażółć PLANT-xml")
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "<p>Grüße PLANT-utf16</p>" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	cases := []struct {
		name, data, want string
	}{
		{"meta charset", `<html><head><meta charset="windows-1251"></head><body><p>` + cyr + `</p></body></html>`, "Пароль: PLANT-cyr"},
		{"http-equiv", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body>` + cyr + `</body></html>`, "Пароль: PLANT-cyr"},
		{"no declaration, not UTF-8", `<html><body><p>` + latin + `</p></body></html>`, "Café PLANT-latin"},
		{"declared UTF-8, is not", `<html><head><meta charset="utf-8"></head><body><p>` + latin + `</p></body></html>`, "Café PLANT-latin"},
		{"declared Latin-1, is UTF-8", `<html><head><meta charset="iso-8859-1"></head><body><p>Café PLANT-utf8</p></body></html>`, "Café PLANT-utf8"},
		{"xml declaration", `<?xml version="1.0" encoding="ISO-8859-2"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>` + l2 + `</p></body></html>`, "Zażółć PLANT-xml"},
		{"utf-16 bom", string(utf16), "Grüße PLANT-utf16"},
	}
	for _, c := range cases {
		res := extracttest.Run(t, "page.html", []byte(c.data), extracttest.Options{}, New())
		if len(res.Texts) != 1 || !strings.Contains(res.Texts[0].Text, c.want) {
			t.Errorf("%s: got %q, want it to hold %q", c.name, res.All(), c.want)
		}
	}
}

func TestHTMLTableCellsAndBlocks(t *testing.T) {
	const doc = `<html><body><div>a<div>b</div>c</div><ul><li>one<li>two</ul>` +
		`<table><tr><td>k1</td><td>v1</td></tr><tr><td>k2<td>v2<td>v3</table>after<br>break</body></html>`
	res := extracttest.Run(t, "t.html", []byte(doc), extracttest.Options{}, New())
	const want = "a\nb\nc\none\ntwo\nk1\tv1\nk2\tv2\tv3\nafter\nbreak\n"
	if got := res.All(); got != want+"\n" {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestHTMLSelfClosingScriptInXHTML(t *testing.T) {
	// An XHTML <script/> has no content: the text after it is text, not
	// script source waiting for a </script> that never comes.
	const doc = `<html xmlns="http://www.w3.org/1999/xhtml"><head><script src="a.js"/></head><body><p>PLANT-after</p></body></html>`
	res := extracttest.Run(t, "c.xhtml", []byte(doc), extracttest.Options{}, New())
	if got := res.All(); got != "PLANT-after\n\n" {
		t.Errorf("got %q", got)
	}
}
