// Package accuracy measures the detection engine against the labelled public
// data sets in ../shared/data: CredData (credentials, line labels), Plazmaz's
// leaky-repo (planted secrets, per-file line counts), Presidio's generated
// sentences (PII spans) and Presidio's recognizer test vectors. Each set has
// one function that scans it with a compiled engine and scores the findings
// the way the set's own documentation says, so the numbers are comparable
// with published ones. The functions only read the data; rendering is in
// markdown.go, and cmd/lgaccuracy wires them to a command line.
package accuracy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/extract/text"
	"github.com/leakguard/leakguard/internal/finding"
)

// EnvData names the environment variable that points at the shared data
// directory when it is not at its usual place beside the repository.
const EnvData = "LEAKGUARD_SHARED_DATA"

// FindDataDir returns the shared data directory: $LEAKGUARD_SHARED_DATA when
// set, else the first of candidates that is a directory. The error says
// every place it looked, so a missing checkout is easy to fix.
func FindDataDir(candidates ...string) (string, error) {
	if v := os.Getenv(EnvData); v != "" {
		candidates = []string{v}
	}
	var looked []string
	for _, c := range candidates {
		abs, err := filepath.Abs(c)
		if err != nil {
			abs = c
		}
		if st, err := os.Stat(abs); err == nil && st.IsDir() {
			return abs, nil
		}
		looked = append(looked, abs)
	}
	return "", fmt.Errorf("labelled data not found (looked in %v); put the shared data there or set %s", looked, EnvData)
}

// PRF holds the counts behind precision, recall and F1.
type PRF struct{ TP, FP, FN int }

// Precision is TP/(TP+FP), 0 when nothing was reported.
func (m PRF) Precision() float64 { return ratio(m.TP, m.TP+m.FP) }

// Recall is TP/(TP+FN), 0 when nothing was expected.
func (m PRF) Recall() float64 { return ratio(m.TP, m.TP+m.FN) }

// F1 is the harmonic mean of precision and recall.
func (m PRF) F1() float64 {
	p, r := m.Precision(), m.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Add returns the sum of two counts.
func (m PRF) Add(o PRF) PRF { return PRF{m.TP + o.TP, m.FP + o.FP, m.FN + o.FN} }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// workers is the size of the scanning pool: small, since the sets are small
// and the harness often runs beside other tests.
func workers() int { return max(1, min(runtime.GOMAXPROCS(0), 8)) }

// parallel calls fn(i) for every i in [0, n) on a small worker pool and
// returns the first error; after an error the remaining work is skipped.
// Callers write results into slots indexed by i, so the outcome does not
// depend on scheduling.
func parallel(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range min(workers(), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// errBinary marks a file the text decoder classified as binary; the harness
// skips it, as the scanner does for binary content without an extractor.
var errBinary = errors.New("binary content")

// scanFile decodes the file at root/rel as the scanner would and scans it,
// with rel (slash-separated) as the path rules and file-type logic see. It
// returns the decoded text too, so callers can quote lines.
func scanFile(ctx context.Context, e *detect.Engine, root, rel string) ([]byte, []finding.Finding, error) {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	dec := text.Decode(f)
	if dec.Encoding == text.Binary {
		return nil, nil, errBinary
	}
	body, err := io.ReadAll(dec)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	fs, err := scanText(ctx, e, rel, body)
	return body, fs, err
}

// scanText scans one UTF-8 text under the given path.
func scanText(ctx context.Context, e *detect.Engine, path string, body []byte) ([]finding.Finding, error) {
	var out []finding.Finding
	in := detect.Input{Location: finding.Location{Path: path}, Path: path, R: bytes.NewReader(body)}
	_, err := e.Scan(ctx, in, func(f finding.Finding) error {
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", path, err)
	}
	return out, nil
}

// ofKind keeps the findings of one kind.
func ofKind(fs []finding.Finding, k finding.Kind) []finding.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

// lineIndex finds lines of a text by number without rescanning it.
type lineIndex struct {
	body   []byte
	starts []int // byte offset of each line's first byte
}

func newLineIndex(body []byte) lineIndex {
	starts := []int{0}
	for i, c := range body {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{body, starts}
}

// line returns line n (1-based) without its line ending, shortened to
// maxQuote characters; "" when there is no such line.
func (x lineIndex) line(n int) string {
	if n < 1 || n > len(x.starts) {
		return ""
	}
	b := x.body[x.starts[n-1]:]
	if j := bytes.IndexByte(b, '\n'); j >= 0 {
		b = b[:j]
	}
	return truncate(string(bytes.TrimRight(b, "\r")), maxQuote)
}

// maxQuote is how many characters of a line or snippet the verbose lists show.
const maxQuote = 120

// truncate cuts s to n characters (runes), marking the cut with "…".
func truncate(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
