package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

// The JSON report reads back into the contract types unchanged, so another
// program (or leakguard itself, for a baseline) can consume it.
func TestJSONRoundTrip(t *testing.T) {
	want := fixture()
	var got struct {
		Findings []finding.Finding   `json:"findings"`
		Errors   []finding.ItemError `json:"errors"`
		Stats    finding.Stats       `json:"stats"`
	}
	dec := json.NewDecoder(bytes.NewReader(render(t, "json", want)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Findings, want.Findings) {
		t.Errorf("findings:\n got %+v\nwant %+v", got.Findings, want.Findings)
	}
	if !reflect.DeepEqual(got.Errors, want.Errors) {
		t.Errorf("errors:\n got %+v\nwant %+v", got.Errors, want.Errors)
	}
	if !reflect.DeepEqual(got.Stats, want.Stats) {
		t.Errorf("stats:\n got %+v\nwant %+v", got.Stats, want.Stats)
	}
}

// The top level holds exactly findings, errors and stats.
func TestJSONTopLevelKeys(t *testing.T) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(render(t, "json", fixture()), &top); err != nil {
		t.Fatal(err)
	}
	if len(top) != 3 || top["findings"] == nil || top["errors"] == nil || top["stats"] == nil {
		t.Errorf("top-level keys: %v", reflect.ValueOf(top).MapKeys())
	}
}

// JSONL is one compact finding per line and nothing else.
func TestJSONLines(t *testing.T) {
	want := fixture().Findings
	sc := bufio.NewScanner(bytes.NewReader(render(t, "jsonl", fixture())))
	var n int
	for sc.Scan() {
		line := sc.Bytes()
		if n >= len(want) {
			t.Fatalf("extra line %q", line)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, line); err != nil {
			t.Fatalf("line %d is not JSON: %v", n+1, err)
		}
		if !bytes.Equal(compact.Bytes(), line) {
			t.Errorf("line %d is not compact", n+1)
		}
		var f finding.Finding
		if err := json.Unmarshal(line, &f); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(f, want[n]) {
			t.Errorf("line %d:\n got %+v\nwant %+v", n+1, f, want[n])
		}
		n++
	}
	if n != len(want) {
		t.Errorf("got %d lines, want %d", n, len(want))
	}
}

// A report longer than the blocks writeJSONL hands on is whole: every line
// in order, none cut at a block's edge, and the writer's error comes back.
func TestJSONLinesAcrossBlocks(t *testing.T) {
	base := fixture().Findings
	r := &Result{}
	for i := range 3000 { // some 900 KB: fourteen blocks
		f := base[i%len(base)]
		f.Location.Line, f.Location.Offset = i+1, int64(i)*100
		r.Findings = append(r.Findings, f)
	}
	w := &countingWriter{}
	got := render(t, "jsonl", r)
	if len(got) < 4*jsonlBlock {
		t.Fatalf("report of %d bytes: too short to cross blocks", len(got))
	}
	lines := bytes.Split(bytes.TrimSuffix(got, []byte("\n")), []byte("\n"))
	if len(lines) != len(r.Findings) {
		t.Fatalf("%d lines, want %d", len(lines), len(r.Findings))
	}
	for i, line := range lines {
		var f finding.Finding
		if err := json.Unmarshal(line, &f); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !reflect.DeepEqual(f, r.Findings[i]) {
			t.Fatalf("line %d:\n got %+v\nwant %+v", i+1, f, r.Findings[i])
		}
	}
	jw, _ := New("jsonl")
	if err := jw.Write(w, r); !errors.Is(err, errWrite) {
		t.Errorf("a failing writer: %v, want %v", err, errWrite)
	}
	if w.calls != 1 {
		t.Errorf("%d writes after the first failed, want none", w.calls-1)
	}
}

var errWrite = errors.New("disk full")

// countingWriter fails every write and counts them.
type countingWriter struct{ calls int }

func (w *countingWriter) Write([]byte) (int, error) { w.calls++; return 0, errWrite }

// Paths are written as they are; the report is not HTML.
func TestJSONDoesNotEscapeHTML(t *testing.T) {
	r := &Result{Findings: []finding.Finding{{Rule: "r", Location: finding.Location{Path: "a<b>&c"}}}}
	if got := render(t, "jsonl", r); !bytes.Contains(got, []byte(`"path":"a<b>&c"`)) {
		t.Errorf("path escaped: %s", got)
	}
}

// The JSON report is byte for byte what encoding/json writes for the whole
// document with a two-space indent, though writeJSON writes it a finding
// at a time and indents each itself.
func TestJSONIsEncodingJSONIndented(t *testing.T) {
	r := fixture()
	r.Findings = append(r.Findings,
		finding.Finding{Rule: "registered-records", Kind: finding.Registered, Confidence: finding.Medium, Severity: finding.SevHigh,
			Location: finding.Location{Path: `dump "2014" \ [all].csv`, Container: []string{"{}", "[]", `\"`}, Offset: 10, EndOffset: 90},
			Masked:   `a,b:{c}[d]\`, Fingerprint: "00112233445566778899aabbccddeeff",
			Match: &finding.Match{Set: "staff", Type: "records", Row: 42, Columns: []string{}, Coverage: 0.25, Spans: [][2]int64{{1, 2}, {3, 4}}}},
		finding.Finding{})
	for _, errs := range [][]finding.ItemError{r.Errors, {}} {
		r.Errors = errs
		var want bytes.Buffer
		doc := struct {
			Findings []finding.Finding   `json:"findings"`
			Errors   []finding.ItemError `json:"errors"`
			Stats    finding.Stats       `json:"stats"`
		}{r.Findings, r.Errors, r.Stats}
		if err := newEncoder(&want, true).Encode(doc); err != nil {
			t.Fatal(err)
		}
		if got := render(t, "json", r); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%d errors:\n got %s\nwant %s", len(errs), got, want.Bytes())
		}
	}
}
