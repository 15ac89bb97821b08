package detect

import (
	"encoding/binary"
	"math/bits"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

func builtinInternal(t *testing.T) *Engine {
	t.Helper()
	rs := rules.Builtin()
	e, err := Compile(rs, WithHasher(keyed.New([]byte("k"))))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDigitMask checks that the lowest byte digitMask flags is the first
// digit of the word, and that it flags none in a word without one: every
// byte value at every place, then every word of digits, letters and the
// bytes around the digits' range at the places before and after.
func TestDigitMask(t *testing.T) {
	first := func(word []byte) int {
		for i, c := range word {
			if c >= '0' && c <= '9' {
				return i
			}
		}
		return -1
	}
	check := func(word []byte) {
		t.Helper()
		got := -1
		if m := digitMask(binary.LittleEndian.Uint64(word)); m != 0 {
			got = bits.TrailingZeros64(m) / 8
		}
		if want := first(word); got != want {
			t.Fatalf("digitMask(%q): first digit at %d, want %d", word, got, want)
		}
	}
	for b := 0; b < 256; b++ {
		for at := range 8 {
			word := []byte("abcdefgh")
			word[at] = byte(b)
			check(word)
		}
	}
	// Every word of eight bytes from digits at both ends of their range,
	// the bytes on either side of it, one that borrows and one whose high
	// bit is set: 6^8 words.
	alphabet := []byte{'0', '9', '/', ':', 0x00, 0xff}
	word := make([]byte, 8)
	n := 1
	for range word {
		n *= len(alphabet)
	}
	for v := range n {
		for i := range word {
			word[i] = alphabet[v%len(alphabet)]
			v /= len(alphabet)
		}
		check(word)
	}
}

func TestPhoneRun(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{",2024-05-03,", false},          // a date
		{"x2024-05-03T10", false},        // a date in a timestamp
		{" 2024-05-03 14:56", true},      // "2024-05-03 14" is no date
		{",020 7946 0018,", true},        // a number
		{"a4061234567b", false},          // glued to a word
		{"#4061234567x12", true},         // an extension may follow
		{"call 123-45", false},           // too few digits
		{" 1234567890123456789 ", false}, // too many
		{"(030) 2094 7731 ", true},       // parentheses
		{"\u00a0020\u00a07946\u00a00018", true},
	} {
		sh := shapes()["phone"]
		if got := sh.any([]byte(c.text), 0, len(c.text), nil, false); got != c.want {
			t.Errorf("phone shape over %q = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestIPv6Run(t *testing.T) {
	sh := shapes()["ipv6"]
	for text, want := range map[string]bool{
		"at 10:00:00.243":     false,
		"aa:bb:cc:dd:ee:0f":   false,
		"2001:db8::1":         true,
		"1:2:3:4:5:6:7:8":     true,
		"::ffff:10.0.0.1":     true,
		"std::cout":           true, // the regex and the check judge the rest
		"0:0:0:0:0:0:1.2.3.4": true,
		"0:0:0:0:0:1.2.3.4":   false, // seven groups
	} {
		if got := sh.any([]byte(text), 0, len(text), nil, false); got != want {
			t.Errorf("ipv6 shape over %q = %v, want %v", text, got, want)
		}
	}
}

func TestRequiredTexts(t *testing.T) {
	for _, c := range []struct {
		pattern  string
		keywords []string
		want     string // one of the texts looked for
	}{
		{`\bhttps?://[^:@/\s]{1,128}:(?P<value>[^\s@]{3,127})@[A-Za-z0-9_\[]`, []string{"http"}, "@"},
		{`\b(?P<value>ATTA[a-f0-9]{64}[A-F0-9]{8})\b`, []string{"atta"}, "ATTA"},
		// The parser writes (?:-u|--user) as -(?:u|-user): taken together,
		// the parts hold "-u".
		{`\bcurl\b[^\n]{0,300}?\s(?:-u|--user)\s`, []string{"curl"}, "-u"},
		{`(?i)\bcurl\b[^\n]{0,300}?\s(?:-u|--user)\s`, []string{"curl"}, "-"}, // or "-U"
	} {
		var kws [][]byte
		for _, k := range c.keywords {
			kws = append(kws, []byte(k))
		}
		re, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got := requiredTextsOf(re, kws)
		if !slices.ContainsFunc(got, func(t []byte) bool { return string(t) == c.want }) {
			t.Errorf("%s: required texts %q, want %q among them", c.pattern, got, c.want)
		}
	}
	// A text under case folding holds only in its characters without case.
	re, _ := syntax.Parse(`(?i)token=`, syntax.Perl)
	if got := requiredTexts(re); !slices.Equal(got, []string{"="}) {
		t.Errorf("(?i)token=: %q", got)
	}
	// An alternation holds what all its branches hold.
	re, _ = syntax.Parse(`x(?:-u|--user)y`, syntax.Perl)
	if got := requiredTexts(re); !slices.Equal(got, []string{"x-", "-u", "y"}) {
		t.Errorf("alternation: %q", got)
	}
}

// TestBuiltinPrefilters pins down what the built-in rules get from the
// prefilters, so that a change of pattern that loses one shows.
func TestBuiltinPrefilters(t *testing.T) {
	e := builtinInternal(t)
	byID := map[string]*compiled{}
	for _, c := range e.rules {
		byID[c.ID] = c
	}
	if c := byID["phone-number-unformatted"]; consumingPattern(c) == "" || c.shape == nil || c.shapeName != "phone" {
		t.Error("phone-number-unformatted: no consuming alternatives or no phone shape")
	}
	// What a national number follows is its check's, and so its shape's.
	if c := byID["phone-number-national"]; c.shape == nil || c.shapeName != "phone_national" || c.minDigits != 7 {
		t.Error("phone-number-national: no phone_national shape or no digit floor")
	}
	if c := byID["bitcoin-address"]; !c.exact || !strings.Contains(secondClass(c.factorSet), "13") {
		t.Error("bitcoin-address: no exact factors with its leading 1 or 3")
	}
	if c := byID["ipv6-address"]; c.shape == nil {
		t.Error("ipv6-address: no shape")
	}
	// Their factors hit at every date and every IPv4 address: their
	// shapes schedule them instead.
	for _, id := range []string{"ipv6-address", "phone-number-national"} {
		if !byID[id].byShape {
			t.Errorf("%s: not scheduled by its shape", id)
		}
	}
	if byID["credit-card"].byShape {
		t.Error("credit-card: scheduled by its shape, though its factors are selective")
	}
	if c := byID["http-basic-auth-url"]; !c.hasRare {
		t.Error("http-basic-auth-url: no required text")
	}
	if c := byID["connection-detail-beside-credential"]; c.needSet < 0 || c.gates == 0 {
		t.Error("connection-detail-beside-credential: no needs")
	}
	// Its context is required: its context words are needed near "sess".
	if c := byID["http-session-cookie"]; c.needSet < 0 || c.needReach != c.Context.Window {
		t.Error("http-session-cookie: its context words are not needed")
	}
	if c := byID["au-tfn"]; c.shape == nil || c.shape.digits == nil {
		t.Error("au-tfn: no shape that tries its check on the digits")
	}
	if credentialLineQuick().String() == credentialLine().String() {
		t.Error("credentialLineQuick is credentialLine: its replacements no longer apply")
	}
}

// secondClass lists the bytes the second class of each sequence admits
// (for a Bitcoin address, its first character).
func secondClass(set seqSet) string {
	var b strings.Builder
	for _, s := range set {
		if len(s) > 1 {
			for c := 0; c < 256; c++ {
				if s[1].has(byte(c)) {
					b.WriteByte(byte(c))
				}
			}
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// TestCheckShapes checks the shapes of the national and the formatted
// phone checks and of the IBAN check on what their rules meet.
func TestCheckShapes(t *testing.T) {
	for _, c := range []struct {
		shape, text string
		want        bool
	}{
		{"phone_national", "call 020 7946 0018 now", true},
		{"phone_national", `"GET / HTTP/1.1" 404 63259 "-"`, false}, // an access log's status and size
		{"phone_national", "order PO-2020-76831 shipped", false},    // a reference
		{"phone_national", "Apt 020 7946 0018", false},              // an address
		{"phone_national", "at 12:020 7946 0018", false},            // after a colon
		{"phone_national", "costs $020 7946 0018", false},           // an amount
		{"phone_national", "3 020 7946 0018", false},                // a bigger number
		{"phone_national", "10.170.83.214 - - [05/Nov/2024", false}, // an IPv4 address
		{"phone_national", "call 01.42.68.53.00", true},
		{"phone_national", "Tel. 030/2094 7731 (Zentrale)", true},
		{"phone_national", "list 1,06-10446904", false},
		{"phone_national", "list 1, 06-10446904", true},
		{"phone_formatted", "Mobile +61 491 570 156", true},
		{"phone_formatted", "call (212) 555-0147 after six", true},
		{"phone_formatted", "Support desk 415-555-2671 (9am)", true},
		{"phone_formatted", "10.170.83.214 - - [05/Nov/2024", false},
		{"phone_formatted", "call 020 7946 0018 now", false}, // national: another rule's
		{"phone_formatted", "When: 1993-01-04 14:56:41", false},
		{"iban", "pay to DE89 3704 0044 0532 0130 00 by Friday", true},
		{"iban", "IBAN:GB82WEST12345698765432.", true},
		{"iban", "rt=0.764 req=db807993d91c7355", false},                // a hex id
		{"iban", "trace_id=ba86b7436035d7d48f45d94f78031d50", false},    // BA, but not Bosnia's layout
		{"iban", "pay to DE89 3704 0044 0532 0130 01 by Friday", false}, // a digit off
		// a piece of a number's digits must pass its check
		{"au_tfn", "TFN: 123 456 782.", true},
		{"au_tfn", "TFN: 123 456 783.", false}, // a digit off
		{"au_tfn", "2024-03-18 1234567820", true},
		{"uk_nhs", "NHS no. 943-476-5919", true},
		{"uk_nhs", "NHS no. 943-476-5918", false},
		{"nz_ird", "IRD NZ 49-091-850", true},
		{"nz_ird", "IRD NZ 49-091-851", false},
	} {
		if got := shapes()[c.shape].any([]byte(c.text), 0, len(c.text), nil, false); got != c.want {
			t.Errorf("%s shape over %q = %v, want %v", c.shape, c.text, got, c.want)
		}
	}
}

// TestPhoneShapesSound holds the phone_national and phone_formatted shapes
// to their checks: in texts built of numbers and what may lead and follow
// them, whenever the check accepts some value the shape must pass the
// text.
func TestPhoneShapesSound(t *testing.T) {
	leads := []string{"", " ", "\" ", ":", ": ", "3 ", "12, ", "12,", "12; ", "$", "-", "/", "apt ", "Suite. ", "x", "(", "+", "call ", "\t", "1-", "001."}
	numbers := []string{"020 7946 0018", "06-10446904", "030/2094 7731", "01 42 68 53 00", "0470 12 34 56", "212.555.0147", "2024-05-03",
		"+44 20 7946 0018", "(212) 555-0147", "415-555-2671", "1-415-555-2671", "001.415.555.2671", "+1 (415) 555-2671", "10.170.83.214"}
	tails := []string{"", " ", "\"", ".", " next", "-x", "x12"}
	for _, name := range []string{"phone_national", "phone_formatted"} {
		check, sh := Checks()[name], shapes()[name]
		accepted := 0
		for _, l := range leads {
			for _, n := range numbers {
				for _, tl := range tails {
					text := []byte(l + n + tl)
					any := false
					for p := 0; p < len(text) && !any; p++ {
						for q := p + 1; q <= len(text); q++ {
							if text[q-1] < '0' || text[q-1] > '9' {
								continue
							}
							if check(&Candidate{text: text, match: []int{p, q}, value: span{p, q}}) {
								any = true
								break
							}
						}
					}
					if any {
						accepted++
						if !sh.any(text, 0, len(text), nil, false) {
							t.Errorf("%s: %q: the check accepts a value, the shape passes nothing", name, text)
						}
					}
				}
			}
		}
		if accepted == 0 {
			t.Fatalf("%s: the check accepted nothing: the test tests nothing", name)
		}
	}
}
