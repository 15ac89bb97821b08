package detect

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/leakguard/leakguard/internal/detect/validate"
)

// Some checks know from the value alone what text could hold a value they
// accept. A telephone number is made of digits and a few separators, holds
// 7 to 17 digits, stands apart from the words around it and is not a date;
// an IPv6 address is made of hex digits, colons and dots and holds "::" or
// six colons; a national number or a card number is digits and separators
// with as many digits as its length (validate.NumberChars). Such a check
// has a shape: the bytes its values are made of, and a test of a run of
// those bytes that says whether any part of it could pass. In logs and exports most digit groups are dates, times, counters and
// pieces of hashes, which the check would turn down whatever the regex made
// of them; the engine opens a rule's windows only around the runs that pass
// its check's shape, and drops a match without such a run before it asks
// RE2 for the match's groups. A shape follows from the check, not from the
// rule's pattern, so it holds for every rule that names the check.

// shape is what a check's values look like.
type shape struct {
	// class[b] is byteOut for a byte no value holds, byteIn for one it
	// may, byteKey for one of those that a value holds at least keys of
	// (digits, colons): runs with fewer are passed over untested.
	class [256]uint8
	keys  int
	// ok reports whether some value within text[start:end] could pass the
	// check. The span is a run of the shape's bytes, maximal or cut where
	// a window begins or ends: the value lies inside it, and the text
	// around it is the value's context as the check sees it.
	ok func(text []byte, start, end int) bool
	// kind names the test: shapes of one kind with the same bytes find
	// the same runs, and share them (a slot of scanner.shapeRuns).
	kind string
	// key is the one key byte, or -1 when the keys are the digits.
	key int
	// digits, for a check of numbers that validate.NumberDigits
	// describes, is the check itself, and lengths the counts of digits of
	// its values: a run holds a value only if a piece of its digits of
	// one of those lengths passes (pieces). Unlike ok it is the check's
	// own, not the slot's: the checks of numbers share their runs and
	// test them each.
	digits  func(string) bool
	lengths []int
	// slot indexes scanner.shapeRuns; reach and gatedReach are the
	// farthest before a factor's end, or a context word's, that a window
	// of a rule of the slot begins; minKeys the fewest key bytes a shape
	// of the slot needs (set when rules are compiled, the same for all
	// shapes of a slot).
	slot, reach, gatedReach, minKeys int
}

const (
	byteOut uint8 = iota
	byteIn
	byteKey
)

func newShape(kind, bytes, keys string, n int, ok func([]byte, int, int) bool) *shape {
	sh := &shape{keys: n, ok: ok, kind: kind}
	for i := 0; i < len(bytes); i++ {
		sh.class[bytes[i]] = byteIn
	}
	for i := 0; i < len(keys); i++ {
		sh.class[keys[i]] = byteKey
	}
	switch {
	case len(keys) == 1:
		sh.key = int(keys[0])
	case keys == "0123456789":
		sh.key = -1
	default:
		panic("shape: keys are digits or one byte")
	}
	return sh
}

// phoneBytes are what a telephone number is written with besides its
// digits: spaces (a no-break space too), + ( ) - . /
const phoneBytes = " +()-./\xc2\xa0"

// shapes returns the shapes by check name.
func shapes() map[string]*shape {
	m := map[string]*shape{
		"phone": newShape("phone", phoneBytes, "0123456789", 7, phoneRun),
		// the same, the values in phoneFormatted's formats
		"phone_formatted": newShape("phone-formatted", phoneBytes, "0123456789", 7, formattedPhoneRun),
		// the same, the values led by what nationalLead lets through
		"phone_national": newShape("phone-national", phoneBytes, "0123456789", 7, nationalPhoneRun),
		// what an IBAN is written with; a run holds one only if some
		// piece of it passes the IBAN check (validate.IBANWithin)
		"iban": newShape("iban", validate.IBANChars, "0123456789", 2, func(text []byte, start, end int) bool {
			return validate.IBANWithin(text[start:end])
		}),
		// hex digits, colons, dots (an embedded IPv4 address) and the
		// brackets of a URL's host
		"ipv6": newShape("ipv6", "0123456789abcdefABCDEF.[]", ":", 2, ipv6Run),
	}
	// National numbers, cards: digits and separators, with enough
	// digits; a run of them holds a value if a piece of its digits of
	// the right length passes the check.
	for name, check := range validate.All() {
		if chars, n, ok := validate.NumberChars(name); ok && m[name] == nil {
			sh := newShape("number", chars, "0123456789", n, anyRun)
			if lengths, ok := validate.NumberDigits(name); ok {
				sh.digits, sh.lengths = check, lengths
			}
			m[name] = sh
		}
	}
	return m
}

