package validate

import (
	"slices"
	"strings"
	"sync"
)

// phoneRegions are tried in order for numbers written without a '+'. The
// list covers the markets leakguard's rules target; a number valid in any of
// them is accepted.
func phoneRegions() []string {
	return []string{"US", "GB", "DE", "FR", "IN", "CA", "AU", "BR", "IL", "ES", "IT", "NL"}
}

// phoneRegionPlans are the plans of phoneRegions, in order, compiled: a
// region without one is left out (Parse would fail for it).
var phoneRegionPlans = sync.OnceValue(func() []*numberingPlan {
	pn := numbering()
	var out []*numberingPlan
	for _, r := range phoneRegions() {
		if p := pn.plan(0, r); p != nil {
			out = append(out, p)
		}
	}
	return out
})

// Phone checks a telephone number against libphonenumber's numbering plans:
// with a leading '+' it is parsed as international, otherwise it must be a
// valid number in one of phoneRegions. Only digits, spaces and the usual
// punctuation ( ) - . / are allowed, with 7 to 17 digits (15 after an
// international "00").
func Phone(value string) bool {
	v := strings.TrimSpace(value)
	if !phoneShaped(v) {
		return false
	}
	pn := numbering()
	from, digits, ok := possibleNumber(v)
	if !ok {
		return false
	}
	if strings.HasPrefix(v, "+") {
		cc, nsn, ok := pn.parse(from, digits, nil)
		return ok && pn.valid(cc, nsn)
	}
	type number struct {
		cc  int
		nsn string
	}
	var tried [16]number // regions of one calling code often agree (US, CA)
	n := 0
	for _, meta := range phoneRegionPlans() {
		cc, nsn, ok := pn.parse(from, digits, meta)
		if !ok || slices.Contains(tried[:n], number{cc, nsn}) {
			continue
		}
		if pn.valid(cc, nsn) {
			return true
		}
		if n < len(tried) {
			tried[n] = number{cc, nsn}
			n++
		}
	}
	return false
}

// PhoneShaped is the cheap part of Phone: whether value, trimmed of spaces,
// is written like a telephone number (its characters, 7 to 17 digits, not a
// date), without consulting the numbering plans. Every value Phone accepts
// passes it.
func PhoneShaped(value string) bool { return phoneShaped(strings.TrimSpace(value)) }

// phoneShaped reports whether v is written like a telephone number: the
// characters, the count of digits, and not a date.
func phoneShaped(v string) bool {
	digits := 0
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return false
		}
	}
	if digits < 7 || digits > 17 {
		return false
	}
	// "2024-01-15" is a valid number in some plans, but in text it is a
	// date — a future one too (due dates, expiry dates, schedules), so the
	// year is not bounded by today as Date's birth-date reading is. A date
	// that ends a sentence ("due 2024-01-15.") or sits in brackets is a
	// date still: the engine's phone shape tries such values with the
	// punctuation around them, and let every dated sentence through.
	return !calendarDate(strings.Trim(v, ".-/()"))
}

// calendarDate reports whether v is a numeric date (ISO, day-first or
// month-first) with a year from 1900 to 2199 and a real month and day.
func calendarDate(v string) bool {
	cands, n := numericDate(v)
	for _, c := range cands[:n] {
		if c[0] >= 1900 && c[0] <= 2199 && validDate(c[0], c[1], c[2]) {
			return true
		}
	}
	return false
}
