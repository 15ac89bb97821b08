package detect_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/rules"
)

// exampleText is every built-in rule's examples, positive and negative,
// one after another with filler between them: dense in findings of every
// kind, generic ones beside the specific ones that supersede them.
func exampleText(t testing.TB) string {
	rs := rules.Builtin()
	var b strings.Builder
	for _, r := range rs {
		for _, ex := range append(append([]rules.Example{}, r.Examples...), r.NegativeExamples...) {
			b.WriteString("plain words, Ünïcödé and numbers 42 3.14 0x1F between the examples\n")
			b.WriteString(ex.Text)
			b.WriteString("\n")
		}
	}
	return b.String()
}

// slots returns n slots, or none for 0; for -n, n slots of which one is
// taken, as by another worker's scan, so that stretches are also scanned on
// the caller's goroutine.
func slots(n int) detect.Slots {
	switch {
	case n == 0:
		return nil
	case n < 0:
		sl := detect.NewSlots(-n)
		sl <- struct{}{}
		return sl
	}
	return detect.NewSlots(n)
}

// scanWith scans data as one stream on up to parallel goroutines (see
// slots).
func scanWith(t testing.TB, e *detect.Engine, path string, data []byte, parallel int) ([]finding.Finding, finding.Stats) {
	t.Helper()
	var fs []finding.Finding
	st, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: path}, R: iotestHalfReader(bytes.NewReader(data)), Slots: slots(parallel)},
		func(f finding.Finding) error { fs = append(fs, f); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return fs, st
}

func suppressed(st finding.Stats) int64 {
	n := int64(0)
	for _, v := range st.Suppressed {
		n += v
	}
	return n
}

// A stream scanned in stretches on several goroutines gives the findings
// of one scan, finding for finding (positions included) and in order,
// wherever the stretches are cut: through findings, through lines, through
// runes, on a text of one line, and with invalid UTF-8. Every match
// turned down is counted once (a match may count under another reason, as
// between chunk sizes: see Engine.explained).
func TestParallelSegments(t *testing.T) {
	ex := exampleText(t)
	office := officeText(21, 1<<20)
	inputs := []struct {
		path string
		data string
	}{
		{"examples.txt", strings.Repeat(ex, 3)},
		{"office.txt", office},
		{"oneline.txt", strings.ReplaceAll(office[:600<<10], "\n", " ")},
		{"invalid.txt", strings.ReplaceAll(office[:600<<10], "é", "\xe9\x80")},
		// Invalid bytes count as characters once made valid: columns
		// far into a line carried across stretches must count them so.
		{"oneline-invalid.txt", strings.ReplaceAll(strings.ReplaceAll(office[:600<<10], "\n", " "), "é", "\x80\xe9")},
		{"config.py", strings.Repeat(ex, 2)},
	}
	serial := builtinEngine(t)
	for _, c := range []struct{ segment, chunk int }{{1, 1 << 16}, {100 << 10, 1 << 16}, {333331, 1 << 16}, {100 << 10, 1 << 18}} {
		size := c.segment
		e := builtinEngine(t, detect.WithSegmentSize(size), detect.WithChunkSize(c.chunk))
		for _, in := range inputs {
			want, wst := scanWith(t, serial, in.path, []byte(in.data), 0)
			if len(want) < 100 {
				t.Fatalf("%s: only %d findings: the input does not exercise the rules", in.path, len(want))
			}
			for _, par := range []int{-2, 3} {
				got, gst := scanWith(t, e, in.path, []byte(in.data), par)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("segment %d, %d goroutines, %s: %d findings, one scan %d; first difference: %s", size, par, in.path, len(got), len(want), firstDiff(got, want))
				}
				if gst.Bytes != wst.Bytes || gst.Findings != wst.Findings || suppressed(gst) != suppressed(wst) {
					t.Errorf("segment %d, %s: stats %d bytes, %d findings, %d suppressed; one scan %d, %d, %d",
						size, in.path, gst.Bytes, gst.Findings, suppressed(gst), wst.Bytes, wst.Findings, suppressed(wst))
				}
			}
		}
	}
}

