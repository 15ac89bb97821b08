package edm

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	want := ymd{2014, 11, 24}
	for _, tc := range []struct {
		in    string
		order DateOrder
	}{
		{"2014-11-24", MDY}, {"2014/11/24", DMY}, {"11/24/2014", MDY}, {"24/11/2014", DMY},
		{"24.11.14", DMY}, {"11-24-14", MDY}, {"20141124", MDY}, {"Nov 24, 2014", DMY},
		{"November 24th 2014", MDY}, {"24 November 2014", MDY}, {"24-NOV-2014", MDY},
		{"24. November 2014", DMY}, {"2014-11-24T10:00:00Z", MDY}, {"2014-11-24 10:00", MDY},
		{"24/11/2014", MDY}, // the column's order does not fit this value: the other one does
	} {
		if d, ok := parseDate(tc.in, tc.order); !ok || d != want {
			t.Errorf("parseDate(%q, %s) = %v %v", tc.in, tc.order, d, ok)
		}
	}
	for _, in := range []string{"2014-13-01", "2014-02-30", "hello", "24", "12/2014", "May we", "31/31/2014"} {
		if d, ok := parseDate(in, MDY); ok {
			t.Errorf("parseDate(%q) = %v", in, d)
		}
	}
	if d, _ := parseDate("03/04/2011", DMY); d != (ymd{2011, 4, 3}) {
		t.Errorf("DMY read as %v", d)
	}
	if d, _ := parseDate("03/04/85", MDY); d != (ymd{1985, 3, 4}) {
		t.Errorf("two-digit year read as %v", d)
	}
}

// scanAll tokenises text with everything wanted and all lengths registered.
func scanAll(text string) []cand {
	h := newValueHasher([]byte("k"))
	t := newTokenizer(h, wantDigits|wantEmail|wantDate|wantWords, 1<<41-1, 1<<41-1, 4)
	out, _ := t.scan([]byte(text), 0, 0, len(text), nil)
	return out
}

func hasKey(cs []cand, key uint64) bool {
	return slices.ContainsFunc(cs, func(c cand) bool { return c.key == key })
}

func TestDatesInText(t *testing.T) {
	h := newValueHasher([]byte("k"))
	key := h.value(classDate, []byte("20141124"))
	for _, text := range []string{"on 2014-11-24.", "11/24/2014", "24/11/2014", "24.11.14", "Nov 24, 2014",
		"born November 24th, 2014 in", "24 Nov 2014", "24-NOV-14", "(20141124)"} {
		if !hasKey(scanAll(text), key) {
			t.Errorf("%q: no date", text)
		}
	}
	if hasKey(scanAll("11/25/2014 and 2014-11-23"), key) {
		t.Error("another date matched")
	}
}

