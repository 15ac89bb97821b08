package edm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var months = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

func openPeople(t *testing.T, n int) *Index {
	t.Helper()
	dir := t.TempDir()
	registerPeople(t, dir, n)
	ix, err := Open(dir, testKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// rowsOf lists the rows matched, in order.
func rowsOf(ms []Match) []int64 {
	var rows []int64
	for _, m := range ms {
		rows = append(rows, m.Row)
	}
	return rows
}

func TestVerbatimCSVExtract(t *testing.T) {
	ix := openPeople(t, 500)
	var b strings.Builder
	b.WriteString(peopleHeader)
	for _, i := range []int{0, 7, 499} {
		b.WriteString(makePerson(1, i).csvLine())
	}
	got := findAll(t, ix, MatchOptions{}, b.String())
	if rows := rowsOf(got); !slices.Equal(rows, []int64{1, 8, 500}) {
		t.Fatalf("rows %v, want [1 8 500]", rows)
	}
	m := got[1]
	want := []string{"employee_id", "first_name", "last_name", "ssn", "date_of_birth", "email", "phone", "salary"}
	if !slices.Equal(m.Columns, want) || m.Set != "people" || m.Confidence.String() != "high" {
		t.Errorf("match %+v", m)
	}
	line := makePerson(1, 7).csvLine()
	off := strings.Index(b.String(), line)
	if m.Start != int64(off) || m.End != int64(off+len(line)-1) {
		t.Errorf("span %d-%d, want %d-%d", m.Start, m.End, off, off+len(line)-1)
	}
}

// reformatted writes person p the way another system would: columns
// reordered, date, phone and SSN in other formats, names in capitals.
func reformatted(p person, style int) string {
	d := p.dob
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p.phone)
	switch style % 4 {
	case 0: // semicolon CSV, European date, international phone, upper-case name
		return fmt.Sprintf("%s;%s, %s;%02d.%02d.%04d;+1 %s %s %s\n", strings.ReplaceAll(p.ssn, "-", ""),
			strings.ToUpper(p.last), strings.ToUpper(p.first), d.d, d.m, d.y, digits[:3], digits[3:6], digits[6:])
	case 1: // prose in a mail
		return fmt.Sprintf("Hi, can you update the file of %s %s? Born %s %d, %d. Reach them at %s.\n",
			p.first, p.last, months[d.m-1], d.d, d.y, strings.ToUpper(p.email))
	case 2: // tab-separated, US date, phone with dots, no name
		return fmt.Sprintf("%s\t%02d/%02d/%04d\t%s.%s.%s\n", p.ssn, d.m, d.d, d.y, digits[:3], digits[3:6], digits[6:])
	default: // a key: value dump
		return fmt.Sprintf("email: %s\nsalary: $%d,%03d.00\nname: %s\n", p.email, p.salary/1000, p.salary%1000, p.last)
	}
}

func TestReformattedDump(t *testing.T) {
	ix := openPeople(t, 1000)
	var b strings.Builder
	var want []int64
	r := rand.New(rand.NewPCG(5, 5))
	for k := 0; k < 40; k++ {
		i := r.IntN(1000)
		fmt.Fprintf(&b, "-- note %d --\n%s", k, strings.Repeat("lorem ipsum dolor sit amet ", 15))
		b.WriteString("\n")
		b.WriteString(reformatted(makePerson(1, i), k))
		want = append(want, int64(i+1))
	}
	got := findAll(t, ix, MatchOptions{}, b.String())
	if rows := rowsOf(got); !slices.Equal(rows, want) {
		t.Fatalf("rows\n%v\nwant\n%v", rows, want)
	}
	for k, m := range got {
		if len(m.Columns) < 2 {
			t.Errorf("match %d: %v", k, m.Columns)
		}
	}
	// Each style finds the columns it carries.
	wantCols := [][]string{
		{"first_name", "last_name", "ssn", "date_of_birth", "phone"},
		{"first_name", "last_name", "date_of_birth", "email"},
		{"ssn", "date_of_birth", "phone"},
		{"last_name", "email", "salary"},
	}
	for k := 0; k < 4; k++ {
		if !slices.Equal(got[k].Columns, wantCols[k]) {
			t.Errorf("style %d: columns %v, want %v", k, got[k].Columns, wantCols[k])
		}
	}
}

func TestMixedRowsDoNotMatch(t *testing.T) {
	ix := openPeople(t, 100)
	p1, p2 := makePerson(1, 0), makePerson(1, 1)
	d := p2.dob
	// The SSN of row 1 among the other values of row 2, and row 2's
	// primary values nowhere: no record is there.
	text := fmt.Sprintf("%s,%s,%s,%04d-%02d-%02d,%s\n", p1.ssn, p2.first, p2.last, d.y, d.m, d.d, p2.phone)
	if got := findAll(t, ix, MatchOptions{}, text); len(got) != 0 {
		t.Fatalf("mixed row matched: %+v", got)
	}
	// A second table of people who are not registered, same format.
	var b strings.Builder
	b.WriteString(peopleHeader)
	for i := 0; i < 100; i++ {
		b.WriteString(makePerson(2, i).csvLine())
	}
	if got := findAll(t, ix, MatchOptions{}, b.String()); len(got) != 0 {
		t.Fatalf("unregistered people matched: %+v", got[0])
	}
}

func TestProximityBoundary(t *testing.T) {
	ix := openPeople(t, 10)
	p := makePerson(1, 3)
	for _, tc := range []struct {
		fill string // one character of filler, possibly multi-byte
		gap  int    // characters between the values
		want bool
	}{
		{"x", 300 - len(p.last), true},  // the surname starts 300 characters before the SSN
		{"x", 301 - len(p.last), false}, // 301
		{"é", 300 - len(p.last), true},  // characters, not bytes
		{"é", 301 - len(p.last), false},
	} {
		// "Surname <fill…> SSN" and "SSN <fill…> Surname", gap characters
		// apart and on different lines (one line would be one table row).
		filler := " " + strings.Repeat(tc.fill, tc.gap-2) + "\n"
		before := p.last + filler + p.ssn
		after := p.ssn + "\n" + strings.Repeat(tc.fill, tc.gap-2) + " " + p.last
		for _, text := range []string{before, after} {
			got := findAll(t, ix, MatchOptions{}, text)
			if (len(got) == 1) != tc.want {
				t.Errorf("gap %d of %q: %d matches, want %v", tc.gap, tc.fill, len(got), tc.want)
			}
		}
	}
}

func TestTableRowWiderThanWindow(t *testing.T) {
	ix := openPeople(t, 10)
	p := makePerson(1, 2)
	pad := strings.Repeat("z", 400)
	line := p.ssn + "," + pad + "," + p.email + "\n" // the SSN and e-mail 400+ apart
	other := "header\n" + line + "next,row\n"
	if got := findAll(t, ix, MatchOptions{}, other); len(got) != 1 || len(got[0].Columns) != 2 {
		t.Fatalf("one wide row: %+v", got)
	}
	// Broken over two lines, they are two rows and too far apart.
	broken := "header\n" + p.ssn + "," + pad + "\n" + pad + "," + p.last + "\n"
	if got := findAll(t, ix, MatchOptions{}, broken); len(got) != 0 {
		t.Fatalf("values of two lines matched: %+v", got)
	}
}

func TestPrimaryAloneOrInsideItsOwnValue(t *testing.T) {
	ix := openPeople(t, 10)
	p := makePerson(1, 4)
	// An e-mail address holds the person's names; that is not a second value.
	for _, text := range []string{p.ssn, "mail " + p.email + " now", "SSN: " + p.ssn + " (on file)"} {
		if got := findAll(t, ix, MatchOptions{}, text); len(got) != 0 {
			t.Errorf("%q matched %+v", text, got)
		}
	}
}

// The matches do not depend on how the text is cut into writes.
func TestChunkingInvariance(t *testing.T) {
	ix := openPeople(t, 300)
	var b strings.Builder
	r := rand.New(rand.NewPCG(9, 9))
	for k := 0; k < 400; k++ {
		switch r.IntN(3) {
		case 0:
			b.WriteString(reformatted(makePerson(1, r.IntN(300)), r.IntN(4)))
		case 1:
			b.WriteString(makePerson(1, r.IntN(300)).csvLine())
		default:
			b.WriteString(strings.Repeat("filler text 12 34 ", r.IntN(200)) + "\n")
		}
	}
	text := b.String()
	want := findAll(t, ix, MatchOptions{}, text)
	if len(want) < 200 {
		t.Fatalf("only %d matches", len(want))
	}
	for _, size := range []int{1, 7, 300, 4096, 70000} {
		var got []Match
		m := ix.NewMatcher(MatchOptions{}, func(mt Match) error { got = append(got, mt); return nil })
		for i := 0; i < len(text); i += size {
			m.Write([]byte(text[i:min(len(text), i+size)]))
		}
		m.Close()
		if !slices.EqualFunc(got, want, func(x, y Match) bool { return fmt.Sprint(x) == fmt.Sprint(y) }) {
			t.Fatalf("writes of %d bytes: %d matches, one write: %d", size, len(got), len(want))
		}
		// reuse after Reset gives the same again
		got = got[:0]
		m.Reset()
		m.Write([]byte(text))
		m.Close()
		if len(got) != len(want) {
			t.Fatalf("after Reset: %d matches, want %d", len(got), len(want))
		}
	}
}

func TestMemoryBounded(t *testing.T) {
	ix := openPeople(t, 100)
	m := ix.NewMatcher(MatchOptions{}, func(Match) error { return nil })
	chunk := []byte(strings.Repeat(makePerson(1, 5).csvLine()+"lorem ipsum 123-45-6789 ", 2000))
	for i := 0; i < 30; i++ { // ~4 MB
		m.Write(chunk)
		if cap(m.buf) > 4*writePiece+len(chunk) || len(m.pending) > 10000 || len(m.wc) > 10000 {
			t.Fatalf("state grows: buf %d, pending %d, window %d", cap(m.buf), len(m.pending), len(m.wc))
		}
	}
	m.Close()
}

// Several workers share one Index, each with its own Matcher.
func TestConcurrentMatchers(t *testing.T) {
	ix := openPeople(t, 200)
	var b strings.Builder
	for i := 0; i < 200; i += 3 {
		b.WriteString(reformatted(makePerson(1, i), i))
	}
	want := findAll(t, ix, MatchOptions{}, b.String())
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		go func() {
			for k := 0; k < 5; k++ {
				var got []Match
				m := ix.NewMatcher(MatchOptions{}, func(mt Match) error { got = append(got, mt); return nil })
				m.Write([]byte(b.String()))
				m.Close()
				if len(got) != len(want) {
					errs <- fmt.Errorf("%d matches, want %d", len(got), len(want))
					return
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < 4; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
