package edm

import "unicode/utf8"

// want selects the value classes a tokenizer looks for.
type want uint8

const (
	wantDigits want = 1 << iota
	wantEmail
	wantDate
	wantWords
)

// Token limits. A token starts within the scanned range and is never read
// more than maxTok bytes past its start, so the text a scan needs ahead of
// its range is bounded and the result does not depend on how the text was
// cut into chunks.
const (
	maxTok      = 256 // bytes
	maxDigits   = 40  // longest digit string hashed
	maxGroups   = 8   // digit groups a candidate spans ("+1 (555) 123-4567" is four)
	maxWordsCap = 8   // longest phrase (name) matched, in words
	maxWordLen  = 64  // bytes; longer letter runs are no one's name
)

// cand is one candidate value found in text: the span (absolute offsets in
// the item), the keyed hash of its normalised form, whether it was made by
// dropping a phone number's country code or trunk prefix (then only a
// phone column may match it), and whether it is too common a value to
// identify a record by itself with one other value (a number of fewer than
// six digits, a date, one word).
type cand struct {
	start, end int64
	key        uint64
	phone      bool
	weak       bool
}

type wordTok struct {
	s, e int64
	h    uint64
}

type group struct {
	s, e   int
	spaced bool // a space separates it from the group before
}

// tokenizer finds candidate values in text and hashes them. It keeps the
// last words it saw so that phrases can span scan calls over contiguous
// text; reset forgets them.
type tokenizer struct {
	want            want
	delimited       bool   // digit strings only between spaces or run ends
	lens, phoneLens uint64 // bit n set: digit strings of n digits are registered (any column / phone columns)
	maxWords        int
	h               *valueHasher
	hot             [256]bool

	ring  [maxWordsCap]wordTok
	nring int

	digits, fold, tmp []byte
	dates             []ymd
}

func newTokenizer(h *valueHasher, w want, lens, phoneLens uint64, maxWords int) *tokenizer {
	t := &tokenizer{want: w, lens: lens, phoneLens: phoneLens, maxWords: maxWords, h: h}
	if maxWords == 0 {
		t.want &^= wantWords
	}
	if lens|phoneLens == 0 {
		t.want &^= wantDigits
	}
	for c := 0; c < 256; c++ {
		switch {
		case c >= '0' && c <= '9':
			t.hot[c] = t.want&(wantDigits|wantDate) != 0
		case c == '@':
			t.hot[c] = t.want&wantEmail != 0
		case c|0x20 >= 'a' && c|0x20 <= 'z', c >= utf8.RuneSelf:
			t.hot[c] = t.want&(wantWords|wantDate) != 0
		}
	}
	return t
}

func (t *tokenizer) reset() { t.nring = 0 }

