package cli

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/fingerprint/docs/leakgen"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/testdoc"
	"github.com/leakguard/leakguard/internal/trace"
)

// The leaks of the text-reuse evaluation: each kind at each length, the
// same leak written as text, Word and PDF.
var (
	reuseKinds = []struct {
		name string
		kind leakgen.Kind
		edit float64
	}{
		{"verbatim", leakgen.Excerpt, 0},
		{"edited-5", leakgen.Excerpt, 0.05},
		{"edited-10", leakgen.Excerpt, 0.10},
		{"edited-20", leakgen.Excerpt, 0.20},
		{"reordered", leakgen.Reordered, 0},
		{"reordered-10", leakgen.Reordered, 0.10},
		{"embedded", leakgen.Embedded, 0},
		{"embedded-10", leakgen.Embedded, 0.10},
	}
	reuseBands   = []int{300, 500, 1000, 2000, 5000}
	reuseFormats = []string{"txt", "docx", "pdf"}
)

// reuseDir is the State of the Union corpus beside the repository.
const reuseDir = "../../../shared/data/text-reuse/sotu"

// TestTraceDocsEval is the text-reuse evidence of issue 5, through the
// CLI: the State of the Union addresses except every 8th (leakgen.HeldBack)
// are registered with 'register docs'; leaks of every kind and length are
// written as .txt, .docx and .pdf and traced with 'trace --format json',
// together with the held-back speeches themselves, in the three formats.
//
//	LEAKGUARD_TEXTREUSE_EVAL=1 go test -run TestTraceDocsEval -v -timeout 30m ./internal/cli/
//
// LEAKGUARD_TEXTREUSE_PER=N sets the leaks per kind and length (default
// 40, about 2.5 minutes on 2 cores); LEAKGUARD_TEXTREUSE_KEEP=DIR writes
// the files under DIR instead of a temporary folder. A leak is found when
// its speech is attributed to its file, and ranked first when its speech
// has the largest share of the file. For an embedded leak, the speeches
// its host is attributed to on its own are left out of the ranking (a
// held-back speech may truly quote a registered one), unless one is the
// leak's own.
func TestTraceDocsEval(t *testing.T) {
	if os.Getenv("LEAKGUARD_TEXTREUSE_EVAL") == "" {
		t.Skip("set LEAKGUARD_TEXTREUSE_EVAL=1 to run the text-reuse evaluation")
	}
	per := 40
	if v := os.Getenv("LEAKGUARD_TEXTREUSE_PER"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			per = n
		} else {
			t.Fatalf("LEAKGUARD_TEXTREUSE_PER=%q: want a positive number of leaks", v)
		}
	}
	files, _ := filepath.Glob(filepath.Join(reuseDir, "*.txt"))
	if len(files) == 0 {
		t.Fatalf("no corpus at %s: the shared data set must be at ../shared/data beside the repository", reuseDir)
	}
	slices.Sort(files)
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	if os.Getenv(keyed.EnvKey) == "" {
		// The key decides which shingles winnowing keeps, so attributions
		// near the threshold vary from one installation to another (22 to
		// 26 attributions of held-back speeches over four keys); a
		// fixed test key makes the run repeatable. Set LEAKGUARD_KEY to
		// try another.
		sum := sha256.Sum256([]byte("leakguard text-reuse evaluation key, not a real one"))
		t.Setenv(keyed.EnvKey, hex.EncodeToString(sum[:]))
	}
	var regPaths, reg, held, heldNames []string
	text := map[string]string{} // speech name → text, to measure what a held-back one quotes
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		text[name] = string(b)
		if leakgen.HeldBack(i) {
			held, heldNames = append(held, string(b)), append(heldNames, name)
		} else {
			reg, regPaths = append(reg, string(b)), append(regPaths, f)
		}
	}
	t0 := time.Now()
	if code, out, errs := run(t, "", append([]string{"register", "docs", "--name", "sotu"}, regPaths...)...); code != ExitClean {
		t.Fatalf("register: exit %d\n%s%s", code, lastLines(out, 3), errs)
	}
	regTime := time.Since(t0)

	// The leaks, and the held-back speeches, in every format.
	leaks, heldDir := t.TempDir(), t.TempDir()
	if keep := os.Getenv("LEAKGUARD_TEXTREUSE_KEEP"); keep != "" {
		// Keep the files, to trace them again by hand.
		leaks, heldDir = filepath.Join(keep, "leaks"), filepath.Join(keep, "held")
		for _, d := range []string{leaks, heldDir} {
			if err := os.MkdirAll(d, 0o700); err != nil {
				t.Fatal(err)
			}
		}
	}
	type truth struct {
		kind, band      int
		doc, host, text string
	}
	want := map[string]truth{} // file name without extension → what it holds
	gen := leakgen.New(5, 11, reg, held)
	t0 = time.Now()
	for k, kd := range reuseKinds {
		for b, band := range reuseBands {
			for i := range per {
				l := gen.Make(leakgen.Spec{Kind: kd.kind, Chars: band, Edit: kd.edit})
				id := fmt.Sprintf("%s-%04d-%03d", kd.name, band, i)
				tr := truth{kind: k, band: b, doc: filepath.Base(regPaths[l.Doc]), text: l.Text()}
				if l.Host >= 0 {
					tr.host = heldNames[l.Host]
				}
				want[id] = tr
				writeFormats(t, leaks, id, l.Paragraphs)
			}
		}
	}
	for i, h := range held {
		writeFormats(t, heldDir, strings.TrimSuffix(heldNames[i], ".txt"), strings.Split(h, "\n"))
	}
	genTime := time.Since(t0)

	t0 = time.Now()
	_, out, errs := run(t, "", "trace", "--format", "json", "--no-progress", leaks, heldDir)
	traceTime := time.Since(t0)
	var rep trace.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("trace: %v\n%s", err, errs)
	}
	for _, e := range rep.Errors {
		t.Errorf("item error at %s: %s", e.Location.Where(), e.Error)
	}

	// What each file is attributed to, most of it first.
	type attr struct {
		doc          string
		share, cover float64
	}
	got := map[string][]attr{} // file name → attributions
	for _, d := range rep.Documents {
		for _, p := range d.Locations {
			file := filepath.Base(strings.SplitN(p.Location, "!", 2)[0])
			got[file] = append(got[file], attr{filepath.Base(d.Document), p.Share, p.Coverage})
		}
	}
	for _, as := range got {
		slices.SortFunc(as, func(a, b attr) int { return cmp.Or(cmp.Compare(b.share, a.share), cmp.Compare(b.cover, a.cover)) })
	}

	// Held-back speeches: each attribution, with the longest passage the
	// speech shares with the one it is attributed to.
	hostHolds := map[string]map[string]bool{} // held-back speech → registered speeches it is attributed to (as text)
	heldAttr := map[string]int{}              // format → attributions
	heldSpeeches := map[string]int{}          // format → speeches attributed to any
	type quote struct {
		held, doc string
		words     int
	}
	var quotes []quote
	for _, name := range heldNames {
		hostHolds[name] = map[string]bool{}
		for _, f := range reuseFormats {
			file := strings.TrimSuffix(name, ".txt") + "." + f
			if len(got[file]) > 0 {
				heldSpeeches[f]++
			}
			for _, a := range got[file] {
				heldAttr[f]++
				if f == "txt" {
					hostHolds[name][a.doc] = true
					quotes = append(quotes, quote{name, a.doc, leakgen.LongestRun(text[name], text[a.doc])})
				}
			}
		}
	}

	// Leaks: found and ranked first, by kind, length and format.
	type cell struct{ n, found, first, others int }
	cells := map[[3]int]*cell{}
	var otherRuns []int // longest passage each other speech attributed shares with the leak
	for id, tr := range want {
		for fi, f := range reuseFormats {
			key := [3]int{tr.kind, tr.band, fi}
			c := cells[key]
			if c == nil {
				c = &cell{}
				cells[key] = c
			}
			c.n++
			var ranked []string
			for _, a := range got[id+"."+f] {
				if tr.host == "" || !hostHolds[tr.host][a.doc] || a.doc == tr.doc {
					ranked = append(ranked, a.doc)
				}
			}
			if slices.Contains(ranked, tr.doc) {
				c.found++
			}
			if len(ranked) > 0 && ranked[0] == tr.doc {
				c.first++
			}
			if n := len(ranked); n > 1 || n == 1 && ranked[0] != tr.doc {
				c.others++
			}
			// Another speech attributed as well: how much of the leak
			// it truly holds (the first format's answer stands for all).
			for _, d := range ranked {
				if d != tr.doc && fi == 0 {
					otherRuns = append(otherRuns, leakgen.LongestRun(tr.text, text[d]))
				}
			}
		}
	}

	t.Logf("%d speeches registered in %v, %d held back; %d leaks per kind and length, each as %s; written in %v; trace of %d files (%.1f MB) in %v",
		len(reg), regTime.Round(time.Millisecond), len(held), per, strings.Join(reuseFormats, ", "), genTime.Round(time.Millisecond),
		rep.Stats.Items, float64(rep.Stats.Bytes)/1e6, traceTime.Round(time.Millisecond))
	t.Logf("found / ranked first, of %d each:", per)
	head := fmt.Sprintf("%-13s %5s", "kind", "chars")
	for _, f := range reuseFormats {
		head += fmt.Sprintf(" | %-11s", f)
	}
	t.Log(head + " | other speeches attributed")
	var goal [2]int // ≥ 500 characters, ≤ 10% edits: found, total
	var goalFirst int
	for k, kd := range reuseKinds {
		for b, band := range reuseBands {
			line := fmt.Sprintf("%-13s %5d", kd.name, band)
			others := 0
			for fi := range reuseFormats {
				c := cells[[3]int{k, b, fi}]
				line += fmt.Sprintf(" | %5.2f %5.2f", float64(c.found)/float64(c.n), float64(c.first)/float64(c.n))
				others += c.others
				if band >= 500 && kd.edit <= 0.10 {
					goal[0] += c.found
					goal[1] += c.n
					goalFirst += c.first
				}
			}
			t.Log(line + fmt.Sprintf(" | %d", others))
		}
	}
	recall, first := float64(goal[0])/float64(goal[1]), float64(goalFirst)/float64(goal[1])
	t.Logf("≥ 500 characters, ≤ 10%% edits: recall %.3f, right speech first %.3f (%d leaks)", recall, first, goal[1])
	slices.Sort(otherRuns)
	t.Logf("other speeches attributed to a leak (as text): %d; the longest passage each shares with the leak, in words: %v", len(otherRuns), otherRuns)
	var qs []string
	for _, q := range quotes {
		qs = append(qs, fmt.Sprintf("%s→%s %d words", strings.TrimSuffix(q.held, ".txt"), strings.TrimSuffix(q.doc, ".txt"), q.words))
	}
	t.Logf("held-back speeches attributed (txt, docx, pdf): %d, %d, %d of %d, with %d, %d, %d attributions; as text, with the longest passage shared: %s",
		heldSpeeches["txt"], heldSpeeches["docx"], heldSpeeches["pdf"], len(held), heldAttr["txt"], heldAttr["docx"], heldAttr["pdf"], strings.Join(qs, "; "))
	if recall < 0.95 || first < 0.95 {
		t.Errorf("recall %.3f, right first %.3f: want ≥ 0.95 on excerpts of ≥ 500 characters with ≤ 10%% edits", recall, first)
	}
	// A held-back speech may be attributed only to a speech it truly
	// quotes: a shared passage of at least 10 words (the matcher needs
	// about 12 words in a row for a passage to count).
	for _, q := range quotes {
		if q.words < 10 {
			t.Errorf("held-back speech %s attributed to %s, with which it shares only %d words in a row", q.held, q.doc, q.words)
		}
	}
}

// writeFormats writes paragraphs as dir/id.txt, .docx and .pdf.
func writeFormats(t *testing.T, dir, id string, paras []string) {
	t.Helper()
	for _, f := range reuseFormats {
		var b []byte
		switch f {
		case "txt":
			b = []byte(strings.Join(paras, "\n\n") + "\n")
		case "docx":
			b = testdoc.Docx(paras)
		case "pdf":
			b = testdoc.PDF(paras)
		}
		if err := os.WriteFile(filepath.Join(dir, id+"."+f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(ls[max(0, len(ls)-n):], "\n") + "\n"
}
