package edm

import (
	"fmt"
	"strings"
	"unicode"
)

// Kind says how a column's values are normalised and found in text.
type Kind string

// The column kinds.
const (
	KindID      Kind = "id"      // digits only: employee, account, card, passport number
	KindSSN     Kind = "ssn"     // digits only, like id; kept apart for reports
	KindPhone   Kind = "phone"   // digits, country code and trunk prefix dropped
	KindEmail   Kind = "email"   // lower-cased address
	KindName    Kind = "name"    // words, case and accents folded, order ignored
	KindDate    Kind = "date"    // any common format, compared as YYYY-MM-DD
	KindGeneric Kind = "generic" // words if it has any, else a number
	KindSkip    Kind = "skip"    // not registered
)

// ParseKind accepts a kind's name.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case KindID, KindSSN, KindPhone, KindEmail, KindName, KindDate, KindGeneric, KindSkip:
		return k, nil
	}
	return "", fmt.Errorf("unknown column type %q (want id, ssn, phone, email, name, date, generic or skip)", s)
}

// DateOrder says how an all-numeric date with a two-part day and month is
// read at registration. Text is always read both ways, so this matters
// only for the registered table.
type DateOrder string

// The date orders; year-first dates (2014-11-24) are read as such in any.
const (
	MDY DateOrder = "MDY" // 11/24/2014, the United States
	DMY DateOrder = "DMY" // 24/11/2014, most of the world
)

// Column describes one column of a registered table. Name is the header
// (kept in the index's metadata: headers are not registered values).
type Column struct {
	Name      string    `json:"name"`
	Kind      Kind      `json:"kind"`
	Primary   bool      `json:"primary,omitempty"`
	DateOrder DateOrder `json:"date_order,omitempty"`
}

// GuessColumns proposes a kind for each header from its name and, when the
// name says nothing, from sample rows; dates get their order from the
// sample. Columns of kind ssn and email are primary, and id columns whose
// sample numbers have six digits or more (shorter ones identify no one
// among the numbers of a text). The caller overrides what it knows better.
func GuessColumns(header []string, sample [][]string) []Column {
	cols := make([]Column, len(header))
	for j, h := range header {
		k := kindFromHeader(h)
		var values []string
		for _, r := range sample {
			if j < len(r) && strings.TrimSpace(r[j]) != "" {
				values = append(values, r[j])
			}
		}
		if k == "" {
			k = kindFromValues(values)
		}
		cols[j] = Column{Name: h, Kind: k, Primary: k == KindSSN || k == KindEmail || k == KindID && longNumbers(values)}
		if k == KindDate {
			cols[j].DateOrder = guessDateOrder(values)
		}
	}
	return cols
}

// longNumbers says whether most values have six digits or more.
func longNumbers(values []string) bool {
	long := 0
	for _, v := range values {
		n := 0
		for i := 0; i < len(v); i++ {
			if isDigit(v[i]) {
				n++
			}
		}
		if n >= 6 {
			long++
		}
	}
	return len(values) > 0 && long*2 > len(values)
}

// headerWords splits "DateOfBirth", "date_of_birth" and "Date of birth"
// alike into lower-case words.
func headerWords(h string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range h {
		switch {
		case unicode.IsUpper(r) && prevLower:
			flush()
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		default:
			flush()
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	flush()
	return words
}

func kindFromHeader(h string) Kind {
	words := headerWords(h)
	has := func(ws ...string) bool {
		for _, w := range words {
			for _, x := range ws {
				if w == x {
					return true
				}
			}
		}
		return false
	}
	joined := strings.Join(words, "")
	switch {
	case has("email", "mail") || strings.Contains(joined, "email"):
		return KindEmail
	case has("ssn", "social", "nino", "sin", "tin", "taxid", "insee", "bsn", "personnummer", "nationalid"):
		return KindSSN
	case has("phone", "telephone", "tel", "mobile", "cell", "fax", "msisdn") || strings.Contains(joined, "phone"):
		return KindPhone
	case has("dob", "birth", "birthday", "born", "date", "birthdate") || strings.Contains(joined, "birth"):
		return KindDate
	case has("username", "login", "user"):
		return KindGeneric
	case has("name", "surname", "firstname", "lastname", "fullname", "forename", "given", "family", "first", "last"):
		return KindName
	case has("id", "no", "nr", "number", "num", "account", "acct", "iban", "card", "passport", "licence", "license", "employee", "customer", "member", "policy"):
		return KindID
	}
	return ""
}

// kindFromValues recognises columns whose header is unhelpful by what most
// of their values parse as.
func kindFromValues(values []string) Kind {
	if len(values) == 0 {
		return KindGeneric
	}
	var email, date int
	for _, v := range values {
		if emailOf(v) != "" {
			email++
		}
		if _, ok := parseDate(v, MDY); ok {
			date++
		}
	}
	switch n := len(values); {
	case email*10 >= n*8:
		return KindEmail
	case date*10 >= n*8:
		return KindDate
	}
	return KindGeneric
}

// emailOf returns the first e-mail-shaped token of s, lower-cased, or "".
func emailOf(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '@' {
			if ls, de, ok := emailSpan(b, i); ok {
				return strings.ToLower(s[ls:de])
			}
		}
	}
	return ""
}

// guessDateOrder reads day-first when some all-numeric date of the sample
// can only be day-first, else month-first.
func guessDateOrder(values []string) DateOrder {
	var dmy, mdy int
	for _, v := range values {
		a, b, ok := leadingPair(v)
		if !ok {
			continue
		}
		if a > 12 && b <= 12 {
			dmy++
		}
		if b > 12 && a <= 12 {
			mdy++
		}
	}
	if dmy > mdy {
		return DMY
	}
	return MDY
}

// leadingPair reads the first two numbers of "24/11/2014", or fails when the
// first is a four-digit year.
func leadingPair(v string) (int, int, bool) {
	var nums [2]int
	n, digits, cur := 0, 0, 0
	for i := 0; i <= len(v) && n < 2; i++ {
		if i < len(v) && v[i] >= '0' && v[i] <= '9' {
			cur = cur*10 + int(v[i]-'0')
			digits++
			continue
		}
		if digits > 0 {
			if digits > 2 {
				return 0, 0, false
			}
			nums[n] = cur
			n++
		}
		cur, digits = 0, 0
	}
	return nums[0], nums[1], n == 2
}
