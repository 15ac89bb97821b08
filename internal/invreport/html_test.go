package invreport

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/leakguard/leakguard/internal/store"
)

// render builds and writes the fixture's report and parses it back.
func render(t *testing.T, inv *inventory, f store.Filter, o Options) (string, *html.Node) {
	t.Helper()
	r, err := Build(context.Background(), inv.st, f, o)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// all returns the elements named tag under n, in document order.
func all(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && c.Data == tag {
			out = append(out, c)
		}
	}
	return out
}

func byID(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	for c := range doc.Descendants() {
		if v, _ := attr(c, "id"); c.Type == html.ElementNode && v == id {
			return c
		}
	}
	t.Fatalf("no element with id %q", id)
	return nil
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// drawn counts the shapes of an SVG that have an area or a length.
func drawn(svg *html.Node) int {
	n := 0
	for _, r := range all(svg, "rect") {
		w, _ := attr(r, "width")
		h, _ := attr(r, "height")
		if wf, _ := strconv.ParseFloat(w, 64); wf > 0 {
			if hf, _ := strconv.ParseFloat(h, 64); hf > 0 {
				n++
			}
		}
	}
	for _, p := range all(svg, "polyline") {
		if pts, _ := attr(p, "points"); strings.Count(pts, ",") >= 1 {
			n++
		}
	}
	return n
}

// TestHTMLStructure reads the page as a browser would and checks what a
// reader needs is there, drawn, and that nothing is fetched from anywhere.
func TestHTMLStructure(t *testing.T) {
	inv := newInventory(t)
	raw, doc := render(t, inv, store.Filter{}, Options{Version: "9.9", Inventory: "/state/inventory.db"})

	// Self-contained: no element loads anything, and the policy forbids it.
	for _, tag := range []string{"link", "img", "iframe", "object", "embed", "base", "audio", "video", "source"} {
		if n := len(all(doc, tag)); n != 0 {
			t.Errorf("%d <%s> elements: the page must load nothing", n, tag)
		}
	}
	for c := range doc.Descendants() {
		for _, a := range c.Attr {
			if a.Key == "src" || a.Key == "href" || strings.Contains(a.Val, "url(") {
				t.Errorf("<%s %s=%q> points outside the page", c.Data, a.Key, a.Val)
			}
		}
	}
	var csp string
	for _, m := range all(doc, "meta") {
		if v, _ := attr(m, "http-equiv"); v == "Content-Security-Policy" {
			csp, _ = attr(m, "content")
		}
	}
	if !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("content security policy %q does not forbid loading", csp)
	}
	if s := all(doc, "script"); len(s) != 1 {
		t.Errorf("%d scripts, want the one inline table sorter", len(s))
	}

	// Totals: five charts, each drawing bars.
	totals := all(byID(t, doc, "totals"), "svg")
	if len(totals) != 5 {
		t.Errorf("%d charts of totals, want severity, status, kind, entity, rule", len(totals))
	}
	for _, svg := range totals {
		if drawn(svg) == 0 {
			label, _ := attr(svg, "aria-label")
			t.Errorf("chart %q draws nothing", label)
		}
	}
	sev := text(totals[0])
	if !strings.Contains(sev, "critical") || strings.Index(sev, "critical") > strings.Index(sev, "info") {
		t.Errorf("severity chart does not go from critical to info: %q", sev)
	}
	// Folders, trend and registered sets: drawn, and their tables filled.
	folders := byID(t, doc, "folders")
	if svg := all(folders, "svg"); len(svg) != 1 || drawn(svg[0]) != len(all(all(folders, "tbody")[0], "tr")) {
		t.Errorf("folder chart and table disagree")
	}
	trend := all(byID(t, doc, "trend"), "svg")
	if len(trend) != 1 || len(all(trend[0], "circle")) != 2 || len(all(trend[0], "polyline")) != 1 {
		t.Fatalf("trend chart: want one point per scan (2) joined by a line")
	}
	if pts, _ := attr(all(trend[0], "polyline")[0], "points"); len(strings.Fields(pts)) != 2 {
		t.Errorf("trend line %q, want 2 points", pts)
	}
	reg := byID(t, doc, "registered")
	if svg := all(reg, "svg"); len(svg) != 1 || drawn(svg[0]) != 1 || !strings.Contains(text(svg[0]), "hr-people") {
		t.Errorf("registered chart: want one bar for hr-people")
	}
	if !strings.Contains(text(reg), "3") {
		t.Errorf("registered section does not count 3 people: %q", text(reg))
	}

	// The key figures.
	cards := all(byID(t, doc, "summary"), "div")
	var figures []string
	for _, c := range cards {
		if v, _ := attr(c, "class"); v == "card" {
			var parts []string
			for _, d := range all(c, "div") {
				parts = append(parts, text(d))
			}
			figures = append(figures, strings.Join(parts, " "))
		}
	}
	want := []string{"8 findings", "7 open or acknowledged", "9 places where they are now", "7 files holding them", "1 new in the last scan", "3 people (registered records) exposed"}
	for i, w := range want {
		if i >= len(figures) || !strings.HasPrefix(figures[i], w) {
			t.Errorf("summary %q, want %q first", figures, want)
			break
		}
	}
	// New since the last scan: the card number.
	newRows := all(all(byID(t, doc, "new"), "tbody")[0], "tr")
	if len(newRows) != 1 || !strings.Contains(text(newRows[0]), inv.card) {
		t.Errorf("new findings table: %d rows", len(newRows))
	}
	// The findings table: every finding, masked, most severe first.
	rows := all(all(byID(t, doc, "findings"), "tbody")[0], "tr")
	if len(rows) != 8 {
		t.Fatalf("%d rows in the findings table, want 8", len(rows))
	}
	first := all(rows[0], "td")
	if len(first) != 10 || text(first[1]) != "critical" {
		t.Errorf("first row %q, want a critical finding in 10 columns", text(rows[0]))
	}
	for _, v := range planted() {
		if strings.Contains(raw, v) {
			t.Errorf("the page holds the planted value %q in clear", v)
		}
	}
	if !strings.Contains(raw, "AKIA…ORT7") {
		t.Errorf("the key's masked preview is missing")
	}
}