func TestPhoneNumbers(t *testing.T) {
	b := &Builder{codes: map[int]bool{1: true, 44: true, 33: true}}
	for _, tc := range []struct{ in, want string }{
		{"+1 (555) 123-4567", "5551234567"}, {"555.123.4567", "5551234567"}, {"15551234567", "5551234567"},
		{"555-123-4567 ext. 12", "5551234567"}, {"+44 20 7946 0958", "2079460958"},
		{"020 7946 0958", "2079460958"}, {"0044 20 7946 0958", "2079460958"}, {"+33 6 12 34 56 78", "612345678"},
	} {
		if got := string(b.phoneDigits(tc.in)); got != tc.want {
			t.Errorf("phoneDigits(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	// The matcher finds the national number however the text writes it.
	h := newValueHasher([]byte("k"))
	for _, tc := range []struct{ national, text string }{
		{"5551234567", "call +1 555 123 4567 now"}, {"5551234567", "tel:+15551234567"},
		{"5551234567", "(555) 123-4567"}, {"5551234567", "1-555-123-4567"},
		{"2079460958", "+44 (0)20 7946 0958"}, {"2079460958", "020 7946 0958"},
		{"2079460958", "0044 20 7946 0958"}, {"612345678", "06.12.34.56.78"},
		{"612345678", "+33 6 12 34 56 78"},
	} {
		key := h.value(classDigits, []byte(tc.national))
		mask := uint64(1) << len(tc.national) // as registered: any digits and phones
		tok := newTokenizer(h, wantDigits, mask, mask, 0)
		cs, _ := tok.scan([]byte(tc.text), 0, 0, len(tc.text), nil)
		if !hasKey(cs, key) {
			t.Errorf("%q: %s not found", tc.text, tc.national)
		}
	}
}

func TestNumbersInText(t *testing.T) {
	h := newValueHasher([]byte("k"))
	for _, tc := range []struct {
		text, digits string
		want         bool
	}{
		{"SSN 123-45-6789.", "123456789", true},
		{"ssn:123 45 6789", "123456789", true},
		{"id,123456789,555", "123456789", true},
		{"salary $75,000.00", "75000", true},
		{"75.000 EUR", "75000", true},
		{"4711,2014", "47112014", false}, // a comma between fields does not join
		{"12, 345", "12345", false},
		{"x1234567890123456789012345678901234567890123", "1234", false}, // part of a longer number
	} {
		key := h.value(classDigits, []byte(tc.digits))
		if got := hasKey(scanAll(tc.text), key); got != tc.want {
			t.Errorf("%q: %s found %v", tc.text, tc.digits, got)
		}
	}
}

func TestNamesFoldAndOrder(t *testing.T) {
	h := newValueHasher([]byte("k"))
	key := func(s string) uint64 {
		k, _, _, _, _ := wordsOf(h, []byte(s), nil, nil)
		return k
	}
	same := [][]string{
		{"John Smith", "SMITH, John", "Dr. John A. Smith Jr.", "john  smith"},
		{"Łukasz Müller", "LUKASZ MULLER", "Muller, Łukasz"},
		{"Renée Straße", "Rene\u0301e STRASSE"},
		{"Jean-Pierre O'Brien", "O’Brien Jean Pierre"},
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if key(s) != key(group[0]) {
				t.Errorf("%q and %q differ", s, group[0])
			}
		}
	}
	if key("John Smith") == key("John Smyth") || key("John") == key("John Smith") {
		t.Error("different names are equal")
	}
	// In text, the phrase is found among other words.
	if !hasKey(scanAll("Dear Mr. SMITH, JOHN A., hello"), key("John Smith")) {
		t.Error("name not found in text")
	}
	if hasKey(scanAll("Smith\n John"), key("John Smith")) {
		t.Error("a name across lines")
	}
}

func TestEmails(t *testing.T) {
	h := newValueHasher([]byte("k"))
	key := h.value(classEmail, []byte("jane.o'neil+hr@mail.example.co.uk"))
	for _, text := range []string{"<Jane.O'Neil+HR@Mail.Example.CO.UK>", "mailto:jane.o'neil+hr@mail.example.co.uk.", "x jane.o'neil+hr@mail.example.co.uk, y"} {
		if !hasKey(scanAll(text), key) {
			t.Errorf("%q: e-mail not found", text)
		}
	}
	if e := emailOf("  Jane.O'Neil+HR@Mail.Example.CO.UK "); e != "jane.o'neil+hr@mail.example.co.uk" {
		t.Errorf("emailOf = %q", e)
	}
	for _, s := range []string{"a@b", "@x.com", "user@.com", "user@host.c"} {
		if e := emailOf(s); e != "" {
			t.Errorf("emailOf(%q) = %q", s, e)
		}
	}
}

func TestGuessColumns(t *testing.T) {
	header := strings.Split("Employee ID,First Name,LastName,SSN,DateOfBirth,E-mail,Mobile,Salary,Notes,Contact", ",")
	sample := [][]string{{"1", "A", "B", "123-45-6789", "24/11/1980", "a@b.org", "555", "1", "x", "c@d.org"}}
	if c := GuessColumns([]string{"Account"}, [][]string{{"DE-0012-3345"}, {"DE-0012-3346"}}); !c[0].Primary {
		t.Error("long account numbers are not primary")
	}
	got := GuessColumns(header, sample)
	var kinds []string
	var primary []string
	for _, c := range got {
		kinds = append(kinds, string(c.Kind))
		if c.Primary {
			primary = append(primary, c.Name)
		}
	}
	want := "id name name ssn date email phone generic generic email"
	if strings.Join(kinds, " ") != want {
		t.Errorf("kinds %s\nwant  %s", strings.Join(kinds, " "), want)
	}
	if fmt.Sprint(primary) != "[SSN E-mail Contact]" || got[4].DateOrder != DMY {
		t.Errorf("primary %v, date order %s", primary, got[4].DateOrder)
	}
}

func TestCSVDelimiters(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string
	}{
		{"ssn;name\n123-45-6789;Ann Lee\n", "ssn,name"},
		{"ssn\tname\n123-45-6789\tAnn Lee\n", "ssn,name"},
		{"\xef\xbb\xbf\"ssn\",\"name;x\"\n\"123-45-6789\",\"Ann Lee\"\n", "ssn,name;x"},
	} {
		dir := t.TempDir()
		_, cols, err := RegisterCSV(dir, testKey, "t", strings.NewReader(tc.text), CSVOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range cols {
			names = append(names, c.Name)
		}
		if strings.Join(names, ",") != tc.want {
			t.Errorf("%q: columns %v", tc.text, names)
		}
	}
	if _, _, err := RegisterCSV(t.TempDir(), testKey, "t", strings.NewReader("a,b\n1,2\n"), CSVOptions{Primary: []string{"c"}}); err == nil {
		t.Error("unknown primary column accepted")
	}
}