// scan appends the candidates that start in buf[from:to] and returns them
// with the offset where it stopped (to, or the end of a token that began
// before to). base is the absolute offset of buf[0]. buf must hold maxTok
// bytes past to, or end where the item ends.
func (t *tokenizer) scan(buf []byte, base int64, from, to int, out []cand) ([]cand, int) {
	i := from
	for i < to {
		c := buf[i]
		if !t.hot[c] {
			i++
			continue
		}
		switch {
		case c >= '0' && c <= '9':
			out, i = t.digitRun(buf, base, i, out)
		case c == '@':
			out = t.email(buf, base, i, out)
			i++
		default:
			out, i = t.word(buf, base, i, out)
		}
	}
	return out, i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isGroupSep separates the digit groups of one number: "123-45-6789",
// "(555) 123 4567", "75,000.00", "24.11.2014". A comma joins only a group
// of three digits.
func isGroupSep(c byte) bool {
	switch c {
	case ' ', '-', '.', '/', '(', ')', ',':
		return true
	}
	return false
}

// digitRun reads digit groups joined by one or two separators from i and
// emits, for each group, every number made of it and up to seven groups
// before it whose length is registered, and the dates the last three
// groups can be read as.
func (t *tokenizer) digitRun(buf []byte, base int64, i int, out []cand) ([]cand, int) {
	start := i
	limit := min(len(buf), start+maxTok)
	plus := (i > 0 && buf[i-1] == '+') || (i > 1 && buf[i-1] == '(' && buf[i-2] == '+')
	var g [maxGroups]group
	n := 0
	for {
		j := i
		for j < limit && isDigit(buf[j]) {
			j++
		}
		if j == limit && limit < len(buf) && isDigit(buf[j]) {
			// The run goes on past the token limit: a new run starts at
			// this group (or, for one giant number, at the limit).
			if n == 0 {
				return out, limit
			}
			return out, i
		}
		g[n%maxGroups] = group{i, j, n > 0 && spaced(buf[g[(n-1)%maxGroups].e:i])}
		n++
		k := j
		for k < limit && k-j < 2 && isGroupSep(buf[k]) {
			k++
		}
		more := k > j && k < limit && isDigit(buf[k]) && (buf[j] != ',' || k-j == 1 && thousands(buf, k, limit))
		if t.want&wantDigits != 0 {
			out = t.numbers(buf, base, &g, n, plus, !more || spaced(buf[j:k]), out)
		}
		if t.want&wantDate != 0 {
			out = t.groupDates(buf, base, &g, n, out)
		}
		if !more { // the run ends; a comma between fields or list items does not join ("75,000" does)
			return out, j
		}
		i = k
	}
}

// spaced says whether a separator between digit groups holds a space:
// "4711 123-45-6789" is two numbers as much as one.
func spaced(sep []byte) bool {
	return len(sep) > 0 && (sep[0] == ' ' || sep[len(sep)-1] == ' ')
}

// thousands says whether the digits at k are a group of exactly three.
func thousands(buf []byte, k, limit int) bool {
	return k+3 <= limit && isDigit(buf[k+1]) && isDigit(buf[k+2]) && (k+3 == len(buf) || !isDigit(buf[k+3]))
}

// numbers emits the digit strings that end with group n-1. endOK says
// whether the run ends after it or goes on after a space. A tokenizer that
// looks for primary values (delimited) emits only strings that are whole
// between such boundaries: "1985" of "1985-03-04" is no employee number.
func (t *tokenizer) numbers(buf []byte, base int64, g *[maxGroups]group, n int, plus, endOK bool, out []cand) []cand {
	if t.delimited && !endOK {
		return out
	}
	last := g[(n-1)%maxGroups]
	total := 0
	for back := 0; back < maxGroups && back < n; back++ {
		first := n - 1 - back
		gr := g[first%maxGroups]
		total += gr.e - gr.s
		if total > maxDigits {
			break
		}
		if t.delimited && first > 0 && !gr.spaced {
			continue
		}
		plain := t.lens>>total&1 != 0
		zero := buf[gr.s] == '0' && t.phoneLens>>(total-1)&1 != 0
		// a country code of one to three digits after "+" or "00"
		cc := (first == 0 && plus) || (buf[gr.s] == '0' && gr.e-gr.s > 1 && buf[gr.s+1] == '0')
		cc = cc && bitsIn(t.phoneLens, total-5, total-1)
		if !plain && !zero && !cc {
			continue
		}
		d := t.digits[:0]
		for k := first; k < n; k++ {
			x := g[k%maxGroups]
			d = append(d, buf[x.s:x.e]...)
		}
		t.digits = d
		s, e := base+int64(gr.s), base+int64(last.e)
		if plain {
			out = append(out, cand{s, e, t.h.value(classDigits, d), false, len(d) < 6})
		}
		if zero {
			out = append(out, cand{s, e, t.h.value(classDigits, d[1:]), true, false})
		}
		if cc {
			skip := 0
			if len(d) > 1 && d[0] == '0' && d[1] == '0' {
				skip = 2
			}
			for k := skip + 1; k <= skip+3 && k < len(d); k++ {
				if t.phoneLens>>(len(d)-k)&1 != 0 {
					out = append(out, cand{s, e, t.h.value(classDigits, d[k:]), true, false})
				}
			}
		}
	}
	return out
}

// groupDates emits the dates that the last three groups, joined by one
// and the same separator, or the last group alone as YYYYMMDD, can be.
func (t *tokenizer) groupDates(buf []byte, base int64, g *[maxGroups]group, n int, out []cand) []cand {
	c := g[(n-1)%maxGroups]
	t.dates = t.dates[:0]
	s := c.s
	if c.e-c.s == 8 {
		v := atoi(buf[c.s:c.e])
		if d := (ymd{v / 10000, v / 100 % 100, v % 100}); d.valid() && d.y >= 1900 && d.y < 2100 {
			t.dates = append(t.dates, d)
		}
	}
	if n >= 3 {
		a, b := g[(n-3)%maxGroups], g[(n-2)%maxGroups]
		sep := buf[b.s-1]
		if a.e+1 == b.s && b.e+1 == c.s && buf[c.s-1] == sep && (sep == '/' || sep == '-' || sep == '.') &&
			a.e-a.s <= 4 && b.e-b.s <= 2 && c.e-c.s <= 4 {
			t.dates = numericDates(atoi(buf[a.s:a.e]), atoi(buf[b.s:b.e]), atoi(buf[c.s:c.e]),
				a.e-a.s, b.e-b.s, c.e-c.s, "", t.dates)
			s = a.s
		}
	}
	for _, d := range t.dates {
		t.digits = d.appendKey(t.digits[:0])
		out = append(out, cand{base + int64(s), base + int64(c.e), t.h.value(classDate, t.digits), false, true})
	}
	return out
}

// bitsIn says whether m has a bit set in [lo, hi].
func bitsIn(m uint64, lo, hi int) bool {
	lo, hi = max(lo, 0), min(hi, 63)
	if hi < lo {
		return false
	}
	return m>>lo&(1<<(hi-lo+1)-1) != 0
}

func atoi(b []byte) int {
	v := 0
	for _, c := range b {
		v = v*10 + int(c-'0')
	}
	return v
}

// emailSpan finds the address around the '@' at at: a local part of up to
// 64 characters before it, a dotted domain after it.
func emailSpan(buf []byte, at int) (ls, de int, ok bool) {
	isLocal := func(c byte) bool {
		return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\''
	}
	isDomain := func(c byte) bool {
		return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '.' || c == '-'
	}
	ls = at
	for ls > 0 && isLocal(buf[ls-1]) {
		if at-ls >= 64 {
			return 0, 0, false
		}
		ls--
	}
	for ls < at && (buf[ls] == '.' || buf[ls] == '\'') {
		ls++
	}
	de = at + 1
	for de < len(buf) && isDomain(buf[de]) {
		if de-at > 190 {
			return 0, 0, false
		}
		de++
	}
	for de > at+1 && (buf[de-1] == '.' || buf[de-1] == '-') {
		de--
	}
	if ls == at {
		return 0, 0, false
	}
	dot := -1
	for k := at + 1; k < de; k++ {
		if buf[k] == '.' {
			dot = k
		}
	}
	if dot <= at+1 || de-dot < 3 {
		return 0, 0, false
	}
	return ls, de, true
}

func (t *tokenizer) email(buf []byte, base int64, at int, out []cand) []cand {
	ls, de, ok := emailSpan(buf, at)
	if !ok {
		return out
	}
	d := t.digits[:0]
	for _, c := range buf[ls:de] {
		if c >= 'A' && c <= 'Z' {
			c |= 0x20
		}
		d = append(d, c)
	}
	t.digits = d
	return append(out, cand{base + int64(ls), base + int64(de), t.h.value(classEmail, d), false, false})
}

// word reads the word at i; it emits the phrases of one to maxWords
// adjacent words that end with it, and the date it names if it is a month.
func (t *tokenizer) word(buf []byte, base int64, i int, out []cand) ([]cand, int) {
	limit := min(len(buf), i+maxWordLen)
	e, ascii := wordEnd(buf, i, limit)
	if e == i { // a symbol, punctuation or an invalid byte
		_, size := utf8.DecodeRune(buf[i:])
		return out, i + max(size, 1)
	}
	if e == limit && limit < len(buf) {
		if e2, _ := wordEnd(buf, e, e+1); e2 > e { // too long for a name
			e, _ = wordEnd(buf, e, min(len(buf), i+maxTok))
			return out, e
		}
	}
	t.fold, t.tmp = appendFolded(t.fold[:0], t.tmp, buf[i:e], ascii)
	if t.want&wantDate != 0 {
		if m := monthOf(t.fold); m != 0 {
			out = t.monthCands(buf, base, i, e, m, out)
		}
	}
	if t.want&wantWords == 0 || len(t.fold) < 2 || (!ascii && utf8.RuneCount(t.fold) < 2) || isTitle(t.fold) {
		return out, e // initials and titles are skipped: "Dr. John A. Smith" is "John Smith"
	}
	h := t.h.word(t.fold)
	s := base + int64(i)
	if t.nring > 0 && !adjacent(buf, base, t.ring[t.nring-1].e, s) {
		t.nring = 0
	}
	if t.nring == maxWordsCap {
		copy(t.ring[:], t.ring[1:])
		t.nring--
	}
	end := base + int64(e)
	t.ring[t.nring] = wordTok{s, end, h}
	t.nring++
	var sum uint64
	for n := 1; n <= t.nring && n <= t.maxWords; n++ {
		w := t.ring[t.nring-n]
		sum += w.h
		out = append(out, cand{w.s, end, wordsKey(sum, n), false, n == 1})
	}
	return out, e
}

// adjacent says whether a word starting at s continues a phrase whose last
// word ended at prev: at most eight bytes apart (room for an initial),
// on one line, with no digit or '@' between.
func adjacent(buf []byte, base, prev, s int64) bool {
	if prev < base || s-prev > 8 {
		return false
	}
	for _, c := range buf[prev-base : s-base] {
		if c == '\n' || c == '\r' || c == '@' || isDigit(c) {
			return false
		}
	}
	return true
}

func (t *tokenizer) monthCands(buf []byte, base int64, ws, we, m int, out []cand) []cand {
	var s, e int
	s, e, t.dates = monthDates(buf, ws, we, m, "", t.dates[:0])
	for _, d := range t.dates {
		t.digits = d.appendKey(t.digits[:0])
		out = append(out, cand{base + int64(s), base + int64(e), t.h.value(classDate, t.digits), false, true})
	}
	return out
}

// monthDates reads "Nov 24, 2014", "November 24th 2014", "24 Nov 2014" and
// "24-NOV-14" around the month name at buf[ws:we].
func monthDates(buf []byte, ws, we, month int, order DateOrder, out []ymd) (s, e int, _ []ymd) {
	skip := func(k, most int, seps string) int {
		for n := 0; n < most && k < len(buf) && indexByte(seps, buf[k]); n++ {
			k++
		}
		return k
	}
	number := func(k, most int) (v, end int) {
		end = k
		for end < len(buf) && end-k < most && isDigit(buf[end]) {
			v = v*10 + int(buf[end]-'0')
			end++
		}
		if end < len(buf) && isDigit(buf[end]) {
			return 0, k
		}
		return v, end
	}
	year := func(k int) (ys []int, end int) {
		y, end := number(k, 4)
		switch end - k {
		case 4:
			return []int{y}, end
		case 2:
			if order != "" {
				if y < 30 {
					return []int{2000 + y}, end
				}
				return []int{1900 + y}, end
			}
			return []int{1900 + y, 2000 + y}, end
		}
		return nil, k
	}
	add := func(ys []int, d int) {
		for _, y := range ys {
			if x := (ymd{y, month, d}); x.valid() {
				out = append(out, x)
			}
		}
	}
	// Month first: "Nov 24, 2014", "November 24th 2014".
	if k := skip(we, 2, " .-"); k > we {
		if d, k2 := number(k, 2); k2 > k {
			if k2+1 < len(buf) {
				switch string([]byte{buf[k2] | 0x20, buf[k2+1] | 0x20}) {
				case "st", "nd", "rd", "th":
					k2 += 2
				}
			}
			if k3 := skip(k2, 2, " ,.-"); k3 > k2 {
				if ys, k4 := year(k3); k4 > k3 {
					add(ys, d)
					if len(out) > 0 {
						return ws, k4, out
					}
				}
			}
		}
	}
	// Day first: "24 Nov 2014", "24-NOV-14", "24. November 2014".
	k := ws
	for n := 0; n < 2 && k > 0 && indexByte(" .-", buf[k-1]); n++ {
		k--
	}
	if k < ws {
		ds := k
		for ds > 0 && k-ds < 2 && isDigit(buf[ds-1]) {
			ds--
		}
		if ds < k && (ds == 0 || !isDigit(buf[ds-1])) {
			d := atoi(buf[ds:k])
			if k3 := skip(we, 2, " ,.-"); k3 > we {
				if ys, k4 := year(k3); k4 > k3 {
					add(ys, d)
					if len(out) > 0 {
						return ds, k4, out
					}
				}
			}
		}
	}
	return 0, 0, out
}

func indexByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
