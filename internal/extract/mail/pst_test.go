package mail

import (
	"context"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// needReadpst fails (does not skip) when readpst is missing: CI installs it.
func needReadpst(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("readpst"); err != nil {
		t.Fatal("readpst is not installed: apt-get install pst-utils (.ci/run installs it)")
	}
}

// storeLabels wraps the extractor to record the labels of the members the
// store itself emits: one per message, in order.
type storeLabels struct {
	*Extractor
	mu     sync.Mutex
	labels []string
}

func (s *storeLabels) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	if n.Kind == extract.KindPST {
		out = &recordingEmitter{Emitter: out, s: s}
	}
	return s.Extractor.Extract(ctx, n, out)
}

type recordingEmitter struct {
	extract.Emitter
	s *storeLabels
}

func (r *recordingEmitter) Child(ctx context.Context, m extract.Member) error {
	r.s.mu.Lock()
	r.s.labels = append(r.s.labels, m.Label)
	r.s.mu.Unlock()
	return r.Emitter.Child(ctx, m)
}

// enronTruth is one message of the pst-extractor ground truth.
type enronTruth struct {
	folder, subject, body string
}

var treeLine = regexp.MustCompile(`^ ((?:\|  )*)\|- (.*)$`)

// enronFolders reads output.txt: the folder tree of enron.pst with one
// "Sender: …, Subject: …" line per message. Folders are given below "Top
// of Personal Folders", as the labels are.
func enronFolders(t *testing.T, text string) []enronTruth {
	var out []enronTruth
	var stack []string
	inEnron := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.HasSuffix(line, "enron.pst"):
			inEnron = true
			continue
		case strings.Contains(line, "enron.pst processed"):
			inEnron = false
		}
		m := treeLine.FindStringSubmatch(line)
		if !inEnron || m == nil {
			continue
		}
		depth := len(m[1]) / 3
		stack = stack[:min(depth, len(stack))]
		if _, subject, ok := strings.Cut(m[2], ", Subject:"); ok && strings.HasPrefix(m[2], "Sender: ") {
			out = append(out, enronTruth{folder: strings.Join(stack[1:], "/"), subject: strings.TrimSpace(subject)})
			continue
		}
		stack = append(stack, m[2])
	}
	return out
}

var emailLine = regexp.MustCompile(`^ (?:\|  )*\|- Email: \d+ - ?(.*)$`)

// enronBodies reads outputBody.txt: per message a line "Email: <id> -
// <subject>" and its plain body between "email.body " and "email.bodyRTF".
func enronBodies(text string) []enronTruth {
	var out []enronTruth
	text = text[:strings.Index(text, "enron.pst processed")]
	ls := strings.Split(text, "\n")
	for i := 0; i < len(ls); i++ {
		m := emailLine.FindStringSubmatch(ls[i])
		if m == nil {
			continue
		}
		var body []string
		for j := i + 1; j < len(ls); j++ {
			l := ls[j]
			if strings.HasPrefix(l, "email.bodyRTF") {
				break
			}
			if len(body) > 0 || strings.HasPrefix(l, "email.body ") {
				body = append(body, strings.TrimPrefix(l, "email.body "))
			}
		}
		out = append(out, enronTruth{subject: strings.TrimSpace(m[1]), body: strings.Join(body, "\n")})
	}
	return out
}

// squash collapses whitespace, which the two extractions lay out apart.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

var labelDate = regexp.MustCompile(` \((\d{4}-\d{2}-\d{2})\)$`)

func TestEnronPST(t *testing.T) {
	needReadpst(t)
	path := sharedPath(t, "mail", "enron-pst", "enron.pst")
	truth := enronFolders(t, string(sharedFile(t, "mail", "enron-pst", "output.txt")))
	bodies := enronBodies(string(sharedFile(t, "mail", "enron-pst", "outputBody.txt")))
	if len(truth) != 71 || len(bodies) != 71 {
		t.Fatalf("ground truth has %d messages and %d bodies, want 71 each", len(truth), len(bodies))
	}
	x := &storeLabels{Extractor: New()}
	// The path of the real file: readpst reads it in place.
	res := extracttest.Run(t, path, sharedFile(t, "mail", "enron-pst", "enron.pst"), extracttest.Options{File: true}, x)
	if len(res.Problems) != 0 {
		t.Errorf("problems: %+v", res.Problems)
	}

	// Every message, in its folder, with its subject and a date.
	var got, want []string
	for _, l := range x.labels {
		if !labelDate.MatchString(l) {
			t.Errorf("label without a date: %q", l)
		}
		got = append(got, squash(labelDate.ReplaceAllString(l, "")))
	}
	for _, m := range truth {
		subject := m.subject
		if subject == "" {
			subject = "(no subject)"
		}
		want = append(want, squash(strings.Trim(m.folder+"/"+subject, "/")))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("messages differ from output.txt:\n got %q\nwant %q", got, want)
	}

	// Every body, in the text of its message (found by its subject: the
	// body file has no folders).
	for _, b := range bodies {
		want := squash(b.body)
		subject := squash(b.subject)
		if subject == "" {
			subject = "(no subject)"
		}
		var texts string
		for _, l := range x.labels {
			key := squash(labelDate.ReplaceAllString(l, ""))
			if key == subject || strings.HasSuffix(key, "/"+subject) {
				texts += squash(textAt(res, path+"!"+l)) + "\n"
			}
		}
		if !strings.Contains(texts, want) {
			t.Errorf("body of %q not in its message's text:\nwant %.300q\n got %.300q", b.subject, want, texts)
		}
	}
}

func TestPSTWithoutReadpst(t *testing.T) {
	x := New()
	x.ReadPST = "leakguard-test-no-such-readpst"
	res := extracttest.Run(t, "box.pst", tikaFile(t, "testPST.pst"), extracttest.Options{}, x)
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonNoHelper ||
		!strings.Contains(res.Problems[0].Error, "apt-get install pst-utils") {
		t.Fatalf("want one helper-missing problem, got %+v", res.Problems)
	}
}

// TestPSTInside: a store that is not a file on disk (a member, standard
// input) is copied into the private temporary folder for readpst.
func TestPSTInside(t *testing.T) {
	needReadpst(t)
	x := &storeLabels{Extractor: New()}
	res := extracttest.Run(t, "attached.pst", tikaFile(t, "testPST.pst"), extracttest.Options{}, x)
	if len(res.Problems) != 0 {
		t.Errorf("problems: %+v", res.Problems)
	}
	want := []string{
		"Re: Feature Generators (2014-02-26)",
		`Re: init tokenizer fails: "Bad type in putfield/putstatic" (2014-02-25)`,
		"Feature Generators (2014-02-25)",
		"[jira] [Resolved] (TIKA-1249) Vcard files detection (2014-02-26)",
		"[jira] [Commented] (TIKA-1250) Process loops infintely processing a CHM file (2014-02-26)",
		`[WEBINAR] - "Introducing Couchbase Server 2.5" (2014-02-24)`,
		"FW: First email (2020-11-26)",
	}
	// The messages sit in the store's top folder: no folder path.
	if !slices.Equal(x.labels, want) {
		t.Errorf("labels %q, want %q", x.labels, want)
	}
}

func TestPSTCorrupt(t *testing.T) {
	needReadpst(t)
	data := append([]byte("!BDN\x00\x00\x00\x00SM"), make([]byte, 4096)...)
	res := extracttest.Run(t, "broken.pst", data, extracttest.Options{}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt {
		t.Fatalf("want one corrupt problem, got %+v", res.Problems)
	}
}