// A cut between where a match starts and where its value does, or just
// before either, leaves the finding to the stretch its value starts in,
// which must still find the match: every finding of the examples is shifted
// so that a cut falls a few bytes before its value.
func TestParallelCutInsideMatch(t *testing.T) {
	ex := exampleText(t)
	serial := builtinEngine(t)
	e := builtinEngine(t, detect.WithSegmentSize(1), detect.WithChunkSize(1))
	size, after := detect.SegmentLen(e)
	all, _ := scanWith(t, serial, "e.txt", []byte(ex), 0)
	tried := 0
	for i, f := range all {
		if f.Location.Offset > int64(size) || f.Location.Offset < 64 || i%12 != 0 {
			continue
		}
		for _, d := range []int64{-1, 0, 1, 5, 40} {
			pad := int64(size) - f.Location.Offset + d // the cut falls d bytes before the value (after it, for -1)
			// The text past the cut is longer than the margin, which
			// would take it into the first stretch.
			rest := ex[:min(int(f.Location.Offset)+after+4096, len(ex))]
			data := append(bytes.Repeat([]byte("\n"), int(pad)), rest...)
			want, _ := scanWith(t, serial, "e.txt", data, 0)
			got, _ := scanWith(t, e, "e.txt", data, 2)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("cut %d bytes before the value of %s at %d: %d findings, one scan %d; first difference: %s",
					d, f.Rule, f.Location.Offset, len(got), len(want), firstDiff(got, want))
			}
			tried++
		}
	}
	t.Logf("%d cuts tried", tried)
	if tried < 30 {
		t.Errorf("only %d cuts tried", tried)
	}
}

// Streams that end within the first stretch, at a stretch's end, within a
// stretch's margin and just past it give one scan's findings; a stream
// whose reader fails, or whose findings the caller refuses, returns that
// error.
func TestParallelEdges(t *testing.T) {
	ex := strings.Repeat(exampleText(t), 2)
	serial := builtinEngine(t)
	e := builtinEngine(t, detect.WithSegmentSize(1), detect.WithChunkSize(1)) // both raised to their least
	size, after := detect.SegmentLen(e)
	if 3*size > len(ex) {
		t.Fatalf("the examples (%d bytes) are shorter than three stretches of %d", len(ex), size)
	}
	for _, n := range []int{0, 10, size - 1, size, size + 1, 2 * size, 2*size + after, 2*size + after + 1, 3*size - 7} {
		data := []byte(ex[:n])
		want, _ := scanWith(t, serial, "e.txt", data, 0)
		got, _ := scanWith(t, e, "e.txt", data, 2)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d bytes: %d findings, one scan %d; first difference: %s", n, len(got), len(want), firstDiff(got, want))
		}
	}

	boom := errors.New("disk gone")
	r := &failAfter{r: strings.NewReader(ex), n: 2*size + 5, err: boom}
	_, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "e.txt"}, R: r, Slots: slots(2)},
		func(finding.Finding) error { return nil })
	if !errors.Is(err, boom) {
		t.Errorf("reader failing: got %v, want %v", err, boom)
	}
	refused := errors.New("sink full")
	calls := 0
	_, err = e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "e.txt"}, R: strings.NewReader(ex), Slots: slots(2)},
		func(finding.Finding) error { calls++; return refused })
	if !errors.Is(err, refused) || calls != 1 {
		t.Errorf("emit failing: got %v after %d calls, want %v after 1", err, calls, refused)
	}
	if n := detect.StoresOut(e); n != 0 {
		t.Errorf("%d stores counted out after the scans", n)
	}
}

// A generic finding whose value runs across a cut is superseded by a
// specific one of its kind that starts after the cut, inside it: the
// stretch that owns the generic one must have taken the specific match
// too. The cut is put at every byte from before the generic value to past
// the specific one.
func TestParallelSupersededAcrossCut(t *testing.T) {
	yaml := `
rules:
  - id: test-generic-token
    kind: secret
    severity: low
    generic: true
    keywords: [token]
    pattern: 'token = (\S+)'
  - id: test-token
    kind: secret
    severity: high
    keywords: [tok_]
    pattern: '(tok_[a-z0-9]{8})\b'
`
	serial := compile(t, yaml)
	e := compile(t, yaml, detect.WithSegmentSize(1), detect.WithChunkSize(1))
	size, _ := detect.SegmentLen(e)
	line := "token = xx_tok_abcd1234\n"
	for cut := 0; cut < len(line); cut++ {
		// The line starts cut bytes before the first stretch ends, and
		// the text runs on well past the margin after it.
		data := strings.Repeat("-", size-cut) + line + strings.Repeat("filler line\n", size/12)
		want, _ := scanWith(t, serial, "c.txt", []byte(data), 0)
		if len(want) != 1 || want[0].Rule != "test-token" {
			t.Fatalf("one scan found %v, want the specific token alone", want)
		}
		got, _ := scanWith(t, e, "c.txt", []byte(data), 2)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("cut %d bytes into the line: %d findings, one scan %d; first difference: %s", cut, len(got), len(want), firstDiff(got, want))
		}
	}
}

// checkedTokenEngine compiles a token rule whose check calls check with
// each value and passes it, cutting streams into the smallest stretches.
func checkedTokenEngine(t *testing.T, check func(value string)) *detect.Engine {
	yaml := `
rules:
  - id: test-token
    kind: secret
    severity: high
    keywords: [tok_]
    pattern: '(tok_[a-z]{8})\b'
    validators: [test_check]
`
	return compile(t, yaml, detect.WithSegmentSize(1), detect.WithChunkSize(1),
		detect.WithCheck("test_check", func(c *detect.Candidate) bool {
			check(string(c.Value()))
			return true
		}))
}

