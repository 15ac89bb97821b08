package validate

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// libphonenumber's Parse and IsValidNumber cost 30–100 µs a number here:
// they re-derive, per call, what never changes (the regexes of every plan,
// looked up by string in a locked cache) and try every country of a shared
// calling code. A scan of an HR export meets a phone number every few
// hundred bytes, so Phone asks the library's numbering plans itself: the
// same metadata, the same steps in the same order, the regexes compiled
// once. The steps are restricted to what the Phone validator lets through
// (ASCII digits, a leading '+', spaces and - . / ( ) punctuation), where
// extension markers, RFC 3966 syntax and letters cannot occur.
// TestPhoneMatchesLibrary holds this against the library on many numbers,
// valid and not, for every region Phone tries.

// numberDesc is one PhoneNumberDesc: a full-match pattern and the lengths a
// number of its type may have.
type numberDesc struct {
	re      *regexp.Regexp // nil: no number has this type
	lengths []int32        // empty: any length
}

func newDesc(d *phonenumbers.PhoneNumberDesc) numberDesc {
	if d == nil || d.GetNationalNumberPattern() == "" {
		return numberDesc{}
	}
	return numberDesc{re: regexp.MustCompile("^(?:" + d.GetNationalNumberPattern() + ")$"), lengths: d.PossibleLength}
}

// matches is libphonenumber's isNumberMatchingDesc.
func (d numberDesc) matches(nsn string) bool {
	if d.re == nil {
		return false
	}
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.re.MatchString(nsn)
}

// numberingPlan is one region's metadata, compiled on first use.
type numberingPlan struct {
	meta *phonenumbers.PhoneMetadata
	once sync.Once

	cc        int
	ccStr     string
	iddAt     *regexp.Regexp // international prefix, anchored at the start
	npp       *regexp.Regexp // national prefix for parsing, anchored; nil if none
	transform string
	general   numberDesc
	generalRe *regexp.Regexp // the general pattern, even when empty
	types     []numberDesc   // the types whose match makes a number valid
	leading   *regexp.Regexp
	lengths   []int32 // general possible lengths
	local     []int32 // general local-only lengths
}

func (p *numberingPlan) compile() *numberingPlan {
	p.once.Do(func() {
		m := p.meta
		p.cc = int(m.GetCountryCode())
		p.ccStr = strconv.Itoa(p.cc)
		idd := "NonMatch"
		if m.GetInternationalPrefix() != "" {
			idd = m.GetInternationalPrefix()
		}
		// The leftmost match is at 0 if any is: anchored, a number
		// that does not start with the prefix fails at once.
		p.iddAt = regexp.MustCompile("^(?:" + idd + ")")
		if npp := m.GetNationalPrefixForParsing(); npp != "" {
			p.npp = regexp.MustCompile("^(?:" + npp + ")")
		}
		p.transform = m.GetNationalPrefixTransformRule()
		p.general = newDesc(m.GetGeneralDesc())
		p.generalRe = regexp.MustCompile("^(?:" + m.GetGeneralDesc().GetNationalNumberPattern() + ")$")
		for _, d := range []*phonenumbers.PhoneNumberDesc{m.GetPremiumRate(), m.GetTollFree(), m.GetSharedCost(),
			m.GetVoip(), m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail(), m.GetFixedLine()} {
			if nd := newDesc(d); nd.re != nil {
				p.types = append(p.types, nd)
			}
		}
		if !m.GetSameMobileAndFixedLinePattern() {
			if nd := newDesc(m.GetMobile()); nd.re != nil {
				p.types = append(p.types, nd)
			}
		}
		if ld := m.GetLeadingDigits(); ld != "" {
			p.leading = regexp.MustCompile("^(?:" + ld + ")")
		}
		p.lengths = m.GetGeneralDesc().PossibleLength
		p.local = m.GetGeneralDesc().PossibleLengthLocalOnly
	})
	return p
}

// validNSN is getNumberTypeHelper(nsn) != UNKNOWN.
func (p *numberingPlan) validNSN(nsn string) bool {
	if !p.general.matches(nsn) {
		return false
	}
	for _, d := range p.types {
		if d.matches(nsn) {
			return true
		}
	}
	return false
}

