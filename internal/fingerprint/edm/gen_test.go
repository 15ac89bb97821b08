package edm

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/keyed"
)

// Synthetic people for the tests and benchmarks: every value is made up,
// each row's SSN, e-mail and phone are distinct (bijections of the row
// number), names and birth dates repeat as in a real table.

var testKey = keyed.New([]byte("leakguard edm test key, not a secret"))

type person struct {
	id                int
	first, last       string
	ssn, email, phone string
	dob               ymd
	salary            int
}

var (
	firstNames = strings.Fields("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy Deborah José Zoë Łukasz Renée Björn Anaïs Jürgen Søren")
	lastNames  = strings.Fields("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Müller Dvořák Østergaard Nuñez")
)

// makePerson is row i (0-based) of the table of the given seed; seeds give
// disjoint SSNs, e-mails and phones.
func makePerson(seed uint64, i int) person {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	x := uint64(i) + seed*50_000_000
	ssn := 100_000_000 + (x*387_420_489+123_456_789)%899_999_999 // bijections: distinct per row
	ph := 2_000_000_000 + (x*1_594_323+7)%7_999_999_999
	p := person{
		id:     1000 + i,
		first:  firstNames[r.IntN(len(firstNames))],
		last:   lastNames[r.IntN(len(lastNames))],
		ssn:    fmt.Sprintf("%03d-%02d-%04d", ssn/1_000_000, ssn/10_000%100, ssn%10_000),
		phone:  fmt.Sprintf("(%03d) %03d-%04d", ph/10_000_000, ph/10_000%1000, ph%10_000),
		dob:    ymd{1940 + r.IntN(65), 1 + r.IntN(12), 1 + r.IntN(28)},
		salary: 30_000 + r.IntN(170_000),
	}
	p.email = fmt.Sprintf("%s.%s.%d@example.org", strings.ToLower(asciiOnly(p.first)), strings.ToLower(asciiOnly(p.last)), x)
	return p
}

func asciiOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

const peopleHeader = "employee_id,first_name,last_name,ssn,date_of_birth,email,phone,salary\n"

func (p person) csvLine() string {
	return fmt.Sprintf("%d,%s,%s,%s,%04d-%02d-%02d,%s,%s,%d\n", p.id, p.first, p.last, p.ssn,
		p.dob.y, p.dob.m, p.dob.d, p.email, p.phone, p.salary)
}

func writePeople(w io.Writer, seed uint64, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(peopleHeader)
	for i := 0; i < n; i++ {
		bw.WriteString(makePerson(seed, i).csvLine())
	}
	return bw.Flush()
}

// registerPeople registers n people of seed 1 with ssn and email primary.
func registerPeople(t testing.TB, dir string, n int) Stats {
	t.Helper()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writePeople(pw, 1, n)) }()
	st, _, err := RegisterCSV(dir, testKey, "people", pr, CSVOptions{Primary: []string{"ssn", "email"}})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// findAll runs a fresh matcher over text written in one piece.
func findAll(t testing.TB, ix *Index, opt MatchOptions, text string) []Match {
	t.Helper()
	var got []Match
	m := ix.NewMatcher(opt, func(mt Match) error { got = append(got, mt); return nil })
	if _, err := m.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	return got
}