// pieces reports whether some piece of the digits of text[start:end], of
// one of sh.lengths, passes sh.digits: true for a shape without them. A
// checksum turns down nine pieces in ten, and the windows of the rules of
// national numbers shrink as much. When the rule's values are bounded by
// non-digits (digitBounded) a piece must be a whole group of the text's
// digits or several: its first digit follows no digit, its last is
// followed by none. buf is scratch space for the digits, kept by the
// caller from call to call (nil: some of its own).
func (sh *shape) pieces(text []byte, start, end int, buf *[]byte, bounded bool) bool {
	if sh.digits == nil {
		return true
	}
	if buf == nil {
		buf = new([]byte)
	}
	// Each digit is followed, in buf, by a byte saying whether it opens
	// a group (1) and closes one (2) in the text; the check sees the
	// digits alone, gathered in front of them.
	d := (*buf)[:0]
	n := 0
	for j := start; j < end; j++ {
		if text[j]-'0' < 10 {
			n++
		}
	}
	d = append(d, make([]byte, 2*n)...)
	digits, edges := d[:n], d[n:]
	k := 0
	for j := start; j < end; j++ {
		if text[j]-'0' >= 10 {
			continue
		}
		digits[k] = text[j]
		var e byte
		if j == 0 || text[j-1]-'0' >= 10 {
			e |= 1
		}
		if j+1 == len(text) || text[j+1]-'0' >= 10 {
			e |= 2
		}
		edges[k] = e
		k++
	}
	*buf = d
	for _, l := range sh.lengths {
		for i := 0; i+l <= n; i++ {
			if bounded && (edges[i]&1 == 0 || edges[i+l-1]&2 == 0) {
				continue
			}
			// The checks keep nothing of their argument: a string over
			// the scratch bytes serves, without a copy for each piece.
			if sh.digits(unsafe.String(&digits[i], l)) {
				return true
			}
		}
	}
	return false
}

// anyRun is the test of a shape whose runs need only enough key bytes.
func anyRun([]byte, int, int) bool { return true }

// run returns the end of the run of sh's bytes that starts at i (at most
// limit) and the key bytes it holds.
func (sh *shape) run(text []byte, i, limit int) (int, int) {
	keys := 0
	for ; i < limit; i++ {
		c := sh.class[text[i]]
		if c == byteOut {
			break
		}
		if c == byteKey {
			keys++
		}
	}
	return i, keys
}

// any reports whether some run of sh's bytes within text[lo:hi] passes;
// buf and bounded are pieces'.
func (sh *shape) any(text []byte, lo, hi int, buf *[]byte, bounded bool) bool {
	for i := lo; i < hi; {
		for i < hi && sh.class[text[i]] == byteOut {
			i++
		}
		if i == hi {
			return false
		}
		j, keys := sh.run(text, i, hi)
		if keys >= sh.keys && sh.ok(text, i, j) && sh.pieces(text, i, j, buf, bounded) {
			return true
		}
		i = j
	}
	return false
}

// shapeRuns are the runs of one slot tested in a round, in order: each run
// is tested once, as the windows of the slot's rules reach it.
type shapeRuns struct {
	upto, last int        // keys before upto are tested; runs end by last
	ok         []keyedRun // the runs that passed, with their key bytes
}

type keyedRun struct {
	span
	keys int
}

// assignSlots gives each shape of the rules its slot: shapes of one kind
// and the same bytes share one, and so the scan of the runs. It returns
// the number of slots.
func assignSlots(rs []*compiled) int {
	slots := map[string]int{}
	for _, c := range rs {
		if sh := c.shape; sh != nil {
			k := sh.kind + string(sh.class[:])
			slot, ok := slots[k]
			if !ok {
				slot = len(slots)
				slots[k] = slot
			}
			sh.slot = slot
		}
	}
	reach := make([][3]int, len(slots)) // reach, gatedReach, minKeys
	for i := range reach {
		reach[i][2] = 1 << 30
	}
	for _, c := range rs {
		if sh := c.shape; sh != nil {
			r := &reach[sh.slot]
			r[0] = max(r[0], c.MaxLen+1)
			if c.Context != nil {
				r[1] = max(r[1], c.MaxLen+c.Context.Window)
			}
			r[2] = min(r[2], sh.keys)
		}
	}
	for _, c := range rs {
		if sh := c.shape; sh != nil {
			sh.reach, sh.gatedReach, sh.minKeys = reach[sh.slot][0], reach[sh.slot][1], reach[sh.slot][2]
		}
	}
	return len(slots)
}

