package scan_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
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

// TestItemFailuresDoNotStopTheScan: an unopenable item, a panicking reader
// and a binary item are recorded with their reasons; the good items are
// still scanned and the scan itself succeeds.
func TestItemFailuresDoNotStopTheScan(t *testing.T) {
	rs, err := rules.Parse([]byte(tokenRule), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("k"))))
	if err != nil {
		t.Fatal(err)
	}
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
	rs, _ := rules.Parse([]byte(tokenRule), "t.yaml")
	e, _ := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("k"))))
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
