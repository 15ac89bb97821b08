package scancache

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

var benchRecords = flag.Int("cache.records", 300_000, "records in the benchmarks' cache (6.5 findings each on average)")

// benchItem is the i-th file of the benchmarks' synthetic tree: a share
// of documents, a third of them without findings, the others with up to
// 13 (as the 5 GiB test tree: 323,030 items, 2,073,148 findings).
func benchItem(i int) (string, Record) {
	path := fmt.Sprintf("big/corp/docs/dept%02d/team%03d/report-%06d.md", i%37, i%997, i)
	r := Record{Size: int64(1000 + i), ModNS: 1795791622770718052 + int64(i),
		Ident: fmt.Sprintf("65024:%d", 10000000+i),
		Stats: finding.Stats{Bytes: int64(1000 + i)}}
	for j := range (i * 7919) % 14 {
		r.Findings = append(r.Findings, syntheticFinding(path, i+j))
	}
	r.Stats.Findings = int64(len(r.Findings))
	if i%3 == 0 {
		r.Stats.Suppressed = map[string]int64{"check:phone": int64(i % 29), "negative-context": 1}
	}
	return path, r
}

// BenchmarkOpenLookup opens a cache of -cache.records records and looks up
// every one, as a rescan of an unchanged tree does: the binary format of
// this package against format 2 (JSON lines, io.ReadAll, json.Unmarshal
// at lookup), kept here only to measure against.
func BenchmarkOpenLookup(b *testing.B) {
	dir := b.TempDir()
	n := *benchRecords
	paths := make([]string, n)
	for i := range paths {
		paths[i], _ = benchItem(i)
	}
	binary := filepath.Join(dir, "binary.cache")
	c, err := Open(binary, "d")
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		p, r := benchItem(i)
		c.Store(p, r.Size, time.Unix(0, r.ModNS), r.Ident, r)
	}
	if err := c.Save(); err != nil {
		b.Fatal(err)
	}
	c.Close()
	b.Run("binary", func(b *testing.B) {
		benchLookups(b, binary, paths, func() (lookuper, error) { return Open(binary, "d") })
	})
	b.Run("recall", func(b *testing.B) {
		benchLookups(b, binary, paths, func() (lookuper, error) {
			c, err := Open(binary, "d")
			return &recaller{Cache: c}, err
		})
	})
	b.Run("json", func(b *testing.B) {
		file := filepath.Join(dir, "json.cache")
		if err := writeJSONCache(file, n); err != nil {
			b.Fatal(err)
		}
		benchLookups(b, file, paths, func() (lookuper, error) { return openJSON(file) })
	})
}

// recaller looks up as a rescan does, with Recall and Each, copying each
// finding as a consumer would into a slice it reuses.
type recaller struct {
	*Cache
	buf []finding.Finding
}

func (r *recaller) Lookup(path string, size int64, mod time.Time, ident string, hash func() (string, error)) (Record, bool) {
	rp, ok := r.Recall(path, size, mod, ident, hash)
	if !ok {
		return Record{}, false
	}
	r.buf = r.buf[:0]
	rp.Each(func(f finding.Finding) error {
		r.buf = append(r.buf, f)
		return nil
	})
	rec := rp.Record
	rec.Findings = r.buf
	return rec, true
}

type lookuper interface {
	Lookup(path string, size int64, mod time.Time, ident string, hash func() (string, error)) (Record, bool)
	Close() error
}

func benchLookups(b *testing.B, file string, paths []string, open func() (lookuper, error)) {
	fi, err := os.Stat(file)
	if err != nil {
		b.Fatal(err)
	}
	var opening, looking time.Duration
	findings := 0
	for b.Loop() {
		t0 := time.Now()
		c, err := open()
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		for i, p := range paths {
			r, ok := c.Lookup(p, int64(1000+i), time.Unix(0, 1795791622770718052+int64(i)), fmt.Sprintf("65024:%d", 10000000+i), nil)
			if !ok {
				b.Fatalf("%s not found", p)
			}
			findings += len(r.Findings)
		}
		looking += time.Since(t1)
		opening += t1.Sub(t0)
		c.Close()
	}
	b.ReportMetric(float64(opening.Milliseconds())/float64(b.N), "open-ms/op")
	b.ReportMetric(float64(looking.Milliseconds())/float64(b.N), "lookup-ms/op")
	b.ReportMetric(float64(findings)/float64(b.N), "findings/op")
	b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
}

// jsonLine is a record line of format 2.
type jsonLine struct {
	Path     string              `json:"path"`
	Size     int64               `json:"size"`
	ModNS    int64               `json:"mod_ns"`
	Ident    string              `json:"ident,omitempty"`
	Hash     string              `json:"hash,omitempty"`
	Findings []finding.Finding   `json:"findings,omitempty"`
	Errors   []finding.ItemError `json:"errors,omitempty"`
	Stats    finding.Stats       `json:"stats"`
}

func writeJSONCache(file string, n int) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	enc.Encode(map[string]any{"format": 2, "digest": "d"})
	for i := range n {
		p, r := benchItem(i)
		if err := enc.Encode(jsonLine{p, r.Size, r.ModNS, r.Ident, r.Hash, r.Findings, r.Errors, r.Stats}); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// jsonCache is format 2's Open and Lookup, in short: the file read whole
// with io.ReadAll, lines indexed by path, a line decoded at its lookup.
type jsonCache struct{ lines map[string][]byte }

func openJSON(file string) (*jsonCache, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	_, rest, _ := bytes.Cut(data, []byte{'\n'})
	c := &jsonCache{lines: map[string][]byte{}}
	const head = `{"path":"`
	for len(rest) > 0 {
		l, r, _ := bytes.Cut(rest, []byte{'\n'})
		rest = r
		if !bytes.HasPrefix(l, []byte(head)) {
			return nil, errors.New("bad line")
		}
		end := bytes.IndexByte(l[len(head):], '"')
		c.lines[string(l[len(head):len(head)+end])] = l
	}
	return c, nil
}

func (c *jsonCache) Lookup(path string, size int64, mod time.Time, ident string, _ func() (string, error)) (Record, bool) {
	var l jsonLine
	if err := json.Unmarshal(c.lines[path], &l); err != nil {
		return Record{}, false
	}
	if l.Size != size || l.ModNS != mod.UnixNano() || l.Ident != ident {
		return Record{}, false
	}
	return Record{l.Size, l.ModNS, l.Ident, l.Hash, l.Findings, l.Errors, l.Stats}, true
}

func (c *jsonCache) Close() error { return nil }