// Results of testNumberLength.
const (
	lengthPossible = iota
	lengthLocalOnly
	lengthTooShort
	lengthInvalid
	lengthTooLong
)

// testLength is testNumberLength(number, metadata, UNKNOWN).
func (p *numberingPlan) testLength(n string) int {
	if len(p.lengths) == 0 || p.lengths[0] == -1 {
		return lengthInvalid
	}
	l := int32(len(n))
	if slices.Contains(p.local, l) {
		return lengthLocalOnly
	}
	switch {
	case p.lengths[0] == l:
		return lengthPossible
	case p.lengths[0] > l:
		return lengthTooShort
	case p.lengths[len(p.lengths)-1] < l:
		return lengthTooLong
	case slices.Contains(p.lengths[1:], l):
		return lengthPossible
	}
	return lengthInvalid
}

// stripNationalPrefix is maybeStripNationalPrefixAndCarrierCode: it
// returns the number without its national prefix (transformed where the
// plan says so), or unchanged.
func (p *numberingPlan) stripNationalPrefix(n string) string {
	if n == "" || p.npp == nil {
		return n
	}
	groups := p.npp.FindStringSubmatchIndex(n)
	if groups == nil {
		return n
	}
	viable := p.generalRe.MatchString(n)
	stillViable := p.generalRe.MatchString
	numGroups := len(groups)/2 - 1
	if p.transform == "" || groups[numGroups*2] < 0 {
		rest := n[groups[1]:]
		if viable && !stillViable(rest) {
			return n
		}
		return rest
	}
	transformed := p.npp.ReplaceAllString(n, p.transform)
	if viable && !stillViable(transformed) {
		return n
	}
	return transformed
}

// phoneNumbering indexes the plans by region and calling code.
type phoneNumbering struct {
	regions map[string]*numberingPlan
	nonGeo  map[int]*numberingPlan
	// lengths[cc] has bit n set when a national number of n digits is
	// possible in some plan of calling code cc (all bits when a plan
	// lists no lengths): valid turns the others down before it tries
	// the plans one by one (the 25 of +1, for a card number taken for
	// an American one).
	lengths map[int]uint64
}

var numbering = sync.OnceValue(func() *phoneNumbering {
	pn := &phoneNumbering{regions: map[string]*numberingPlan{}, nonGeo: map[int]*numberingPlan{}, lengths: map[int]uint64{}}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return pn // no plans: every number is invalid, as Parse would say
	}
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "001" {
			pn.nonGeo[int(m.GetCountryCode())] = &numberingPlan{meta: m}
		} else {
			pn.regions[m.GetId()] = &numberingPlan{meta: m}
		}
		mask := ^uint64(0)
		if ls := m.GetGeneralDesc().GetPossibleLength(); len(ls) > 0 {
			mask = 0
			for _, l := range ls {
				if l >= 0 && l < 64 {
					mask |= 1 << l
				}
			}
		}
		pn.lengths[int(m.GetCountryCode())] |= mask
	}
	return pn
})

// plan is getMetadataForRegionOrCallingCode.
func (pn *phoneNumbering) plan(cc int, region string) *numberingPlan {
	var p *numberingPlan
	if region == "001" {
		p = pn.nonGeo[cc]
	} else {
		p = pn.regions[region]
	}
	if p == nil {
		return nil
	}
	return p.compile()
}

// mainRegion is GetRegionCodeForCountryCode.
func mainRegion(cc int) string {
	if rs := phonenumbers.GetRegionCodesForCountryCode(cc); len(rs) > 0 {
		return rs[0]
	}
	return "ZZ"
}

// extractCountryCode takes a calling code of one to three digits off the
// front of digits.
func extractCountryCode(digits string) (int, string) {
	if digits == "" || digits[0] == '0' {
		return 0, digits
	}
	for i := 1; i <= 3 && i <= len(digits); i++ {
		cc, _ := strconv.Atoi(digits[:i])
		if len(phonenumbers.GetRegionCodesForCountryCode(cc)) > 0 {
			return cc, digits[i:]
		}
	}
	return 0, digits
}

