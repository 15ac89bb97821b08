package scan_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/archive"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
	"github.com/leakguard/leakguard/internal/scan"
	"github.com/leakguard/leakguard/internal/source"
)

const tokenRule = `
rules:
  - id: test-token
    kind: secret
    severity: high
    keywords: [tok_]
    pattern: 'tok_[a-z0-9]{20}'
`

// items is a source of in-memory items; a nil body makes Open fail, a body
// of "PANIC" makes Read panic.
type items map[string]*string

func (s items) Walk(_ context.Context, fn func(source.Item) error, skip func(finding.ItemError)) error {
	skip(finding.ItemError{Location: finding.Location{Path: "ignored/"}, Reason: finding.ReasonIgnored})
	skip(finding.ItemError{Location: finding.Location{Path: "fifo"}, Reason: finding.ReasonSpecial, Error: "named pipe"})
	for name, body := range s {
		body := body
		err := fn(source.Item{Location: finding.Location{Path: name}, Size: -1, Open: func() (io.ReadCloser, error) {
			switch {
			case body == nil:
				return nil, errors.New("permission denied")
			case *body == "PANIC":
				return io.NopCloser(panicReader{}), nil
			}
			return io.NopCloser(strings.NewReader(*body)), nil
		}})
		if err != nil {
			return err
		}
	}
	return nil
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("decoder bug") }

type memSink struct {
	findings []finding.Finding
	errors   []finding.ItemError
	stats    finding.Stats
	closed   int
}

func (m *memSink) Finding(_ context.Context, f finding.Finding) error {
	m.findings = append(m.findings, f)
	return nil
}
func (m *memSink) ItemError(_ context.Context, e finding.ItemError) error {
	m.errors = append(m.errors, e)
	return nil
}
func (m *memSink) Close(_ context.Context, s finding.Stats) error {
	m.stats = s
	m.closed++
	return nil
}

func str(s string) *string { return &s }

// tokenEngine compiles tokenRule.
func tokenEngine(t *testing.T) *detect.Engine {
	t.Helper()
	rs, err := rules.Parse([]byte(tokenRule), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("k"))))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestItemFailuresDoNotStopTheScan: an unopenable item, a panicking reader
