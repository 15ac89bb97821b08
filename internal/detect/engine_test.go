package detect_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

const testRules = `
rules:
  - id: test-token
    kind: secret
    severity: high
    confidence: high
    keywords: [tok_]
    pattern: '\b(tok_[a-z0-9]{20})\b'
    examples: [tok_abcdefghij0123456789]
    negative_examples: [tok_short]
  - id: test-ssn
    kind: pii
    entity: US_SSN
    severity: high
    confidence: low
    pattern: '\b(\d{3}-\d{2}-\d{4})\b'
    context: {words: [ssn, social security], negative: [order], window: 40, required_in_code: true}
    examples: ['SSN 123-45-6780']
    negative_examples: ['12-345-6780']
  - id: test-passport
    kind: pii
    severity: medium
    pattern: '\b([A-Z]\d{8})\b'
    context: {words: [passport], required: true}
    examples: ['passport: A12345678']
    negative_examples: ['ref A12345678']
`

func compile(t testing.TB, yaml string, opts ...detect.Option) *detect.Engine {
	t.Helper()
	rs, err := rules.Parse([]byte(yaml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := detect.Compile(rs, append([]detect.Option{detect.WithHasher(keyed.New([]byte("k")))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func scan(t testing.TB, e *detect.Engine, path string, r io.Reader) ([]finding.Finding, finding.Stats) {
	t.Helper()
	var out []finding.Finding
	st, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: path}, R: r}, func(f finding.Finding) error {
		out = append(out, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

func TestPositions(t *testing.T) {
	e := compile(t, testRules)
	text := "first line\nzürich tok_abcdefghij0123456789 x\n\nSSN: 123-45-6780"
	fs, _ := scan(t, e, "a.txt", strings.NewReader(text))
	if len(fs) != 2 {
		t.Fatalf("got %d findings: %+v", len(fs), fs)
	}
	tok := fs[0].Location
	if fs[0].Rule != "test-token" || tok.Line != 2 || tok.Column != 8 || tok.EndLine != 2 || tok.EndColumn != 32 {
		t.Errorf("token location %+v", tok)
	}
	if got := text[tok.Offset:tok.EndOffset]; got != "tok_abcdefghij0123456789" {
		t.Errorf("offsets cover %q", got)
	}
	ssn := fs[1]
	if ssn.Location.Line != 4 || ssn.Location.Column != 6 || ssn.Confidence != finding.Medium {
		t.Errorf("ssn %+v", ssn)
	}
	if fs[0].Masked != "tok_…6789" || fs[0].Fingerprint == "" || fs[0].Secret != "" {
		t.Errorf("masking: %+v", fs[0])
	}
}

func TestContext(t *testing.T) {
	e := compile(t, testRules)
	cases := []struct {
		text string
		want []string // rule:confidence
	}{
		{"id 123-45-6780", []string{"test-ssn:low"}},
		{"social security number 123-45-6780", []string{"test-ssn:medium"}},
		{"order 123-45-6780", nil},
		{"passport no A12345678", []string{"test-passport:high"}},
		{"invoice A12345678", nil},
		{"tok_abcdefghij0123456789 // leakguard:allow", nil},
	}
	for _, c := range cases {
		fs, _ := scan(t, e, "x.txt", strings.NewReader(c.text))
		if code, _ := scan(t, e, "x.go", strings.NewReader(c.text)); strings.HasPrefix(c.text, "id ") && len(code) != 0 {
			t.Errorf("%q in code: a bare number needs its label there, got %v", c.text, code)
		}
		var got []string
		for _, f := range fs {
			got = append(got, f.Rule+":"+f.Confidence.String())
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
}

func TestSuppressedAreCounted(t *testing.T) {
	e := compile(t, testRules, detect.WithMinConfidence(finding.Medium))
	_, st := scan(t, e, "x.txt", strings.NewReader("tok_abcdefghij0123456789 leakguard:allow\nid 123-45-6780"+strings.Repeat(" ", 50)+"\norder 123-45-6780\n"))
	want := map[string]int64{detect.SuppressAllow: 1, detect.SuppressMinConf: 1, detect.SuppressNegContext: 1}
	if !reflect.DeepEqual(st.Suppressed, want) {
		t.Errorf("suppressed %v, want %v", st.Suppressed, want)
	}
}

// corpus builds text with secrets and PII at random places, with multi-byte
// characters and long lines, so chunk edges fall everywhere.
func corpus(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	alnum := "abcdefghijklmnopqrstuvwxyz0123456789"
	for b.Len() < n {
		switch r.IntN(8) {
		case 0:
			b.WriteString("tok_")
			for i := 0; i < 20; i++ {
				b.WriteByte(alnum[r.IntN(len(alnum))])
			}
		case 1:
			fmt.Fprintf(&b, "ssn %03d-%02d-%04d", r.IntN(1000), r.IntN(100), r.IntN(10000))
		case 2:
			b.WriteString("\n")
		case 3:
			b.WriteString("ünïcødé ")
		default:
			b.WriteString(strings.Repeat("lorem ", r.IntN(30)))
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// TestChunkEdges holds the streaming engine, at every chunk size, against a
// single read of the whole text and against the reference path (no
// prefilter): finding for finding, same order.
func TestChunkEdges(t *testing.T) {
	text := corpus(7, 200_000)
	ref, _ := scan(t, compile(t, testRules, detect.WithReference(), detect.WithChunkSize(1<<22)), "c.txt", strings.NewReader(text))
	if len(ref) < 100 {
		t.Fatalf("corpus too thin: %d findings", len(ref))
	}
	for _, size := range []int{1, 1000, 4099, 65536, 1 << 22} {
		got, _ := scan(t, compile(t, testRules, detect.WithChunkSize(size)), "c.txt", iotestHalfReader(strings.NewReader(text)))
		if !reflect.DeepEqual(got, ref) {
			t.Errorf("chunk %d: %d findings, reference %d; first difference: %s", size, len(got), len(ref), firstDiff(got, ref))
		}
	}
	for _, f := range ref {
		if v := text[f.Location.Offset:f.Location.EndOffset]; !strings.HasPrefix(v, "tok_") && len(v) != 11 {
			t.Fatalf("offset points at %q", v)
		}
	}
}

func firstDiff(a, b []finding.Finding) string {
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			return fmt.Sprintf("#%d got %s/%s %+v want %s/%s %+v", i, a[i].Rule, a[i].Confidence, a[i].Location, b[i].Rule, b[i].Confidence, b[i].Location)
		}
	}
	return "length"
}

// iotestHalfReader returns short reads, as pipes and decoders do.
func iotestHalfReader(r io.Reader) io.Reader { return &half{r} }

type half struct{ r io.Reader }

func (h *half) Read(p []byte) (int, error) { return h.r.Read(p[:(len(p)+1)/2]) }

// TestLongLine scans 64 MiB without a newline: the secret at the end is found
// with its column, in bounded memory (the buffer is chunk + overlap).
func TestLongLine(t *testing.T) {
	const size = 64 << 20
	e := compile(t, testRules)
	r := io.MultiReader(io.LimitReader(repeatReader('a'), size), strings.NewReader(" tok_abcdefghij0123456789"))
	fs, st := scan(t, e, "long", r)
	if len(fs) != 1 || fs[0].Location.Line != 1 || fs[0].Location.Column != size+2 || fs[0].Location.Offset != size+1 {
		t.Fatalf("findings %+v", fs)
	}
	if st.Bytes != size+25 {
		t.Errorf("bytes %d", st.Bytes)
	}
}

type repeatReader byte

func (b repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// TestInvalidUTF8 finds values after bytes that are not UTF-8 (RE2 would stop
// at them), with offsets into the original bytes, at any chunk size.
func TestInvalidUTF8(t *testing.T) {
	text := "\xff\xfe bad \xc3 bytes \xe2\x82 tok_abcdefghij0123456789 end \x80"
	for _, size := range []int{1, 1 << 20} {
		fs, _ := scan(t, compile(t, testRules, detect.WithChunkSize(size)), "b.txt", iotestHalfReader(strings.NewReader(text)))
		if len(fs) != 1 || text[fs[0].Location.Offset:fs[0].Location.EndOffset] != "tok_abcdefghij0123456789" {
			t.Errorf("chunk %d: %+v", size, fs)
		}
	}
}

// TestBuiltinAgainstReference holds the fast path (keyword windows, the set
// of keyword-less rules, chunking) against the reference path (every rule
// over all text) with every built-in rule, finding for finding, on a corpus
// made of all rule examples (the text every rule is meant to find) between
// lines of filler, per file type.
func TestBuiltinAgainstReference(t *testing.T) {
	rs := rules.Builtin()
	byPath := map[string]*strings.Builder{}
	filler := "plain words and numbers 42 3.14 0x1F between the examples\n"
	for _, r := range rs {
		for _, ex := range append(append([]rules.Example{}, r.Examples...), r.NegativeExamples...) {
			if ex.Text == "" {
				continue
			}
			p := ex.Path
			if p == "" {
				p = "corpus.txt"
			}
			if byPath[p] == nil {
				byPath[p] = &strings.Builder{}
			}
			byPath[p].WriteString(filler + ex.Text + "\n")
		}
	}
	key := detect.WithHasher(keyed.New([]byte("k")))
	fast, err := detect.Compile(rs, key, detect.WithChunkSize(1<<12))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := detect.Compile(rs, key, detect.WithReference(), detect.WithChunkSize(1<<24))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for p, b := range byPath {
		got, _ := scan(t, fast, p, strings.NewReader(b.String()))
		want, _ := scan(t, ref, p, strings.NewReader(b.String()))
		total += len(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fast path %d findings, reference %d; first difference: %s", p, len(got), len(want), firstDiff(got, want))
		}
	}
	if total < 500 {
		t.Errorf("only %d findings in the example corpus", total)
	}
}

// A generic rule's match that a specific finding of its kind overlaps is
// superseded before its checks run: the findings are the specific rule's,
// and the match is counted as superseded, not as turned down by the check
// (the e-mail check would reject 123-45-6789). A generic match that nothing
// explains, or that only a finding of another kind overlaps, is judged by
// its check as before. The generic rule comes first in the file: specific
// rules run first in every round all the same.
func TestGenericSupersededBeforeChecks(t *testing.T) {
	e := compile(t, `
rules:
  - id: test-any-number
    kind: pii
    severity: low
    generic: true
    pattern: '\b(\d{3}-\d{2}-\d{4})\b'
    validators: [email]
  - id: test-ssn
    kind: pii
    severity: high
    pattern: '\bssn (\d{3}-\d{2}-\d{4})\b'
  - id: test-ticket
    kind: secret
    severity: high
    pattern: '\bticket (\d{3}-\d{2}-\d{4})\b'
`)
	for _, c := range []struct {
		text, rule, reason string
	}{
		{"ssn 123-45-6789\n", "test-ssn", detect.SuppressSuperseded},
		{"num 123-45-6789\n", "", "check:email"},
		{"ticket 123-45-6789\n", "test-ticket", "check:email"},
	} {
		fs, st := scan(t, e, "notes.txt", strings.NewReader(c.text))
		var got []string
		for _, f := range fs {
			got = append(got, f.Rule)
		}
		if want := []string{c.rule}; c.rule == "" && len(got) != 0 || c.rule != "" && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: findings %v, want %v", c.text, got, c.rule)
		}
		if st.Suppressed[c.reason] != 1 || len(st.Suppressed) != 1 {
			t.Errorf("%q: suppressed %v, want one %s", c.text, st.Suppressed, c.reason)
		}
	}
}

// TestCompileReportsTheFirstBadRule: rules are prepared on every core, and
// the error is still the first bad rule's in the rules' order, whatever
// finished first.
func TestCompileReportsTheFirstBadRule(t *testing.T) {
	good := rules.Rule{Kind: finding.Secret, Severity: finding.SevHigh, Pattern: `tok_[a-z]{8}`}
	var rs []rules.Rule
	for i := range 200 {
		r := good
		r.ID = fmt.Sprintf("rule-%03d", i)
		switch i {
		case 150:
			r.Pattern = `(unclosed`
		case 151, 199:
			r.Validators = []string{"no-such-check"}
		}
		rs = append(rs, r)
	}
	for range 20 {
		_, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("k"))))
		if err == nil || !strings.Contains(err.Error(), "rule rule-150: pattern") {
			t.Fatalf("Compile: %v, want the error of rule-150's pattern", err)
		}
	}
}