// A check that panics in a stretch scanned on a goroutine of its own
// panics on the caller's, with its value, as a scan of one stream would
// (the scan's recovery turns it into an item error), and every slot is
// given back, on either path.
func TestParallelPanicReachesCaller(t *testing.T) {
	e := checkedTokenEngine(t, func(value string) {
		if value == "tok_boomboom" {
			panic("check failed badly")
		}
	})
	size, _ := detect.SegmentLen(e)
	data := strings.Repeat("tok_fineokay\n", 3*size/13) + "tok_boomboom\n" + strings.Repeat("x\n", size)
	for _, par := range []int{2, -2} {
		sl := slots(par)
		held := len(sl)
		func() {
			defer func() {
				if p := recover(); p != "check failed badly" {
					t.Errorf("%d slots: recovered %v, want the check's panic", par, p)
				}
			}()
			e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "p.txt"}, R: strings.NewReader(data), Slots: sl},
				func(finding.Finding) error { return nil })
		}()
		// Goroutines still scanning give their slots back when done.
		deadline := time.Now().Add(10 * time.Second)
		for len(sl) != held && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if len(sl) != held {
			t.Errorf("%d slots: %d taken after the panic, want %d", par, len(sl), held)
		}
		if n := detect.StoresOut(e); n != 0 {
			t.Errorf("%d slots: %d stores counted out after the panic", par, n)
		}
	}
}

// Long streams scanned at once hold no more stores than the budget for
// their slots allows (and one each, taken as another stream reaches it),
// even while each waits for a slow first stretch and its later ones pile
// up done (38-45 stores here without the budget, 26-28 with it); and they
// give them all back.
func TestParallelStoreBudget(t *testing.T) {
	e := checkedTokenEngine(t, func(value string) {
		if value == "tok_slowslow" {
			time.Sleep(300 * time.Millisecond)
		}
	})
	size, _ := detect.SegmentLen(e)
	data := []byte("tok_slowslow\n" + strings.Repeat("tok_fineokay and some words\n", 30*size/28))
	const streams, nslots = 4, 12
	sl := detect.NewSlots(nslots)
	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stop:
				return
			default:
				if n := detect.StoresOut(e); n > peak.Load() {
					peak.Store(n)
				}
				time.Sleep(50 * time.Microsecond)
			}
		}
	}()
	var wg sync.WaitGroup
	for range streams {
		wg.Go(func() {
			e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "o.txt"}, R: bytes.NewReader(data), Slots: sl},
				func(finding.Finding) error { return nil })
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	if limit := int64(2*nslots + 2 + streams); peak.Load() > limit {
		t.Errorf("%d stores out at once, budget %d", peak.Load(), limit)
	}
	if peak.Load() < 2*nslots {
		t.Errorf("at most %d stores out at once: the stretches did not pile up", peak.Load())
	}
	if n := detect.StoresOut(e); n != 0 {
		t.Errorf("%d stores counted out after the scans", n)
	}
}

// Once its long streams are done the engine keeps one store for the next,
// not the several they cycled through, and after Trim none, nor any built
// automaton state; a scan after Trim finds what one before it did.
func TestStoresAndStatesLetGo(t *testing.T) {
	e := checkedTokenEngine(t, func(string) {})
	size, _ := detect.SegmentLen(e)
	data := []byte(strings.Repeat("tok_fineokay and some words\n", 8*size/28))
	scan := func() []finding.Finding {
		var got []finding.Finding
		sl := detect.NewSlots(4)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				var own []finding.Finding
				if _, err := e.Scan(context.Background(), detect.Input{Location: finding.Location{Path: "o.txt"}, R: bytes.NewReader(data), Slots: sl},
					func(f finding.Finding) error { own = append(own, f); return nil }); err != nil {
					t.Error(err)
				}
				mu.Lock()
				got = append(got, own...)
				mu.Unlock()
			})
		}
		wg.Wait()
		return got
	}
	before := scan()
	if len(before) == 0 {
		t.Fatal("no findings")
	}
	if n := detect.StoresKept(e); n != 1 {
		t.Errorf("%d stores kept between long streams, want 1", n)
	}
	if detect.CachesKept(e) == 0 {
		t.Error("no automaton state kept after the scans")
	}
	e.Trim()
	if n, m := detect.StoresKept(e), detect.CachesKept(e); n != 0 || m != 0 {
		t.Errorf("after Trim: %d stores and %d caches kept", n, m)
	}
	if after := scan(); len(after) != len(before) {
		t.Errorf("%d findings after Trim, %d before", len(after), len(before))
	}
}

// failAfter reads n bytes of r, then fails with err.
type failAfter struct {
	r   io.Reader
	n   int
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	k, err := f.r.Read(p[:min(len(p), f.n)])
	f.n -= k
	return k, err
}