// possibleNumber is extractPossibleNumber: number from its first '+' or
// digit on, and the digits of it; ok is false when it has neither.
func possibleNumber(number string) (from, digits string, ok bool) {
	i := strings.IndexFunc(number, func(r rune) bool { return r == '+' || r >= '0' && r <= '9' })
	if i < 0 {
		return "", "", false
	}
	return number[i:], asciiDigits(number[i:]), true
}

// parse is Parse(number, region) for a number as Phone admits it, reduced
// to what validity needs: the calling code and the national significant
// number. ok is false where Parse fails. number and digits are what
// possibleNumber returns (worked out once for all the regions tried);
// meta is the region's plan, nil for "ZZ".
func (pn *phoneNumbering) parse(number, digits string, meta *numberingPlan) (cc int, nsn string, ok bool) {
	if meta == nil && number[0] != '+' {
		return 0, "", false
	}
	// maybeExtractCountryCode
	var national string
	switch {
	case number[0] == '+':
		if len(digits) <= 2 {
			return 0, "", false
		}
		if cc, national = extractCountryCode(digits); cc == 0 {
			return 0, "", false
		}
	case meta != nil && meta.iddPrefix(digits) > 0:
		rest := digits[meta.iddPrefix(digits):] // the second call: rare
		if len(rest) <= 2 {
			return 0, "", false
		}
		if cc, national = extractCountryCode(rest); cc == 0 {
			return 0, "", false
		}
	case meta != nil && strings.HasPrefix(digits, meta.ccStr):
		potential := meta.stripNationalPrefix(digits[len(meta.ccStr):])
		fullValid := meta.generalRe.MatchString(digits)
		nationalValid := meta.generalRe.MatchString(potential)
		if !fullValid && nationalValid || meta.testLength(digits) == lengthTooLong {
			cc, national = meta.cc, potential
		}
	}
	if cc != 0 {
		if r := mainRegion(cc); meta == nil || r != meta.meta.GetId() {
			meta = pn.plan(cc, r)
		}
	} else {
		national = digits
		cc = meta.cc
	}
	if len(national) < 2 {
		return 0, "", false
	}
	if meta != nil {
		potential := meta.stripNationalPrefix(national)
		switch meta.testLength(potential) {
		case lengthTooShort, lengthLocalOnly, lengthInvalid:
		default:
			national = potential
		}
	}
	if len(national) < 2 || len(national) > 17 {
		return 0, "", false
	}
	return cc, national, true
}

// iddPrefix is parsePrefixAsIdd: the length of the international dialling
// prefix at the start of digits, or 0 when there is none or a 0 follows it
// (calling codes do not start with 0).
func (p *numberingPlan) iddPrefix(digits string) int {
	loc := p.iddAt.FindStringIndex(digits)
	if loc == nil {
		return 0
	}
	if loc[1] < len(digits) && digits[loc[1]] == '0' {
		return 0
	}
	return loc[1]
}

// valid is IsValidNumber for calling code cc and national significant
// number nsn.
func (pn *phoneNumbering) valid(cc int, nsn string) bool {
	// Every way to true below passes validNSN, which needs a length
	// the plan's general description lists (numberDesc.matches).
	if len(nsn) >= 64 || pn.lengths[cc]&(1<<len(nsn)) == 0 {
		return false
	}
	regions := phonenumbers.GetRegionCodesForCountryCode(cc)
	region := ""
	switch len(regions) {
	case 0:
		return false
	case 1:
		region = regions[0]
	default:
		for _, r := range regions {
			p := pn.plan(cc, r)
			if p == nil {
				continue
			}
			if p.leading != nil {
				if p.leading.MatchString(nsn) {
					region = r
					break
				}
			} else if p.validNSN(nsn) {
				return true // IsValidNumberForRegion(r) repeats the same test
			}
		}
	}
	p := pn.plan(cc, region)
	if p == nil || region != "001" && p.cc != cc {
		return false
	}
	return p.validNSN(nsn)
}

func asciiDigits(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}
