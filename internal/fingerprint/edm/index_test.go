package edm

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/keyed"
)

// The index directory holds no registered value, in any normalised form.
func TestIndexHoldsNoPlaintext(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "set")
	const n = 300
	registerPeople(t, dir, n)
	var needles []string
	for i := 0; i < n; i++ {
		p := makePerson(1, i)
		digits := func(s string) string {
			return strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, s)
		}
		var fold []byte
		fold, _ = appendFolded(nil, nil, []byte(p.last), false)
		needles = append(needles, p.ssn, digits(p.ssn), p.email, strings.ToUpper(p.email), p.phone,
			digits(p.phone), fmt.Sprintf("%04d-%02d-%02d", p.dob.y, p.dob.m, p.dob.d),
			fmt.Sprintf("%04d%02d%02d", p.dob.y, p.dob.m, p.dob.d), fmt.Sprint(p.salary), fmt.Sprint(p.id))
		for _, name := range []string{p.first, p.last, string(fold)} {
			if len(name) >= 5 { // shorter strings turn up in any binary by chance
				needles = append(needles, name, strings.ToLower(name))
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("files left in the set directory: %v", entries)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", st.Mode())
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := e.Info(); st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", e.Name(), st.Mode())
		}
		for _, v := range needles {
			if e.Name() == metaFile && len(v) < 7 && strings.Trim(v, "0123456789") == "" {
				continue // short numbers turn up in the metadata's hex and counts by chance
			}
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s holds registered value %q", e.Name(), v)
			}
		}
	}
}

func TestOpenWithAnotherKeyFails(t *testing.T) {
	dir := t.TempDir()
	registerPeople(t, dir, 10)
	if _, err := Open(dir, keyed.New([]byte("another installation"))); err == nil || !strings.Contains(err.Error(), "another installation key") {
		t.Fatalf("err %v", err)
	}
}

func TestReregisterReplaces(t *testing.T) {
	dir := t.TempDir()
	registerPeople(t, dir, 10)
	registerPeople(t, dir, 20)
	idx, _ := filepath.Glob(filepath.Join(dir, "*.idx"))
	if len(idx) != 1 {
		t.Fatalf("index files %v", idx)
	}
	ix, err := Open(dir, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Meta().Rows != 20 || ix.Name() != "people" {
		t.Fatalf("meta %+v", ix.Meta())
	}
	if got := findAll(t, ix, MatchOptions{}, makePerson(1, 15).csvLine()); len(got) != 1 || got[0].Row != 16 {
		t.Fatalf("row 16: %+v", got)
	}
	if err := Remove(dir); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("left after Remove: %v", left)
	}
}

func TestCorruptIndexIsAnError(t *testing.T) {
	dir := t.TempDir()
	registerPeople(t, dir, 50)
	m, _ := ReadMeta(dir)
	p := filepath.Join(dir, m.File)
	b, _ := os.ReadFile(p)
	for _, size := range []int{0, 10, headerSize, len(b) / 2, len(b) - 4} {
		os.WriteFile(p, b[:size], 0o600)
		if ix, err := Open(dir, testKey); err == nil {
			ix.Close()
			t.Errorf("index cut to %d bytes opened", size)
		}
	}
}

func TestBuilderNeedsPrimaryAndSupport(t *testing.T) {
	for _, cols := range [][]Column{
		{{Name: "ssn", Kind: KindSSN}, {Name: "name", Kind: KindName}},
		{{Name: "ssn", Kind: KindSSN, Primary: true}, {Name: "x", Kind: KindSkip}},
		{{Name: "ssn", Kind: "bogus", Primary: true}, {Name: "name", Kind: KindName}},
	} {
		if b, err := NewBuilder(t.TempDir(), testKey, "x", cols); err == nil {
			b.Abort()
			t.Errorf("%v accepted", cols)
		}
	}
}

// The Builder API with rows from elsewhere (a spreadsheet), and a skipped column.
func TestBuilderRows(t *testing.T) {
	dir := t.TempDir()
	b, err := NewBuilder(dir, testKey, "accounts", []Column{
		{Name: "Account", Kind: KindID, Primary: true},
		{Name: "Secret note", Kind: KindSkip},
		{Name: "Holder", Kind: KindName},
		{Name: "Opened", Kind: KindDate, DateOrder: DMY},
	})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]string{
		{"DE-4471-0093-2211", "not registered", "Anaïs Dvořák", "03/04/2011"},
		{"DE-4471-0093-2212", "", "", ""}, // no supporting value: never matches
		{"DE-4471-0093-2213", "x", "Søren Østergaard"},
	}
	for _, r := range rows {
		if err := b.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	st, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 3 || st.Entries != 3 || st.Columns[1].Values != 2 || st.Columns[2].Skipped != 2 {
		t.Fatalf("stats %+v", st)
	}
	ix, err := Open(dir, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	text := "Konto 4471 0093 2211, Inhaberin ANAIS DVORAK, eröffnet am 3. April 2011.\n" +
		"Account 447100932212 belongs to nobody we know.\n" +
		"acct 4471-0093-2213 (OSTERGAARD, Soren)\n"
	got := findAll(t, ix, MatchOptions{}, text)
	if len(got) != 2 || got[0].Row != 1 || got[1].Row != 3 {
		t.Fatalf("matches %+v", got)
	}
	if c := strings.Join(got[0].Columns, ","); c != "Account,Holder,Opened" {
		t.Errorf("row 1 columns %s", c)
	}
}

// A table larger than one in-memory run is sorted through run files and
// matches the same.
func TestSpilledRuns(t *testing.T) {
	dir := t.TempDir()
	cols := GuessColumns(strings.Split(strings.TrimSpace(peopleHeader), ","), nil)
	cols[0].Primary = true // the short employee numbers too: they need two other values
	b, err := NewBuilder(dir, testKey, "people", cols)
	if err != nil {
		t.Fatal(err)
	}
	b.entries.limit = 700
	for i := 0; i < 2000; i++ {
		if err := b.Add(strings.Split(strings.TrimSpace(makePerson(1, i).csvLine()), ",")); err != nil {
			t.Fatal(err)
		}
	}
	if len(b.entries.runs) < 5 {
		t.Fatalf("%d runs", len(b.entries.runs))
	}
	st, err := b.Finish()
	if err != nil || st.Entries != 6000 { // employee id, ssn and email are primary
		t.Fatalf("%+v %v", st, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.run*")); len(left) != 0 {
		t.Fatalf("runs left: %v", left)
	}
	ix, err := Open(dir, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var text strings.Builder
	for i := 0; i < 2000; i += 7 {
		text.WriteString(makePerson(1, i).csvLine())
	}
	got := findAll(t, ix, MatchOptions{}, text.String())
	if len(got) != 286 {
		t.Fatalf("%d matches", len(got))
	}
	for k, m := range got {
		if m.Row != int64(7*k+1) {
			t.Fatalf("match %d: row %d", k, m.Row)
		}
	}
}
