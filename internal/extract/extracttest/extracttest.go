// Package extracttest is the one harness every extractor's tests use: it
// runs a real registry over real bytes with a scanner that records the text
// it receives and reports every planted token ("PLANT-" followed by
// letters, digits, '_' or '-') as a finding, so a test can assert both what
// text an extractor produced and where each token is located (container
// chain, page, sheet, cell).
package extracttest

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// Plant is the pattern of a planted token.
var Plant = regexp.MustCompile(`PLANT-[A-Za-z0-9_\-]+`)

// Text is one text stream the scanner received.
type Text struct {
	Where string // Location.Where() of the stream: path!container!…
	Path  string // the name path-scoped rules saw
	Text  string
}

// Result is everything one extraction produced.
type Result struct {
	Texts    []Text
	Binaries []string // Where() of binary leaves
	// Tokens maps each planted token to the Where() of every place it was
	// reported, marks (page, cell, …) included.
	Tokens   map[string][]string
	Findings []finding.Finding
	Problems []finding.ItemError
	Stats    finding.Stats
}

// All returns the concatenation of every text stream, in order received.
func (r Result) All() string {
	var b strings.Builder
	for _, t := range r.Texts {
		b.WriteString(t.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// Where returns the places a token was reported, or nil.
func (r Result) Where(token string) []string { return r.Tokens[token] }

// Options tune Run.
type Options struct {
	Limits extract.Limits
	// File makes the top-level item random-access like a file on disk.
	File bool
}

// Run extracts data, named name, with extractors xs and returns what the
// scanner saw. It fails the test if the registry cannot be built or the
// output fails; problems inside the data are in Result.Problems.
func Run(t testing.TB, name string, data []byte, opts Options, xs ...extract.Extractor) Result {
	t.Helper()
	rs := &recording{}
	reg, err := extract.New(extract.Config{Scanner: rs, Limits: opts.Limits, Extractors: xs})
	if err != nil {
		t.Fatal(err)
	}
	res := Result{Tokens: map[string][]string{}}
	out := extract.Output{
		Finding: func(f finding.Finding) error {
			res.Findings = append(res.Findings, f)
			tok := f.Secret
			res.Tokens[tok] = append(res.Tokens[tok], f.Location.Where())
			return nil
		},
		Problem: func(e finding.ItemError) error {
			res.Problems = append(res.Problems, e)
			return nil
		},
	}
	top := extract.Top{Location: finding.Location{Path: name}, Size: int64(len(data)), ModTime: time.Unix(0, 0),
		R: bytes.NewReader(data)}
	if opts.File {
		top.At = bytes.NewReader(data)
	}
	st, err := reg.Extract(context.Background(), top, out)
	if err != nil {
		t.Fatalf("extract %s: %v", name, err)
	}
	res.Stats = st
	rs.mu.Lock()
	res.Texts, res.Binaries = rs.texts, rs.binaries
	rs.mu.Unlock()
	return res
}

// recording is a Scanner that keeps what it is given.
type recording struct {
	mu       sync.Mutex
	texts    []Text
	binaries []string
}

func (s *recording) ScanText(_ context.Context, loc finding.Location, path string, r io.Reader, emit func(finding.Finding) error) (finding.Stats, error) {
	b, err := io.ReadAll(r)
	st := finding.Stats{Bytes: int64(len(b))}
	if err != nil {
		return st, err
	}
	s.mu.Lock()
	s.texts = append(s.texts, Text{Where: loc.Where(), Path: path, Text: string(b)})
	s.mu.Unlock()
	for _, m := range Plant.FindAllIndex(b, -1) {
		f := finding.Finding{Rule: "planted", Location: loc, Secret: string(b[m[0]:m[1]])}
		f.Location.Container = slices.Clone(loc.Container)
		f.Location.Offset, f.Location.EndOffset = int64(m[0]), int64(m[1])
		st.Findings++
		if err := emit(f); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (s *recording) ScanBinary(_ context.Context, loc finding.Location, _ string, _ []byte, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	n, err := io.Copy(io.Discard, r)
	s.mu.Lock()
	s.binaries = append(s.binaries, loc.Where())
	s.mu.Unlock()
	return finding.Stats{Bytes: n}, err
}
