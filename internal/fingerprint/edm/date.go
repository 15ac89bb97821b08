package edm

import "strings"

// ymd is a calendar date.
type ymd struct{ y, m, d int }

func (d ymd) valid() bool {
	if d.y < 1800 || d.y > 2199 || d.m < 1 || d.m > 12 || d.d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[d.m-1]
	if d.m == 2 && d.y%4 == 0 && (d.y%100 != 0 || d.y%400 == 0) {
		days = 29
	}
	return d.d <= days
}

// appendKey appends the date as YYYYMMDD, the form that is hashed.
func (d ymd) appendKey(b []byte) []byte {
	return append(b,
		byte('0'+d.y/1000), byte('0'+d.y/100%10), byte('0'+d.y/10%10), byte('0'+d.y%10),
		byte('0'+d.m/10), byte('0'+d.m%10), byte('0'+d.d/10), byte('0'+d.d%10))
}

// numericDates lists the readings of three numbers a·b·c written with one
// separator: year first when a has four digits, else day-month-year and
// month-day-year, with a two-digit year in both centuries. order, when set,
// keeps only that reading (registration); text keeps all of them.
func numericDates(a, b, c, la, lb, lc int, order DateOrder, out []ymd) []ymd {
	add := func(d ymd) {
		if d.valid() {
			for _, x := range out {
				if x == d {
					return
				}
			}
			out = append(out, d)
		}
	}
	switch {
	case la == 4 && lb <= 2 && lc <= 2:
		add(ymd{a, b, c})
	case la <= 2 && lb <= 2 && (lc == 4 || lc == 2):
		years := []int{c}
		if lc == 2 {
			years = []int{1900 + c, 2000 + c}
			if order != "" { // one reading at registration: a fixed pivot
				years = years[:1]
				if c < 30 {
					years[0] = 2000 + c
				}
			}
		}
		for _, y := range years {
			if order != MDY {
				add(ymd{y, b, a})
			}
			if order != DMY {
				add(ymd{y, a, b})
			}
		}
		if order != "" && len(out) == 0 { // the column's order does not fit: try the other
			for _, y := range years {
				add(ymd{y, b, a})
				add(ymd{y, a, b})
			}
		}
	}
	return out
}

// monthOf recognises English month names and their abbreviations, folded.
func monthOf(w []byte) int {
	if len(w) < 3 || len(w) > 9 || !indexByte("jfmasond", w[0]) {
		return 0
	}
	months := [...]string{"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november", "december"}
	for i, m := range months {
		if string(w) == m || (len(w) == 3 && m[:3] == string(w)) || (string(w) == "sept" && i == 8) {
			return i + 1
		}
	}
	return 0
}

// parseDate reads a registered date in any of the forms the matcher finds
// in text: 2014-11-24, 11/24/2014 (or 24/11/2014 per order), 24.11.14,
// 20141124, Nov 24, 2014, 24 November 2014, 24-NOV-2014, with an optional
// time after it.
func parseDate(s string, order DateOrder) (ymd, bool) {
	s = strings.TrimSpace(s)
	b := []byte(s)
	var nums [3]int
	var lens [3]int
	var seps [2]byte
	n, i := 0, 0
	for n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '9' {
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' && j-i < 8 {
			nums[n] = nums[n]*10 + int(b[j]-'0')
			j++
		}
		lens[n] = j - i
		n++
		if n < 3 && j+1 < len(b) && (b[j] == '/' || b[j] == '-' || b[j] == '.') {
			seps[n-1] = b[j]
			i = j + 1
			continue
		}
		i = j
		break
	}
	if n == 3 && seps[0] == seps[1] && (i == len(b) || b[i] == ' ' || b[i] == 'T') {
		if ds := numericDates(nums[0], nums[1], nums[2], lens[0], lens[1], lens[2], order, nil); len(ds) > 0 {
			return ds[0], true
		}
	}
	if n == 1 && lens[0] == 8 && i == len(b) {
		d := ymd{nums[0] / 10000, nums[0] / 100 % 100, nums[0] % 100}
		return d, d.valid()
	}
	// Month names, read as the matcher reads them in text.
	for k := 0; k < len(b); k++ {
		if isLetterByte(b[k]) && (k == 0 || !isLetterByte(b[k-1])) {
			e := k
			for e < len(b) && isLetterByte(b[e]) {
				e++
			}
			w := []byte(strings.ToLower(s[k:e]))
			if m := monthOf(w); m != 0 {
				if _, _, ds := monthDates(b, k, e, m, order, nil); len(ds) > 0 {
					return ds[0], true
				}
			}
			k = e
		}
	}
	return ymd{}, false
}

func isLetterByte(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
