package markup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/leakguard/leakguard/internal/extract"
)

// maxToken bounds the one token the HTML tokenizer holds in memory (a text
// run, a script, an attribute list with a data: URI).
const maxToken = 16 << 20

// maxSrcdoc is how deep iframe srcdoc pages are walked inside one another.
const maxSrcdoc = 3

func extractHTML(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	tw := out.Text(ctx)
	lw := newLineWriter(tw)
	err := walkHTML(ctx, htmlReader(n.R, n.Head), lw, 0)
	if cerr := lw.close(); err == nil {
		err = cerr
	}
	if cerr := tw.Close(); cerr != nil {
		return cerr // the engine's error comes first: it ends the item
	}
	return err
}

// htmlWalker turns a token stream into text.
type htmlWalker struct {
	z     *html.Tokenizer
	lw    *lineWriter
	depth int // srcdoc nesting

	raw    atom.Atom // the element whose raw text comes next: script, style, title…
	rawKey string    // a textarea's name, written before its text
	pre    int       // depth inside <pre> and <listing>: white space kept
	cells  int       // cells started in the current table row
	attrs  []attr    // the interesting attributes of the current tag
}

type attr struct{ key, val string }

// walkHTML writes the text of the page read from r to lw.
func walkHTML(ctx context.Context, r io.Reader, lw *lineWriter, depth int) error {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(maxToken)
	w := &htmlWalker{z: z, lw: lw, depth: depth}
	for i := 0; ; i++ {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if lw.err != nil {
			return lw.err
		}
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			err := z.Err()
			switch {
			case errors.Is(err, io.EOF):
				return nil
			case errors.Is(err, html.ErrBufferExceeded):
				return &extract.LimitError{Limit: "buffer",
					Msg: fmt.Sprintf("an HTML token longer than %d bytes: the rest of the page is not scanned", maxToken)}
			}
			return err
		case html.TextToken:
			w.textToken()
		case html.StartTagToken, html.SelfClosingTagToken:
			if err := w.startTag(ctx, tt == html.SelfClosingTagToken); err != nil {
				return err
			}
		case html.EndTagToken:
			w.endTag()
		case html.CommentToken:
			w.comment(string(z.Text()))
		}
	}
}

func (w *htmlWalker) textToken() {
	s := string(w.z.Text())
	switch w.raw {
	case 0:
		if w.pre > 0 {
			w.lw.text(s)
		} else {
			w.lw.words(s)
		}
	case atom.Xmp, atom.Plaintext:
		w.lw.text(s)
	default:
		// script, style, title, textarea: on lines of their own, with
		// a textarea's name as the key of its value.
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if w.rawKey != "" {
			s = w.rawKey + ": " + s
			w.rawKey = ""
		}
		w.lw.line(s)
	}
}

func (w *htmlWalker) comment(s string) {
	switch {
	case strings.HasPrefix(s, "[CDATA[") && strings.HasSuffix(s, "]]"):
		w.lw.words(s[len("[CDATA[") : len(s)-2])
	case strings.HasPrefix(s, "?xml "):
		// the XML declaration: nothing to scan
	default:
		w.lw.line(strings.TrimSpace(s))
	}
}

func (w *htmlWalker) startTag(ctx context.Context, selfClosing bool) error {
	name, hasAttr := w.z.TagName()
	a := atom.Lookup(name)
	w.attrs = w.attrs[:0]
	var key string // the element's name or id: the key of its value
	var srcdoc string
	for more := hasAttr; more; {
		var k, v []byte
		k, v, more = w.z.TagAttr()
		switch ak := string(k); ak {
		case "name", "id", "property", "itemprop", "http-equiv":
			if key == "" || ak == "name" {
				key = strings.TrimSpace(string(v))
			}
		case "srcdoc":
			srcdoc = string(v)
		default:
			if keepAttr(ak, v) {
				w.attrs = append(w.attrs, attr{ak, string(v)})
			}
		}
	}

	switch {
	case a == atom.Td || a == atom.Th:
		if w.cells > 0 {
			w.lw.tab()
		} else {
			w.lw.space()
		}
		w.cells++
	case a == atom.Tr:
		w.lw.newline()
		w.cells = 0
	case isBlock(a):
		w.lw.newline()
	}
	switch a {
	case atom.Pre, atom.Listing:
		if !selfClosing {
			w.pre++
		}
	case atom.Script, atom.Style, atom.Title, atom.Textarea, atom.Xmp, atom.Plaintext:
		if selfClosing {
			// XHTML's <script/>: no raw text follows.
			w.z.NextIsNotRawText()
		} else {
			w.raw = a
			if a == atom.Textarea {
				w.rawKey = key
			}
		}
	case atom.Iframe, atom.Noscript, atom.Noembed, atom.Noframes:
		// Their content is markup to walk, not text to print.
		w.z.NextIsNotRawText()
	}

	for _, at := range w.attrs {
		w.writeAttr(key, at)
	}
	if srcdoc != "" && w.depth < maxSrcdoc {
		w.lw.newline()
		if err := walkHTML(ctx, strings.NewReader(srcdoc), w.lw, w.depth+1); err != nil {
			return err
		}
		w.lw.newline()
	}
	return nil
}

func (w *htmlWalker) endTag() {
	name, _ := w.z.TagName()
	a := atom.Lookup(name)
	if a != 0 && a == w.raw {
		w.raw, w.rawKey = 0, ""
	}
	switch {
	case a == atom.Pre || a == atom.Listing:
		if w.pre > 0 {
			w.pre--
		}
		w.lw.newline()
	case a == atom.Tr || a == atom.Table:
		w.lw.newline()
		w.cells = 0
	case a == atom.Td || a == atom.Th:
		// the next cell's tab keeps them apart
	case isBlock(a):
		w.lw.newline()
	}
}

// isBlock reports whether an element starts a new line in a browser.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Body, atom.Br, atom.Caption,
		atom.Center, atom.Dd, atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Dt,
		atom.Embed, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.Frame,
		atom.Frameset, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Head, atom.Header,
		atom.Hgroup, atom.Hr, atom.Html, atom.Iframe, atom.Legend, atom.Li, atom.Link, atom.Listing,
		atom.Main, atom.Menu, atom.Meta, atom.Nav, atom.Noscript, atom.Object, atom.Ol,
		atom.Optgroup, atom.Option, atom.P, atom.Param, atom.Plaintext, atom.Pre, atom.Script,
		atom.Section, atom.Select, atom.Style, atom.Summary, atom.Table, atom.Tbody, atom.Template,
		atom.Textarea, atom.Tfoot, atom.Thead, atom.Title, atom.Ul, atom.Xmp:
		return true
	}
	return false
}
