package validate

// Single-digit substitutions and adjacent transpositions of a valid number:
// the errors a check digit exists to catch. Each check-digit algorithm has a
// known, provable set of such errors it cannot see; the blind predicates
// below describe exactly those, so the vector test can demand that every
// other corruption is rejected.

// mutation is one corrupted copy of a valid vector.
type mutation struct {
	value string // the corrupted value, separators kept
	swap  bool   // adjacent transposition (else substitution)
	a, b  int    // substitution: old, new digit; swap: left, right digit before the swap
	// pos is the index, in the value with separators removed, of the
	// substituted character or of the left one of the swapped pair; dpos
	// is the same index counting digits only.
	pos, dpos int
}

// mutations lists every substitution of one ASCII digit by another and every
// transposition of two adjacent, different digits (adjacent once separators
// are ignored).
func mutations(v string) []mutation {
	var digitAt []int // byte offsets of digits
	var compactPos []int
	n := 0
	for i, r := range v {
		if isSep(r) {
			continue
		}
		if r >= '0' && r <= '9' {
			digitAt = append(digitAt, i)
			compactPos = append(compactPos, n)
		}
		n++
	}
	var out []mutation
	b := []byte(v)
	for k, i := range digitAt {
		old := b[i]
		for c := byte('0'); c <= '9'; c++ {
			if c == old {
				continue
			}
			b[i] = c
			out = append(out, mutation{value: string(b), a: int(old - '0'), b: int(c - '0'), pos: compactPos[k], dpos: k})
		}
		b[i] = old
	}
	for k := 0; k+1 < len(digitAt); k++ {
		i, j := digitAt[k], digitAt[k+1]
		if b[i] == b[j] || compactPos[k+1] != compactPos[k]+1 {
			continue // identical digits, or a letter sits between them
		}
		b[i], b[j] = b[j], b[i]
		out = append(out, mutation{value: string(b), swap: true, a: int(b[j] - '0'), b: int(b[i] - '0'), pos: compactPos[k], dpos: k})
		b[i], b[j] = b[j], b[i]
	}
	return out
}

// blindFunc reports whether an algorithm provably cannot detect m made to
// the valid value orig.
type blindFunc func(orig string, m mutation) bool

// luhnBlind: Luhn maps a doubled 0 and 9 to 0 and 9, so swapping 09↔90 keeps
// the sum; it catches every other single error and adjacent swap.
func luhnBlind(_ string, m mutation) bool {
	return m.swap && m.a+m.b == 9 && (m.a == 0 || m.a == 9)
}

// evenStepSwapBlind: schemes with mod-10 weights whose neighbours differ by
// an even number (EAN-13's 1,3; PESEL's 1,3,7,9; ABA's 3,7,1) change the sum
// by 2k·(a−b), which is 0 mod 10 when the two digits differ by 5.
func evenStepSwapBlind(_ string, m mutation) bool {
	return m.swap && (m.a-m.b == 5 || m.b-m.a == 5)
}

// mod11Unchanged builds the predicate for mod-11 schemes that fold two
// remainders onto one check digit (e.g. "0 or 1 → 0"): a corruption of the
// weighted data digits that leaves the remainder, or moves it between two
// folded values, keeps the check digit. weights cover the leading data
// digits (letters such as a country prefix are skipped); folded lists the
// remainders that share a check digit.
func mod11Unchanged(weights []int, folded ...int) blindFunc {
	rem := func(v string) int {
		d := Digits(v)
		if len(d) < len(weights) {
			return -1
		}
		sum := 0
		for i, w := range weights {
			sum += int(d[i]) * w
		}
		return sum % 11
	}
	in := func(r int) bool {
		for _, f := range folded {
			if r == f {
				return true
			}
		}
		return false
	}
	return func(orig string, m mutation) bool {
		if m.dpos >= len(weights) || (m.swap && m.dpos+1 >= len(weights)) {
			return false // a check digit itself was touched
		}
		r0, r1 := rem(orig), rem(m.value)
		return r0 >= 0 && (r0 == r1 || (in(r0) && in(r1)))
	}
}

