package validate

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phoneRegions are tried in order for numbers written without a '+'. The
// list covers the markets leakguard's rules target; a number valid in any of
// them is accepted.
func phoneRegions() []string {
	return []string{"US", "GB", "DE", "FR", "IN", "CA", "AU", "BR", "IL", "ES", "IT", "NL"}
}

// Phone checks a telephone number against libphonenumber's numbering plans:
// with a leading '+' it is parsed as international, otherwise it must be a
// valid number in one of phoneRegions. Only digits, spaces and the usual
// punctuation ( ) - . / are allowed, with 7 to 17 digits (15 after an
// international "00").
func Phone(value string) bool {
	v := strings.TrimSpace(value)
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
	// "2024-01-15" is a valid number in some plans, but in text it is a date.
	if numericDate(v) != nil && Date(v) {
		return false
	}
	if strings.HasPrefix(v, "+") {
		n, err := phonenumbers.Parse(v, "ZZ")
		return err == nil && phonenumbers.IsValidNumber(n)
	}
	for _, region := range phoneRegions() {
		n, err := phonenumbers.Parse(v, region)
		if err == nil && phonenumbers.IsValidNumber(n) {
			return true
		}
	}
	return false
}
