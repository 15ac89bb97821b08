package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/leakguard/leakguard/internal/store"
)

// TestReportFormats scans a tree twice into an inventory, through the real
// engine, and writes every report format of it: each is well formed,
// counts what 'findings list' lists under the same filter, and holds no
// planted value. A file named with markup stays text in the HTML page.
func TestReportFormats(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", state)
	t.Setenv(store.EnvDB, "")
	const hostile = `<img src=x onerror=alert(1)>`
	root := tree(t, map[string]string{
		"conf/app.env":        "AWS_ACCESS_KEY_ID=" + plantedKey + "\n",
		"conf/copy.env":       "AWS_ACCESS_KEY_ID=" + plantedKey + "\n",
		hostile + "/db.env":   "DB_PASSWORD=" + plantedPass + "\n",
		"hr/contacts.txt":     "Contact: " + plantedMail + "\n",
		"hr/old/contacts.txt": "Contact: " + plantedMail + "\n",
	})
	if code, _, errs := run(t, "", "report"); code != ExitError || !strings.Contains(errs, "no inventory") {
		t.Errorf("report before any scan: exit %d, %q", code, errs)
	}
	scanInto(t, state, root)
	os.Remove(filepath.Join(root, "hr/old/contacts.txt"))
	time.Sleep(10 * time.Millisecond)
	scanInto(t, state, root)
	total := listJSON(t).Total
	pii := listJSON(t, "--kind", "pii").Total
	if total < 3 || pii < 1 {
		t.Fatalf("fixture: %d findings, %d pii", total, pii)
	}
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }

	// HTML, to a file only its owner reads.
	code, _, errs := run(t, "", "report", "--output", out("r.html"))
	if code != ExitClean || !strings.Contains(errs, "html report of") {
		t.Fatalf("report: exit %d: %s", code, errs)
	}
	page, err := os.ReadFile(out("r.html"))
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(out("r.html")); st.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", st.Mode().Perm())
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	var imgs, svgs int
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "img":
			imgs++
		case "svg":
			svgs++
		}
		for _, a := range n.Attr {
			if a.Key == "id" {
				ids[a.Val] = true
			}
		}
	}
	for _, id := range []string{"summary", "totals", "folders", "trend", "registered", "new", "findings"} {
		if !ids[id] {
			t.Errorf("the page has no section %q", id)
		}
	}
	if imgs != 0 || svgs < 7 || !strings.Contains(string(page), "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("page: %d <img> (want 0: the file name is text), %d charts", imgs, svgs)
	}

	// The other formats, all of them and the PII only.
	count := func(format string, b []byte) int {
		switch format {
		case "json":
			var d struct{ Findings []json.RawMessage }
			if err := json.Unmarshal(b, &d); err != nil {
				t.Fatalf("json: %v", err)
			}
			return len(d.Findings)
		case "csv":
			rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatalf("csv: %v", err)
			}
			return len(rows) - 1
		case "sarif":
			var d struct {
				Runs []struct{ Results []json.RawMessage }
			}
			if err := json.Unmarshal(b, &d); err != nil || len(d.Runs) != 1 {
				t.Fatalf("sarif: %v", err)
			}
			return len(d.Runs[0].Results)
		}
		n := 0
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			var ev map[string]any
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
				t.Fatalf("%s line: %v", format, err)
			}
			if format == "ocsf" && (ev["class_uid"] != 2006.0 || ev["finding_info"] == nil) {
				t.Errorf("ocsf event %v", ev)
			}
			n++
		}
		return n
	}
	for _, format := range []string{"json", "jsonl", "csv", "sarif", "ocsf"} {
		for _, kind := range []string{"", "pii"} {
			args := []string{"report", "--format", format}
			want := total
			if kind != "" {
				args, want = append(args, "--kind", kind), pii
			}
			code, stdout, errs := run(t, "", args...)
			if code != ExitClean {
				t.Fatalf("%v: exit %d: %s", args, code, errs)
			}
			if got := count(format, []byte(stdout)); int64(got) != want {
				t.Errorf("%v: %d findings, want %d", args, got, want)
			}
			for _, v := range []string{plantedKey, plantedPass, plantedMail} {
				if strings.Contains(stdout, v) {
					t.Errorf("%v: the planted value %q in clear", args, v)
				}
			}
		}
	}
	for _, v := range []string{plantedKey, plantedPass, plantedMail} {
		if bytes.Contains(page, []byte(v)) {
			t.Errorf("html: the planted value %q in clear", v)
		}
	}

	// Filters reach the page; a failed report leaves no file behind.
	code, stdout, _ := run(t, "", "report", "--path", filepath.Join(root, "hr")+"/", "--severity", "critical,high,medium,low,info", "--since", "1h")
	if code != ExitClean || !strings.Contains(stdout, "path under "+filepath.Join(root, "hr")+"/") {
		t.Errorf("filtered page does not say its filter")
	}
	for _, args := range [][]string{
		{"report", "--format", "xml", "--output", out("bad")},
		{"report", "--severity", "dire", "--output", out("bad")},
		{"report", "--db", filepath.Join(t.TempDir(), "none.db"), "--output", out("bad")},
	} {
		if code, _, errs := run(t, "", args...); code != ExitError || errs == "" {
			t.Errorf("%v: exit %d %q, want an error", args, code, errs)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*bad*"))
	if len(left) != 0 {
		t.Errorf("failed reports left %v", left)
	}
}

// TestWriteOutputAtomic: a writer that fails leaves the previous file.
func TestWriteOutputAtomic(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.csv")
	os.WriteFile(p, []byte("old"), 0o600)
	err := writeOutput(p, nil, func(w io.Writer) error {
		w.Write([]byte("half"))
		return errors.New("inventory gone")
	})
	if b, _ := os.ReadFile(p); err == nil || string(b) != "old" {
		t.Errorf("after a failed write: %q, %v", b, err)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".r.csv.*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}