// allBlind is blind where every one of several independent checks is.
func allBlind(fs ...blindFunc) blindFunc {
	return func(o string, m mutation) bool {
		for _, f := range fs {
			if !f(o, m) {
				return false
			}
		}
		return true
	}
}

// beNNBlind: a Belgian number is valid with either century's key, and the
// two keys differ by 2·10⁹ mod 97; a corruption that shifts the nine-digit
// body by exactly that amount (mod 97) turns one century's key into the
// other's.
func beNNBlind(orig string, m mutation) bool {
	o, c := compact(orig), compact(m.value)
	if m.dpos >= 9 || (m.swap && m.dpos+1 >= 9) {
		return false
	}
	k := 2000000000 % 97
	d := ((num(c[:9])-num(o[:9]))%97 + 97) % 97
	return d == k || d == 97-k
}

// nzIRDBlind: when the primary weights give a check of 10, the IRD scheme
// recomputes with secondary weights, an unrelated sum. A corruption that
// moves a number from one weighting to the other is judged by a sum that
// has nothing to do with the original check digit, which then matches about
// one time in ten; within one weighting every corruption is caught.
func nzIRDBlind(orig string, m mutation) bool {
	secondary := func(v string) bool {
		s := compact(stripPrefix(compact(v), "NZ"))
		if len(s) == 8 {
			s = "0" + s
		}
		if len(s) != 9 || !isDigits(s) {
			return false
		}
		return 11-weightedSum(s, []int{3, 2, 7, 6, 5, 4, 3, 2})%11 == 10
	}
	return secondary(orig) != secondary(m.value)
}

// trBlind: in the Turkish scheme an adjacent swap among the first nine
// digits moves 7·(b−a)+(b−a) = 8·(b−a) into both check digits, which is 0
// mod 10 when the digits differ by 5; swapping the ninth digit with the
// first check digit fails the same way (8·(b−a) again, the sum of the first
// ten digits being unchanged).
func trBlind(o string, m mutation) bool {
	return m.dpos < 9 && evenStepSwapBlind(o, m)
}

// krBlind: Korean numbers fold remainders 0 and 10 onto check digit 1, and
// numbers for births from October 2020 carry random digits with no check at
// all, so a corruption that moves the birth date there cannot be caught.
func krBlind(o string, m mutation) bool {
	s := compact(m.value)
	if len(s) == 13 && isDigits(s) {
		century := [10]int{1800, 1900, 1900, 2000, 2000, 1900, 1900, 2000, 2000, 1800}[s[6]-'0']
		if y, mm := century+num(s[:2]), num(s[2:4]); y > 2020 || (y == 2020 && mm >= 10) {
			return true
		}
	}
	return mod11Unchanged([]int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}, 0, 10)(o, m)
}

// curpBlind: the CURP check is Σ value·(18−i) mod 10, so changing a digit
// at position i by δ goes unseen when δ·(18−i) ≡ 0 (mod 10) — δ = 5 at an
// even weight, or any δ at weight 10.
func curpBlind(_ string, m mutation) bool {
	if m.swap || m.pos >= 17 {
		return false
	}
	return ((m.b-m.a)*(18-m.pos))%10 == 0
}

// cpfBlind and cnpjBlind: both Brazilian check digits fold remainders 0 and
// 1 onto 0; a corruption is invisible only when it keeps both check digits.
// (In the CPF the first digit has weight 11 ≡ 0 in the second sum, so a
// change there is seen by the first check digit alone.)
var (
	cpfBlind = allBlind(
		mod11Unchanged([]int{10, 9, 8, 7, 6, 5, 4, 3, 2}, 0, 1),
		mod11Unchanged([]int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2}, 0, 1))
	cnpjBlind = allBlind(
		mod11Unchanged([]int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}, 0, 1),
		mod11Unchanged([]int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}, 0, 1))
)