// and a binary item are recorded with their reasons; the good items are
// still scanned and the scan itself succeeds.
func TestItemFailuresDoNotStopTheScan(t *testing.T) {
	e := tokenEngine(t)
	src := items{
		"good1.txt":  str("x tok_abcdefghij0123456789 y"),
		"good2.txt":  str("tok_0123456789abcdefghij"),
		"locked.txt": nil,
		"boom.txt":   str("PANIC"),
		"image.bin":  str("\x00\x01\x02\x03"),
	}
	sink := &memSink{}
	sc, err := scan.New(e, scan.Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sc.Run(context.Background(), src, sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.findings) != 2 || sink.closed != 1 {
		t.Errorf("findings %d, closed %d", len(sink.findings), sink.closed)
	}
	reasons := map[string]string{}
	for _, ie := range sink.errors {
		reasons[ie.Location.Path] = ie.Reason
	}
	want := map[string]string{"locked.txt": finding.ReasonUnreadable, "boom.txt": finding.ReasonPanic, "fifo": finding.ReasonSpecial}
	for p, r := range want {
		if reasons[p] != r {
			t.Errorf("%s: reason %q, want %q (all: %v)", p, reasons[p], r, reasons)
		}
	}
	if len(sink.errors) != 3 || st.Errors != 3 {
		t.Errorf("errors: %d recorded, %d counted", len(sink.errors), st.Errors)
	}
	if st.Items != 5 || st.Skipped[finding.ReasonBinary] != 1 || st.Skipped[finding.ReasonIgnored] != 1 || st.Findings != 2 {
		t.Errorf("stats %+v", st)
	}
}

// TestCancel: a canceled context ends the scan with its error.
func TestCancel(t *testing.T) {
	e := tokenEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sink := &memSink{}
	sc, err := scan.New(e, scan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sc.Run(ctx, items{"a": str("tok_abcdefghij0123456789")}, sink)
	if !errors.Is(err, context.Canceled) || sink.closed != 1 {
		t.Errorf("err %v, closed %d", err, sink.closed)
	}
}

// gatedWalk hands out its items in order; the first one's content is held
// back until the walk is over, so that the others all wait for the one
// worker together.
type gatedWalk struct {
	items  []source.Item
	walked chan struct{}
}

func (g gatedWalk) Walk(_ context.Context, fn func(source.Item) error, _ func(finding.ItemError)) error {
	defer close(g.walked)
	for _, it := range g.items {
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

// TestBiggestWaitingFirst: items wait for a worker in a window of the walk
// and the one with the most expected work goes first: a gzip file walked
// last, whose name says it expands, before larger plain files walked
// before it; plain files by size, then in the order walked.
func TestBiggestWaitingFirst(t *testing.T) {
	e := tokenEngine(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Repeat("log line tok_abcdefghij0123456789\n", 100)))
	zw.Close()
	walked := make(chan struct{})
	item := func(name string, body []byte, gate bool) source.Item {
		return source.Item{Location: finding.Location{Path: name}, Size: int64(len(body)), Open: func() (io.ReadCloser, error) {
			if gate {
				<-walked
			}
			return io.NopCloser(bytes.NewReader(body)), nil
		}}
	}
	src := gatedWalk{walked: walked, items: []source.Item{
		item("first.txt", bytes.Repeat([]byte("x"), 1<<20), true), // taken before the others are walked
		item("small.txt", []byte("tok_abcdefghij0123456789"), false),
		item("large.txt", bytes.Repeat([]byte("y "), 500), false),
		item("small2.txt", []byte("tok_0123456789abcdefghij"), false),
		item("app.log.gz", gz.Bytes(), false), // 100 bytes or so, expanding 16 times
	}}
	var mu sync.Mutex
	var order []string
	sc, err := scan.New(e, scan.Options{Workers: 1, Extractors: []extract.Extractor{archive.New()},
		ItemDone: func(it source.Item, _ finding.Stats) {
			mu.Lock()
			order = append(order, it.Location.Path)
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	if gz.Len()*16 <= 1000 {
		t.Fatalf("the gzip file is %d bytes: too small to outweigh large.txt", gz.Len())
	}
	if _, err := sc.Run(context.Background(), src, &memSink{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"first.txt", "app.log.gz", "large.txt", "small.txt", "small2.txt"}
	if !slices.Equal(order, want) {
		t.Errorf("items scanned in the order %q, want %q", order, want)
	}
}

// A text longer than a stretch (8 MiB, over the engine's 4 MiB) is spread
// over the free workers and reported as one worker reports it: the same
// findings, lines and columns, in the same order, from a plain file and from
// the same text decompressed on the way, beside small files.
func TestLongTextSpreadOverWorkers(t *testing.T) {
	e := tokenEngine(t)
	var long strings.Builder
	for i := 0; long.Len() < 8<<20; i++ {
		fmt.Fprintf(&long, "line %d of a long log, ", i)
		if i%97 == 0 {
			fmt.Fprintf(&long, "token tok_%020d", i)
		}
		if i%5 != 0 {
			long.WriteString("\n") // some lines run on
		}
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(long.String()))
	zw.Close()
	src := items{"long.log": str(long.String()), "long.log.gz": str(gz.String()), "small.txt": str("tok_abcdefghij0123456789")}
	run := func(workers int) []finding.Finding {
		sc, err := scan.New(e, scan.Options{Workers: workers, Extractors: []extract.Extractor{archive.New()}})
		if err != nil {
			t.Fatal(err)
		}
		sink := &memSink{}
		if _, err := sc.Run(context.Background(), src, sink); err != nil {
			t.Fatal(err)
		}
		for _, ie := range sink.errors {
			if ie.Reason != finding.ReasonSpecial && ie.Reason != finding.ReasonIgnored { // the source's own
				t.Fatalf("%d workers: item error %v", workers, ie)
			}
		}
		slices.SortStableFunc(sink.findings, func(a, b finding.Finding) int {
			return strings.Compare(strings.Join(append([]string{a.Location.Path}, a.Location.Container...), "/"),
				strings.Join(append([]string{b.Location.Path}, b.Location.Container...), "/"))
		})
		return sink.findings
	}
	one, three := run(1), run(3)
	if want := 2*(8<<20)/(25*97) + 1; len(one) < want*9/10 {
		t.Fatalf("1 worker: %d findings, want some %d", len(one), want)
	}
	if !slices.EqualFunc(one, three, func(a, b finding.Finding) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
		t.Errorf("3 workers: %d findings, 1 worker %d; they differ", len(three), len(one))
	}
}

// rowsText writes each line of a text-kind item under a mark of its row, as
// a spreadsheet's extractor marks its cells.
type rowsText struct{}

func (rowsText) Kinds() []extract.Kind { return []extract.Kind{extract.KindText} }
func (rowsText) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	tw := out.Text(ctx, "sheet:S")
	sc := bufio.NewScanner(n.R)
	for row := 1; sc.Scan(); row++ {
		tw.Mark(fmt.Sprintf("row:%d", row))
		tw.WriteString(sc.Text())
		tw.WriteByte('\n')
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return sc.Err()
}

// The text an extractor writes with marks, long enough to be spread over
// the workers, has each finding under the mark of its row: the marks are
// kept as far back as the stretches read ahead (Engine.Lookback).
func TestLongMarkedTextKeepsItsMarks(t *testing.T) {
	e := tokenEngine(t)
	var text strings.Builder
	want := map[int64]string{} // offset → row
	for row := 1; text.Len() < 24<<20; row++ {
		if row%5000 == 0 {
			fmt.Fprintf(&text, "value ")
			want[int64(text.Len())] = fmt.Sprintf("row:%d", row)
			fmt.Fprintf(&text, "tok_%020d\n", row)
			continue
		}
		fmt.Fprintf(&text, "row %d holds nothing but words\n", row)
	}
	for _, workers := range []int{1, 3} {
		sc, err := scan.New(e, scan.Options{Workers: workers, Extractors: []extract.Extractor{rowsText{}}})
		if err != nil {
			t.Fatal(err)
		}
		sink := &memSink{}
		if _, err := sc.Run(context.Background(), items{"sheet.txt": str(text.String())}, sink); err != nil {
			t.Fatal(err)
		}
		if len(sink.findings) != len(want) {
			t.Fatalf("%d workers: %d findings, want %d", workers, len(sink.findings), len(want))
		}
		for _, f := range sink.findings {
			c := f.Location.Container
			if len(c) != 2 || c[0] != "sheet:S" || c[1] != want[f.Location.Offset] {
				t.Errorf("%d workers: finding at %d under %v, want [sheet:S %s]", workers, f.Location.Offset, c, want[f.Location.Offset])
			}
		}
	}
}
