package edm

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"testing"
)

// FuzzMatcher feeds arbitrary text, whole and cut in three writes: the
// matcher must not panic, and the cuts must not change the matches.
func FuzzMatcher(f *testing.F) {
	dir := f.TempDir()
	registerPeople(f, dir, 50)
	ix, err := Open(dir, testKey)
	if err != nil {
		f.Fatal(err)
	}
	defer ix.Close()
	for i := 0; i < 4; i++ {
		p := makePerson(1, i)
		f.Add([]byte(p.csvLine()+reformatted(p, i)), uint16(i*13), uint16(i*101))
	}
	f.Add([]byte("+1 (555) 1\xff23-4567 24-NOV-14 a@b.cd é\u0301 00 0 0 0 0 0 0 0 0 0 0"), uint16(5), uint16(9))
	opt := MatchOptions{Window: 40, RowLimit: 100}
	f.Fuzz(func(t *testing.T, text []byte, a, b uint16) {
		want := findAll(t, ix, opt, string(text))
		i, j := min(int(a), len(text)), min(int(b), len(text))
		if i > j {
			i, j = j, i
		}
		var got []Match
		m := ix.NewMatcher(opt, func(mt Match) error { got = append(got, mt); return nil })
		m.Write(text[:i])
		m.Write(text[i:j])
		m.Write(text[j:])
		m.Close()
		if !slices.EqualFunc(got, want, func(x, y Match) bool { return fmt.Sprint(x) == fmt.Sprint(y) }) {
			t.Fatalf("cut at %d and %d: %v\nwhole: %v", i, j, got, want)
		}
		for _, mt := range want {
			if mt.Start < 0 || mt.End > int64(len(text)) || mt.Start > mt.End || len(mt.Columns) < 2 {
				t.Fatalf("bad match %+v", mt)
			}
		}
	})
}

// FuzzTable reads arbitrary tables as RegisterCSV does and normalises
// every cell under every kind: no panics. (It stays in memory: a real
// registration's random salt would make coverage differ on every run.)
func FuzzTable(f *testing.F) {
	f.Add([]byte(peopleHeader + makePerson(1, 0).csvLine()))
	f.Add([]byte("ssn;name;dob\n123-45-6789;\"Ann, Lee\";24 Nov 1960\n;;\n\"x\n"))
	f.Add([]byte("email\tphone\nA@B.CD\t+44 (0)20 7946 0958 x12\n"))
	kinds := []Kind{KindID, KindSSN, KindPhone, KindEmail, KindName, KindDate, KindGeneric}
	f.Fuzz(func(t *testing.T, table []byte) {
		cr := csvReader(bufio.NewReader(bytes.NewReader(table)), 0)
		header, err := cr.Read()
		if err != nil {
			return
		}
		var rows [][]string
		for len(rows) < 50 {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			rows = append(rows, rec)
		}
		cols, _ := PlanColumns(header, rows, CSVOptions{})
		b := &Builder{h: newValueHasher([]byte("fuzz")), codes: map[int]bool{1: true, 44: true}}
		for _, r := range rows {
			for j, v := range r {
				for _, k := range kinds {
					c := Column{Name: "c", Kind: k, Primary: j == 0, DateOrder: DMY}
					if j < len(cols) && cols[j].Kind == k {
						c = cols[j]
					}
					b.normalise(j, c, v)
				}
			}
		}
	})
}
