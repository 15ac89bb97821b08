package detect

import "github.com/leakguard/leakguard/internal/detect/validate"

// A number can be written in groups ("134-464-720", "317 133 450") or as
// one run of digits ("134464720"). A run of eight or nine digits that
// passes a check digit is one in eleven of all such runs (budget figures
// in an export, ids, amounts), so some rules report it only beside a word
// that names it, and the grouped form alone; the two checks tell the forms
// apart.

// grouped reports whether a separator (validate.IsSeparator) stands
// between two digits of v.
func grouped(v []byte) bool {
	digit, sep := false, false
	for _, r := range string(v) {
		switch {
		case r >= '0' && r <= '9':
			if digit && sep {
				return true
			}
			digit, sep = true, false
		case validate.IsSeparator(r):
			sep = digit
		default:
			sep = false
		}
	}
	return false
}

// ungrouped reports whether v holds digits and no separator between two
// of them: the complement of grouped for a value with digits.
func ungrouped(v []byte) bool {
	return countDigits(v) > 0 && !grouped(v)
}
