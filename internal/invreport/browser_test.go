package invreport

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/leakguard/leakguard/internal/store"
)

// EnvKeepReport names a directory where the browser test leaves the page
// and its screenshot, to look at them.
const EnvKeepReport = "LEAKGUARD_KEEP_REPORT"

// browser finds a headless-capable Chromium, or skips.
func browser(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome-headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium installed (Debian: apt-get install chromium)")
	return ""
}

// TestHTMLInChromium opens the page in headless Chromium, as a manager's
// browser would: it must load without a console error (a blocked fetch
// would be one, under the page's policy) and its screenshot must show the
// charts drawn, in their colours.
func TestHTMLInChromium(t *testing.T) {
	bin := browser(t)
	dir := t.TempDir()
	if keep := os.Getenv(EnvKeepReport); keep != "" {
		dir = keep
	}
	inv := newInventory(t)
	r, err := Build(context.Background(), inv.st, store.Filter{}, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(f, r); err != nil {
		t.Fatal(err)
	}
	f.Close()
	shot := filepath.Join(dir, "report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+filepath.Join(t.TempDir(), "profile"), "--enable-logging=stderr", "--v=0",
		"--hide-scrollbars", "--window-size=1300,2400", "--screenshot="+shot, "file://"+page)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Refused to") || strings.Contains(line, "Uncaught") {
			t.Errorf("browser console: %s", line)
		}
	}
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// The table sorter runs: a click on "Places" orders the findings by it.
	clicked := filepath.Join(dir, "clicked.html")
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	click := `<script>document.querySelectorAll("#findings thead th")[6].click();</script></body>`
	if err := os.WriteFile(clicked, bytes.Replace(src, []byte("</body>"), []byte(click), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	dom, err := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+filepath.Join(t.TempDir(), "profile"), "--dump-dom", "file://"+clicked).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	doc, err := html.Parse(bytes.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	var places []int
	for _, tr := range all(all(byID(t, doc, "findings"), "tbody")[0], "tr") {
		n, _ := strconv.Atoi(text(all(tr, "td")[6]))
		places = append(places, n)
	}
	if len(places) != 8 || !slices.IsSorted(places) || places[0] == places[7] {
		t.Errorf("places after sorting by them: %v", places)
	}

	// Pixels of each chart colour: the bars of critical findings, of
	// resolved ones, the trend's new-findings columns.
	for name, rgb := range map[string][3]uint8{"critical bar": {0x7b, 0x10, 0x20}, "resolved bar": {0x27, 0xae, 0x60}, "blue bars": {0x2c, 0x7f, 0xb8}, "registered bar": {0x11, 0x7a, 0x65}} {
		if n := pixels(img, rgb); n < 200 {
			t.Errorf("%s: %d pixels of its colour in the screenshot; the chart did not render", name, n)
		}
	}
}

// pixels counts the pixels of img within a small distance of a colour.
func pixels(img image.Image, rgb [3]uint8) int {
	n := 0
	b := img.Bounds()
	near := func(a uint32, c uint8) bool { d := int(a>>8) - int(c); return d > -6 && d < 6 }
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, rgb[0]) && near(g, rgb[1]) && near(bl, rgb[2]) {
				n++
			}
		}
	}
	return n
}