// shapedWindow adds, for shaped rule c, a window around each run of its
// shape that passes and meets [lo, hi), the window the rule would have had:
// every match that can become a finding holds its value within such a run.
// Calls come in order of lo and hi for each rule, and no later call of any
// rule of the shape has a lo below floor.
func (s *scanner) shapedWindow(c *compiled, lo, hi, floor, limit int) {
	sh := c.shape
	st := &s.shapeRuns[sh.slot]
	lo, hi = max(lo, 0), min(hi, limit)
	// A run that began before floor holds no value inside a later window
	// that the part from floor on does not: testing that part is enough.
	// Runs are found from their key bytes: every key before upto belongs
	// to a run already tested, and none ends after last.
	bottom := max(st.last, floor, 0)
	i := max(st.upto, bottom)
	buf := s.buf
	for {
		k := sh.nextKey(buf, i, hi)
		if k >= hi {
			i = max(i, hi)
			break
		}
		// The run's start, back over the bytes before its first key, is
		// looked for only when it has keys enough: the national
		// telephone number's shape, which runs over all text, finds 32
		// million runs in the benchmark corpus and tests 2.5 million.
		re, keys := sh.run(buf, k, len(buf))
		if keys >= sh.minKeys {
			rs := k
			for rs > bottom && sh.class[buf[rs-1]] != byteOut {
				rs--
			}
			if sh.ok(buf, rs, re) {
				st.ok = append(st.ok, keyedRun{span{rs, re}, keys})
			}
		}
		i, bottom, st.last = re, re, re
	}
	st.upto = max(st.upto, i)
	next := &s.shapeNext[c.shapeSlot]
	for ; *next < len(st.ok); *next++ {
		r := st.ok[*next]
		if r.start >= hi {
			break
		}
		if r.end > lo && r.keys >= sh.keys && sh.pieces(buf, r.start, r.end, &s.digitBuf, c.digitBounded) {
			s.addWindow(c, r.start-c.MaxLen, r.end+c.MaxLen, limit)
		}
	}
}

// nextKey returns the index of the first key byte of sh in text[i:hi], or
// hi. The shapes' keys are digits or one byte: eight bytes are tested at
// once, and the lowest byte digitMask flags is the first digit among them.
// In logs, where a digit comes every dozen bytes or so, testing the bytes
// of a word with a digit one by one had been a quarter of the shapes' cost.
func (sh *shape) nextKey(text []byte, i, hi int) int {
	if sh.key >= 0 {
		if i >= hi {
			return hi
		}
		if k := bytes.IndexByte(text[i:hi], byte(sh.key)); k >= 0 {
			return i + k
		}
		return hi
	}
	return indexDigit(text, i, hi)
}

// indexDigit returns the index of the first ASCII digit in text[i:hi], or
// hi, testing eight bytes at a time.
func indexDigit(text []byte, i, hi int) int {
	for ; i+8 <= hi; i += 8 {
		if m := digitMask(binary.LittleEndian.Uint64(text[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < hi; i++ {
		if isDigit(text[i]) {
			return i
		}
	}
	return hi
}

// digitMask flags the ASCII digits among the eight bytes of x (the first
// at the lowest address) by their high bits: x^'0' turns digits into the
// bytes 0-9, and the classic test for a byte below 10 (its high bit clear,
// and set once 10 is taken from it) finds them. A byte above a digit may
// be flagged too, by the borrow the digit's subtraction passes up; the
// lowest flag is always a digit, as no byte below it borrows. Zero when x
// holds no digit.
func digitMask(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	t := x ^ (ones * '0')
	return (t - ones*10) &^ t & highs
}

// resetShapes forgets the runs tested, for a new round or a new phase of
// one (factor windows, then windows around context words).
func (s *scanner) resetShapes() {
	for i := range s.shapeRuns {
		s.shapeRuns[i] = shapeRuns{ok: s.shapeRuns[i].ok[:0]}
	}
	clear(s.shapeNext)
}
