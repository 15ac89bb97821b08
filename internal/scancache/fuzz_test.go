package scancache

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/cursor"
	"github.com/leakguard/leakguard/internal/finding"
)

// decodeAll decodes a record whole, as Lookup does.
func decodeAll(rec []byte) (string, Record, bool) {
	d := decoder{Reader: cursor.New(rec)}
	h := d.readHead()
	if d.Failed() {
		return "", Record{}, false
	}
	path := string(h.path)
	r := Record{Size: h.size, ModNS: h.modNS, Ident: string(h.ident), Hash: string(h.hash)}
	return path, r, d.readRest(path, &r) == nil
}

// recallAll reads a record as Recall and Each do: the findings checked
// first, then decoded one at a time.
func recallAll(rec []byte, path string) (Record, bool) {
	d := decoder{Reader: cursor.New(rec)}
	if d.readHead(); d.Failed() {
		return Record{}, false
	}
	var r Record
	d.hexs = new(strings.Builder)
	n, _, enc, hexed, err := d.readReplay(path, &r)
	if err != nil {
		return Record{}, false
	}
	e := decoder{Reader: cursor.New(enc), strs: d.strs, hexed: hexed, useHexed: true}
	err = e.eachFinding(n, path, func(f finding.Finding) error {
		r.Findings = append(r.Findings, f)
		return nil
	})
	return r, err == nil && e.Left() == 0
}

// A record decoder meets damaged bytes (when a checksum misses) and must
// neither panic nor allocate without bound; what it accepts encodes to a
// form that decodes to the same again.
func FuzzRecord(f *testing.F) {
	e := newEncoder()
	for _, r := range []Record{{}, fullRecord(f, "p"), {Findings: fullRecord(f, "q").Findings[2:]}} {
		_, rec := e.encode("p", &r)
		f.Add(append([]byte(nil), rec...))
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		path, r, ok := decodeAll(rec)
		if !ok {
			if _, rok := recallAll(rec, path); rok {
				t.Fatalf("Recall accepts a record Lookup rejects")
			}
			return
		}
		// Recall accepts what Lookup accepts, and Each gives the same
		// findings (nil and empty alike: Each hands on none).
		rr, rok := recallAll(rec, path)
		want := r
		if len(want.Findings) == 0 {
			want.Findings = nil
		}
		rr.Hash, rr.Size, rr.ModNS, rr.Ident = r.Hash, r.Size, r.ModNS, r.Ident
		if !rok {
			t.Fatalf("Recall rejects a record Lookup accepts")
		}
		// Compared as encoded: a NaN in a Match is not DeepEqual to itself.
		_, a := newEncoder().encode(path, &rr)
		_, b := newEncoder().encode(path, &want)
		if !bytes.Equal(a, b) {
			t.Fatalf("Recall and Lookup disagree:\n%+v\n%+v", rr, want)
		}
		_, once := newEncoder().encode(path, &r)
		path2, r2, ok := decodeAll(once)
		if !ok || path2 != path {
			t.Fatalf("a decoded record, encoded again, does not decode")
		}
		_, twice := newEncoder().encode(path2, &r2)
		if !bytes.Equal(once, twice) {
			t.Fatalf("encode(decode(x)) not stable:\n%x\n%x", once, twice)
		}
	})
}

// A whole file: parse must reject or index it without panicking, and
// every record it indexes must be readable.
func FuzzFile(f *testing.F) {
	f.Add(saved(f, f.TempDir()+"/cache"))
	f.Add([]byte(magic + "\x03\x02d1\x00"))
	f.Add([]byte("{\"format\":2}\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		paths, frames, _, err := parse(raw, "d1")
		if err != nil {
			return
		}
		for p, i := range paths {
			rec := record(raw[frames[i].start:frames[i].end])
			if d := (decoder{Reader: cursor.New(rec)}); string(d.str()) != p {
				t.Fatalf("record indexed under %q", p)
			}
			decodeAll(rec)
		}
	})
}
