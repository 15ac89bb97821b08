package extract_test

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// The registry is tested with small extractors over real formats from the
// standard library (gzip, tar); the production extractors have their own
// packages and tests.

type gzipX struct{}

func (gzipX) Kinds() []extract.Kind { return []extract.Kind{extract.KindGzip} }
func (gzipX) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	zr, err := gzip.NewReader(n.R)
	if err != nil {
		return err
	}
	return out.Child(ctx, extract.Member{Label: strings.TrimSuffix(n.Name, ".gz"), Size: -1, Compressed: n.Size, R: zr})
}

type tarX struct{}

func (tarX) Kinds() []extract.Kind { return []extract.Kind{extract.KindTar} }
func (tarX) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	tr := tar.NewReader(n.R)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := out.Child(ctx, extract.Member{Label: h.Name, Size: h.Size, Compressed: -1, R: tr}); err != nil {
			return err
		}
	}
}

func gz(t testing.TB, name string, data []byte) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Name = name
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tarOf(t testing.TB, files ...string) []byte { // name, content, name, content…
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for i := 0; i < len(files); i += 2 {
		tw.WriteHeader(&tar.Header{Name: files[i], Mode: 0o600, Size: int64(len(files[i+1])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[i+1]))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNestedChain(t *testing.T) {
	inner := tarOf(t, "etc/app.env", "user=admin\npassword PLANT-deep\n", "README", "nothing here")
	data := gz(t, "", inner)
	res := extracttest.Run(t, "backup.tar.gz", data, extracttest.Options{}, gzipX{}, tarX{})
	if got, want := res.Where("PLANT-deep"), []string{"backup.tar.gz!backup.tar!etc/app.env"}; !slices.Equal(got, want) {
		t.Fatalf("token at %q, want %q; problems %v", got, want, res.Problems)
	}
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	// Path-scoped rules see the member's own name.
	for _, tx := range res.Texts {
		if strings.HasSuffix(tx.Where, "etc/app.env") && tx.Path != "etc/app.env" {
			t.Errorf("member text scanned under path %q", tx.Path)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	data := []byte("PLANT-bottom\n")
	for range 6 {
		data = gz(t, "", data)
	}
	res := extracttest.Run(t, "deep.gz", data, extracttest.Options{Limits: extract.Limits{MaxDepth: 3}}, gzipX{})
	if len(res.Tokens) != 0 {
		t.Errorf("found %v beyond the depth limit", res.Tokens)
	}
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonLimit || !strings.Contains(res.Problems[0].Error, "deeper than 3") {
		t.Fatalf("problems %+v, want one depth limit", res.Problems)
	}
	if got := len(res.Problems[0].Location.Container); got != 4 {
		t.Errorf("depth problem located at %v", res.Problems[0].Location.Where())
	}
}

func TestRatioBombStopsMemberNotSiblings(t *testing.T) {
	bomb := gz(t, "", make([]byte, 64<<20)) // 64 MiB of zeros in ~64 KiB
	data := tarOf(t, "zeros.gz", string(bomb), "notes.txt", "PLANT-sibling")
	start := time.Now()
	res := extracttest.Run(t, "a.tar", data, extracttest.Options{Limits: extract.Limits{RatioFloor: 1 << 20, MaxRatio: 100}}, gzipX{}, tarX{})
	if len(res.Where("PLANT-sibling")) != 1 {
		t.Errorf("sibling not scanned: %v", res.Tokens)
	}
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error, "compression bomb") {
		t.Fatalf("problems %+v", res.Problems)
	}
	if want := "a.tar!zeros.gz!zeros"; res.Problems[0].Location.Where() != want {
		t.Errorf("bomb located at %s, want %s", res.Problems[0].Location.Where(), want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing the bomb took %s", d)
	}
}

func TestByteLimitStopsItem(t *testing.T) {
	big := strings.Repeat("x", 4096)
	data := tarOf(t, "a.txt", big, "b.txt", big, "c.txt", "PLANT-late")
	res := extracttest.Run(t, "a.tar", gz(t, "", data), extracttest.Options{Limits: extract.Limits{MaxBytes: 8000}}, gzipX{}, tarX{})
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonLimit {
		t.Fatalf("problems %+v, want one size limit", res.Problems)
	}
	if len(res.Tokens) != 0 {
		t.Errorf("scanned past the item's byte limit: %v", res.Tokens)
	}
}

func TestDedupReportsEveryPlace(t *testing.T) {
	att := "PLANT-attached\n" + strings.Repeat("filler line\n", 100)
	var files []string
	for i := range 5 {
		files = append(files, fmt.Sprintf("mail%d/att.txt", i), att)
	}
	res := extracttest.Run(t, "mails.tar", tarOf(t, files...), extracttest.Options{}, tarX{})
	if got := len(res.Where("PLANT-attached")); got != 5 {
		t.Fatalf("reported %d times, want 5: %v", got, res.Where("PLANT-attached"))
	}
	if res.Stats.Deduped != 4 {
		t.Errorf("deduped %d, want 4", res.Stats.Deduped)
	}
	if got := len(res.Texts); got != 1 {
		t.Errorf("scanned %d times, want once", got)
	}
	if w := res.Where("PLANT-attached")[3]; w != "mails.tar!mail3/att.txt" {
		t.Errorf("replayed at %s", w)
	}
}

// cells is an extractor of a toy format, "cell<TAB>value" lines, that marks
// every line: it exercises marks over a long stream.
type cells struct{}

func (cells) Kinds() []extract.Kind { return []extract.Kind{extract.KindText} }
func (cells) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	tw := out.Text(ctx, "sheet:S")
	sc := bufio.NewScanner(n.R)
	for sc.Scan() {
		ref, val, _ := strings.Cut(sc.Text(), "\t")
		tw.Mark("cell:" + ref)
		tw.WriteString(val)
		tw.WriteByte('\n')
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return sc.Err()
}

// lineScanner reports planted tokens line by line as it reads, like the
// engine does chunk by chunk, so marks are looked up while more text is
// still being written.
type lineScanner struct{ texts int }

func (s *lineScanner) ScanText(_ context.Context, loc finding.Location, _ string, r io.Reader, emit func(finding.Finding) error) (finding.Stats, error) {
	s.texts++
	br := bufio.NewReader(r)
	var off int64
	var st finding.Stats
	for {
		line, err := br.ReadString('\n')
		for _, m := range extracttest.Plant.FindAllStringIndex(line, -1) {
			f := finding.Finding{Location: loc, Secret: line[m[0]:m[1]]}
			f.Location.Offset = off + int64(m[0])
			st.Findings++
			if err := emit(f); err != nil {
				return st, err
			}
		}
		off += int64(len(line))
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, err
		}
	}
}

func (s *lineScanner) ScanBinary(context.Context, finding.Location, string, []byte, io.Reader, func(finding.Finding) error) (finding.Stats, error) {
	return finding.Stats{}, errors.New("unexpected binary")
}

// TestMarks: findings in a sheet's text are at the cell marked before
// them, in a text that outgrows the writer's buffer (scanned on its own
// goroutine while the extractor writes) and in one that fits (scanned at
// Close).
func TestMarks(t *testing.T) {
	t.Run("long", func(t *testing.T) { testMarks(t, 300_000, 50_000) })
	t.Run("short", func(t *testing.T) { testMarks(t, 20, 5) })
}

func testMarks(t *testing.T, rows, every int) {
	var in strings.Builder
	want := map[string]string{}
	for i := range rows {
		ref := fmt.Sprintf("A%d", i+1)
		if i%every == 3 {
			tok := fmt.Sprintf("PLANT-row%d", i+1)
			want[tok] = "sheet.txt!sheet:S!cell:" + ref
			fmt.Fprintf(&in, "%s\tsome %s text\n", ref, tok)
		} else {
			fmt.Fprintf(&in, "%s\t%d\n", ref, i*7)
		}
	}
	reg, err := extract.New(extract.Config{Scanner: &lineScanner{}, Lookback: 4096, Extractors: []extract.Extractor{cells{}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	_, err = reg.Extract(context.Background(), extract.Top{Location: finding.Location{Path: "sheet.txt"}, Size: -1, R: strings.NewReader(in.String())},
		extract.Output{
			Finding: func(f finding.Finding) error { got[f.Secret] = f.Location.Where(); return nil },
			Problem: func(e finding.ItemError) error { t.Errorf("problem %+v", e); return nil },
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("found %v, want %v", got, want)
	}
	for tok, w := range want {
		if got[tok] != w {
			t.Errorf("%s at %s, want %s", tok, got[tok], w)
		}
	}
}

// failing writes some text, then fails as a corrupt document would.
type failing struct{}

func (failing) Kinds() []extract.Kind { return []extract.Kind{extract.KindText} }
func (failing) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	tw := out.Text(ctx)
	tw.WriteString("readable part PLANT-before\n")
	return errors.New("unexpected end of document")
}

// emptyText opens a text stream and writes nothing to it.
type emptyText struct{}

func (emptyText) Kinds() []extract.Kind { return []extract.Kind{extract.KindText} }
func (emptyText) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	tw := out.Text(ctx)
	if err := tw.Close(); err != nil {
		return err
	}
	return tw.Close()
}

// TestEmptyText: a text stream with nothing written still reaches the
// scanner, once, and closing it twice is harmless.
func TestEmptyText(t *testing.T) {
	sc := &lineScanner{}
	reg, err := extract.New(extract.Config{Scanner: sc, Extractors: []extract.Extractor{emptyText{}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = reg.Extract(context.Background(), extract.Top{Location: finding.Location{Path: "e.txt"}, Size: -1, R: strings.NewReader("x")},
		extract.Output{Finding: func(finding.Finding) error { return nil }, Problem: func(e finding.ItemError) error { t.Errorf("problem %+v", e); return nil }})
	if err != nil || sc.texts != 1 {
		t.Errorf("err %v, texts scanned %d, want 1", err, sc.texts)
	}
}

func TestFailureKeepsWhatWasRead(t *testing.T) {
	res := extracttest.Run(t, "doc.txt", []byte("anything"), extracttest.Options{}, failing{})
	if len(res.Where("PLANT-before")) != 1 {
		t.Errorf("text written before the failure was not scanned: %v", res.Tokens)
	}
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt || res.Problems[0].Location.Where() != "doc.txt" {
		t.Errorf("problems %+v", res.Problems)
	}
}

func TestTwoExtractorsForOneKind(t *testing.T) {
	_, err := extract.New(extract.Config{Scanner: &lineScanner{}, Extractors: []extract.Extractor{tarX{}, tarX{}}})
	if err == nil {
		t.Fatal("two extractors for tar accepted")
	}
}

func TestIdentify(t *testing.T) {
	zipHead := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
	ole := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	ole = append(ole, make([]byte, 600)...)
	for _, c := range []struct {
		head string
		name string
		want extract.Kind
	}{
		{"hello world\n", "a.txt", extract.KindText},
		{"package main\n", "main.go", extract.KindText},
		{"<!DOCTYPE html><html><body>x</body></html>", "page.html", extract.KindHTML},
		{"<!DOCTYPE html><html><body>x</body></html>", "page.go", extract.KindText},
		{"%PDF-1.7\n", "x.pdf", extract.KindPDF},
		{"\x1f\x8b\x08\x00\x00\x00\x00\x00", "a.gz", extract.KindGzip},
		{string(zipHead), "report.docx", extract.KindDocx},
		{string(zipHead), "book.xlsx", extract.KindXlsx},
		{string(zipHead), "any.zip", extract.KindZip},
		{string(ole), "old.doc", extract.KindDoc},
		{string(ole), "mail.msg", extract.KindMsg},
		{"From alice@example.com Thu Nov 20 10:00:00 2014\nFrom: alice@example.com\n", "inbox", extract.KindMbox},
		{"!BDN\x00\x00\x00\x00SM", "x.pst", extract.KindPST},
		{"{\\rtf1\\ansi hello}", "a.rtf", extract.KindRTF},
		{"{\\rtf1\\ansi hello}\x00", "a.rtf", extract.KindRTF},
		{"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", "page.html", extract.KindHTML},
		{"\x00\x01\x02\x03binary", "blob.bin", extract.KindBinary},
	} {
		if got := extract.Identify([]byte(c.head), c.name); got != c.want {
			t.Errorf("Identify(%q, %s) = %s, want %s", c.head[:min(len(c.head), 12)], c.name, got, c.want)
		}
	}
}

func TestCorruptMemberKeepsWhatWasRead(t *testing.T) {
	body := "PLANT-early\n" + strings.Repeat("log line with some words in it\n", 20000)
	data := gz(t, "", []byte(body))
	data = data[:len(data)*2/3] // cut: the stream ends early
	res := extracttest.Run(t, "app.log.gz", data, extracttest.Options{}, gzipX{})
	if len(res.Where("PLANT-early")) != 1 {
		t.Errorf("text before the cut not scanned: %v", res.Tokens)
	}
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt || res.Problems[0].Location.Where() != "app.log.gz!app.log" {
		t.Errorf("problems %+v", res.Problems)
	}
}

// TestLargeMembersPastMemory: members longer than what is held in memory
// (the rest goes to a temporary file) are scanned whole, a value past
// that point included, and deduplicated as the short ones are; a gzip
// stream of unknown length too.
func TestLargeMembersPastMemory(t *testing.T) {
	var body strings.Builder
	body.WriteString("PLANT-early\n")
	for i := 0; body.Len() < 12<<20; i++ {
		fmt.Fprintf(&body, "filler line %d of a large exported table\n", i)
	}
	body.WriteString("PLANT-deep\n")
	big := body.String()
	res := extracttest.Run(t, "backups.tar", tarOf(t, "mon/dump.txt", big, "tue/dump.txt", big, "wed/dump.txt", big), extracttest.Options{}, tarX{})
	for _, plant := range []string{"PLANT-early", "PLANT-deep"} {
		if got := res.Where(plant); len(got) != 3 {
			t.Errorf("%s reported at %v, want in each of the 3 copies", plant, got)
		}
	}
	if res.Stats.Deduped != 2 || len(res.Texts) != 1 {
		t.Errorf("deduped %d, scanned %d times; want 2 and once", res.Stats.Deduped, len(res.Texts))
	}
	res = extracttest.Run(t, "dump.txt.gz", gz(t, "dump.txt", []byte(big)), extracttest.Options{}, gzipX{})
	if got := res.Where("PLANT-deep"); len(got) != 1 || len(res.Problems) != 0 {
		t.Errorf("gzip stream of %d bytes: PLANT-deep at %v, problems %+v", len(big), got, res.Problems)
	}
}
