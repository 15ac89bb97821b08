package validate

import (
	"strings"
	"time"
)

// Date checks that value is a plausible calendar date with a four-digit
// year from 1900 to the current year, in one of the common forms:
// YYYY-MM-DD (or with / or .), DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY,
// DD-MM-YYYY, "12 March 1984", "12th Mar 1984", "March 12, 1984". A numeric
// day/month pair is accepted if either reading is a real date.
func Date(value string) bool {
	return dateAt(value, time.Now())
}

func dateAt(value string, now time.Time) bool {
	v := strings.TrimSpace(value)
	if v == "" || len(v) > 40 {
		return false
	}
	ok := func(y, m, d int) bool {
		return y >= 1900 && y <= now.Year() && validDate(y, m, d)
	}
	if cands, n := numericDate(v); n > 0 {
		for _, c := range cands[:n] {
			if ok(c[0], c[1], c[2]) {
				return true
			}
		}
		return false
	}
	f := strings.Fields(strings.ReplaceAll(v, ",", " "))
	if len(f) != 3 || !isDigits(f[2]) || len(f[2]) != 4 {
		return false
	}
	y := num(f[2])
	if m := monthNumber(f[1]); m > 0 {
		d := dayNumber(f[0])
		return d > 0 && ok(y, m, d)
	}
	if m := monthNumber(f[0]); m > 0 {
		d := dayNumber(f[1])
		return d > 0 && ok(y, m, d)
	}
	return false
}

// numericDate splits "A?B?C" on one consistent separator (-, / or .) and
// returns the (year, month, day) readings it allows, n of them, in an
// array (the phone shape asks it of every dated run, and a slice was an
// allocation each time): ISO order when A has four digits, else day-first
// and month-first when C has four.
func numericDate(v string) (readings [2][3]int, n int) {
	sep := strings.IndexAny(v, "-/.")
	if sep < 0 {
		return readings, 0
	}
	// Split in place: substrings kept in a slice's elements would make v
	// escape, and the phone shape's values with it.
	i := sep + 1 + strings.IndexByte(v[sep+1:], v[sep])
	if i == sep || strings.IndexByte(v[i+1:], v[sep]) >= 0 {
		return readings, 0 // not exactly three parts
	}
	a, b, c := v[:sep], v[sep+1:i], v[i+1:]
	if !isDigits(a) || !isDigits(b) || !isDigits(c) {
		return readings, 0
	}
	switch {
	case len(a) == 4 && len(b) <= 2 && len(c) <= 2:
		return [2][3]int{{num(a), num(b), num(c)}}, 1
	case len(a) <= 2 && len(b) <= 2 && len(c) == 4:
		return [2][3]int{{num(c), num(b), num(a)}, {num(c), num(a), num(b)}}, 2
	}
	return readings, 0
}

// monthNumber reads an English month name or its abbreviation ("Sept.",
// "mar") and returns 1–12, or 0.
func monthNumber(s string) int {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(s) < 3 {
		return 0
	}
	names := []string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"}
	for i, n := range names {
		if s == n || s == n[:3] || (i == 8 && s == "sept") {
			return i + 1
		}
	}
	return 0
}

// dayNumber reads "12", "1st", "22nd", "3rd", "12th" and returns 1–31, or 0.
func dayNumber(s string) int {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		s = strings.TrimSuffix(s, suf)
	}
	if !isDigits(s) || len(s) > 2 {
		return 0
	}
	d := num(s)
	if d < 1 || d > 31 {
		return 0
	}
	return d
}
