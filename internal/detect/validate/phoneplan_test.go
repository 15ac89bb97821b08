package validate

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// libraryPhone is Phone as it was written against libphonenumber's API:
// the reference the compiled plans must agree with.
func libraryPhone(value string) bool {
	v := strings.TrimSpace(value)
	if !phoneShaped(v) {
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

// phoneCases returns numbers around the valid ones of many plans: the
// library's example numbers in national and international form, with
// digits changed, added and dropped, with and without prefixes, and random
// digit strings, in the punctuation Phone admits.
func phoneCases(r *rand.Rand) []string {
	var out []string
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.SHARED_COST, phonenumbers.UAN}
	regions := append(phoneRegions(), "MX", "AR", "JP", "CN", "RU", "ZA", "NG", "SE", "CH", "AT", "PL", "JM", "PR", "BS", "HK", "SG")
	punct := []string{"", " ", "-", ".", "/", "\u00a0"}
	mutate := func(d string) []string {
		if d == "" {
			return nil
		}
		i := r.IntN(len(d))
		return []string{
			d[:i] + string(rune('0'+r.IntN(10))) + d[i+1:],
			d[:i] + string(rune('0'+r.IntN(10))) + d[i:],
			d[:i] + d[i+1:],
		}
	}
	format := func(d string) string {
		var b strings.Builder
		p := punct[r.IntN(len(punct))]
		open := false
		for i := 0; i < len(d); i++ {
			switch {
			case i == 0 && r.IntN(8) == 0, i > 0 && !open && r.IntN(16) == 0:
				b.WriteByte('(')
				open = true
			case i > 0 && open && r.IntN(3) == 0:
				b.WriteString(")" + p)
				open = false
			case i > 0 && r.IntN(4) == 0:
				b.WriteString(p)
			}
			b.WriteByte(d[i])
		}
		if open && r.IntN(2) == 0 {
			b.WriteByte(')')
		}
		return b.String()
	}
	for _, region := range regions {
		cc := phonenumbers.GetCountryCodeForRegion(region)
		for _, t := range types {
			n := phonenumbers.GetExampleNumberForType(region, t)
			if n == nil {
				continue
			}
			nsn := phonenumbers.GetNationalSignificantNumber(n)
			nat := phonenumbers.Format(n, phonenumbers.NATIONAL)
			intl := phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
			out = append(out, nat, intl, nsn, "0"+nsn, "00"+itoa(cc)+nsn, "011"+itoa(cc)+nsn, itoa(cc)+nsn, "+"+itoa(cc)+nsn,
				"0011"+itoa(cc)+nsn, "0014"+itoa(cc)+nsn, "012"+itoa(cc)+nsn, "0015"+itoa(cc)+nsn, itoa(cc)+"0"+nsn)
			if strings.ContainsAny(nat, "()") {
				out = append(out, "("+nsn[:3]+") "+nsn[3:])
			}
			for range 6 {
				for _, m := range mutate(nsn) {
					out = append(out, format(m), format("0"+m), "+"+itoa(cc)+" "+format(m), format(itoa(cc)+m))
				}
			}
		}
	}
	for range 3000 {
		d := make([]byte, 7+r.IntN(11))
		for i := range d {
			d[i] = byte('0' + r.IntN(10))
		}
		s := format(string(d))
		if r.IntN(3) == 0 {
			s = "+" + s
		}
		out = append(out, s)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestPhoneMatchesLibrary holds Phone, which evaluates the numbering plans
// itself, against the library's Parse and IsValidNumber on numbers valid
// and invalid in many plans.
func TestPhoneMatchesLibrary(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := phoneCases(r)
	valid, bad := 0, 0
	for _, v := range cases {
		want := libraryPhone(v)
		if want {
			valid++
		}
		if got := Phone(v); got != want {
			bad++
			if bad <= 20 {
				t.Errorf("Phone(%q) = %v, library says %v", v, got, want)
			}
		}
	}
	if valid < len(cases)/10 {
		t.Errorf("only %d of %d cases valid: the cases do not exercise the plans", valid, len(cases))
	}
	t.Logf("%d cases, %d valid, %d disagreements", len(cases), valid, bad)
}