// TestHTMLEscapes plants markup in a scanned path: it must come out as text,
// in the table and in the chart labels, never as an element.
func TestHTMLEscapes(t *testing.T) {
	inv := newInventory(t)
	raw, doc := render(t, inv, store.Filter{}, Options{Folders: 50})
	if n := len(all(doc, "img")); n != 0 {
		t.Errorf("%d <img> elements: the path's markup was not escaped", n)
	}
	if n := len(all(doc, "script")); n != 1 {
		t.Errorf("%d scripts: the path's <script> was not escaped", n)
	}
	if strings.Contains(raw, "<script>alert") || strings.Contains(raw, "<img src=x") {
		t.Errorf("raw markup from a path in the page")
	}
	if !strings.Contains(raw, "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;&amp;co.env") {
		t.Errorf("the path is not in the page, escaped")
	}
	// Read back, the text is the path itself.
	if !strings.Contains(text(byID(t, doc, "findings")), hostilePath) {
		t.Errorf("the findings table does not show the path as text")
	}
	folder := hostilePath[:strings.LastIndex(hostilePath, "/")+1]
	var inChart bool
	for _, title := range all(byID(t, doc, "folders"), "title") {
		inChart = inChart || strings.HasPrefix(text(title), folder)
	}
	if !inChart {
		t.Errorf("the folder chart does not name %q as text", folder)
	}
}

func TestHTMLTableCut(t *testing.T) {
	inv := newInventory(t)
	_, doc := render(t, inv, store.Filter{}, Options{Table: 3})
	sec := byID(t, doc, "findings")
	if rows := all(all(sec, "tbody")[0], "tr"); len(rows) != 3 {
		t.Errorf("%d rows, want the table cut at 3", len(rows))
	}
	if note := text(sec); !strings.Contains(note, "The 3 most severe of 8 findings") {
		t.Errorf("the cut is not said: %q", note)
	}
	// An empty selection still makes a page.
	_, doc = render(t, inv, store.Filter{Rule: []string{"none"}}, Options{})
	if !strings.Contains(text(byID(t, doc, "folders")), "No finding") || len(all(all(byID(t, doc, "findings"), "tbody")[0], "tr")) != 0 {
		t.Errorf("empty report")
	}
}
