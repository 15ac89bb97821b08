package scancache

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// fill sets every field reachable from v to a value of its own, none zero:
// a field added to finding.Finding (or Match, Location, Stats, ItemError)
// that the codec does not carry fails the round trip below, and a field
// of a kind fill does not know fails here.
func fill(t testing.TB, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * 1_000_003)
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(t, v.Field(i), n)
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(t, v.Index(i), n)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), n)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(t, k, n)
			fill(t, e, n)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), n)
		v.Set(p)
	default:
		t.Fatalf("fill: a field of kind %s: teach the codec and this test", v.Kind())
	}
}

// fullRecord is a record with every field of every finding set, and the
// edge cases the codec treats apart.
func fullRecord(t testing.TB, path string) Record {
	var r Record
	n := 0
	fill(t, reflect.ValueOf(&r).Elem(), &n)
	r.Findings[0].Location.Path = path // stored as a flag
	r.Findings[0].Fingerprint = "0123456789abcdef0123456789abcdef"
	r.Findings[1].Fingerprint = "0123456789ABCDEF0123456789ABCDEF" // not lowercase: a string
	r.Findings[1].Location.Offset, r.Findings[1].Location.EndOffset = math.MaxInt64, math.MinInt64
	r.Findings[1].Location.Line, r.Findings[1].Location.EndLine = -5, math.MaxInt
	r.Findings[1].Match.Spans = [][2]int64{{math.MinInt64, math.MaxInt64}, {7, 3}}
	r.Findings[1].Match.Coverage = math.Inf(-1)
	r.Errors[0].Location.Path = path
	r.Findings = append(r.Findings,
		finding.Finding{},
		finding.Finding{Rule: "r", Fingerprint: "fedcba98765432100123456789abcdef",
			Location: finding.Location{Path: path, Container: []string{}},
			Match:    &finding.Match{Columns: []string{}, Spans: [][2]int64{}}})
	r.Stats.Skipped = map[string]int64{}
	return r
}

// Every field of every finding, error and the stats comes back as it was
// stored, but the plaintext, which is never stored.
func TestRecordRoundTripEveryField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	const item = "dir/x.zip"
	r := fullRecord(t, item)
	r.Hash = "sha256:00"
	want := r
	want.Findings = append([]finding.Finding(nil), r.Findings...)
	for i := range want.Findings {
		want.Findings[i].Secret = ""
	}
	mod := time.Unix(1700000000, 5)
	want.Size, want.ModNS, want.Ident = 77, mod.UnixNano(), "9:9"

	c, err := Open(path, "d")
	if err != nil {
		t.Fatal(err)
	}
	c.Store(item, 77, mod, "9:9", r)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c, err = Open(path, "d")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.now = func() time.Time { return mod } // in doubt: the hash is kept
	got, ok := c.Lookup(item, 77, mod, "9:9", func() (string, error) { return "sha256:00", nil })
	if !ok {
		t.Fatal("record not found again")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
		for i := range min(len(got.Findings), len(want.Findings)) {
			if !reflect.DeepEqual(got.Findings[i], want.Findings[i]) {
				t.Errorf("finding %d:\n got %+v\nwant %+v", i, got.Findings[i], want.Findings[i])
			}
		}
	}
	if r.Findings[0].Secret == "" {
		t.Error("Store changed the caller's findings")
	}
}

// The encoding of a record is compact: a finding of the usual kind (same
// path, hex fingerprint, strings shared with its neighbours) takes a few
// dozen bytes where its JSON took some 400.
func TestRecordIsCompact(t *testing.T) {
	const item = "corp/docs/engineering/retro-09969.md"
	var r Record
	for i := range 100 {
		r.Findings = append(r.Findings, syntheticFinding(item, i))
	}
	_, rec := newEncoder().encode(item, &r)
	if per := len(rec) / len(r.Findings); per > 48 {
		t.Errorf("%d bytes a finding", per)
	}
}

// syntheticFinding is a finding as scans make them by the million.
func syntheticFinding(path string, i int) finding.Finding {
	return finding.Finding{Rule: "email-address", Name: "E-mail address", Kind: finding.PII,
		Entity: "EMAIL_ADDRESS", Confidence: finding.High, Severity: finding.SevLow,
		Location: finding.Location{Path: path, Line: 2 + i, Column: 24, EndLine: 2 + i, EndColumn: 58,
			Offset: int64(52 + 80*i), EndOffset: int64(86 + 80*i)},
		Masked:      fmt.Sprintf("u%03d….com", i%500),
		Fingerprint: fmt.Sprintf("%032x", uint64(i)*0x9e3779b97f4a7c15)}
}

// An Entry, fed a record's findings one at a time (as Store feeds it),
// frames the same bytes as the whole record encoded at once: the file
// format does not depend on how a record was collected, and a nil list
// stays apart from an empty one.
func TestEntryEncodesAsRecord(t *testing.T) {
	const item = "dir/x.zip"
	full := fullRecord(t, item)
	full.Hash = "sha256:00"
	for name, r := range map[string]Record{
		"every field":          full,
		"no findings":          {Stats: finding.Stats{Items: 1}},
		"an empty list":        {Findings: []finding.Finding{}, Errors: []finding.ItemError{}},
		"errors, no findings":  {Errors: full.Errors},
		"findings, no errors":  {Findings: full.Findings},
		"one finding and hash": {Findings: full.Findings[:1], Hash: "sha256:01"},
	} {
		t.Run(name, func(t *testing.T) {
			r.Size, r.ModNS, r.Ident = 77, 1700000000000000005, "9:9"
			e := newEncoder()
			p, b := e.encode(item, &r)
			want := append(append([]byte(nil), p...), b...)

			c := &Cache{}
			c.encs.New = func() any { return newEncoder() }
			en := c.entryOf(item, &r)
			defer en.Close()
			rest := r
			rest.Findings, rest.Errors = nil, nil
			p, b = en.frame(&rest)
			if got := append(append([]byte(nil), p...), b...); !bytes.Equal(got, want) {
				t.Errorf("entry frames %d bytes %x,\nthe record %d bytes %x", len(got), got, len(want), want)
			}
		})
	}
}

// The bytes a record frames to are the cache file's format: cache files of
// earlier runs are read with it. The digest below was taken from the
// encoder before records could be built one finding at a time (Entry); a
// change of format must change the header's format number (file.go),
// then this.
func TestRecordFormatIsStable(t *testing.T) {
	r := fullRecord(t, "dir/x.zip")
	r.Hash = "sha256:00"
	r.Size, r.ModNS, r.Ident = 77, 1700000000000000005, "9:9"
	p, b := newEncoder().encode("dir/x.zip", &r)
	frame := append(append([]byte(nil), p...), b...)
	const want = "cecaaebdc0dabe140033f46f7bfa3c11f6d7429215147cda0273674aa65b93f3"
	if got := fmt.Sprintf("%x", sha256.Sum256(frame)); got != want || len(frame) != 660 {
		t.Errorf("a full record frames to %d bytes, digest %s; want 660 bytes, digest %s", len(frame), got, want)
	}
}
