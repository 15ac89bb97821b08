package validate

// verhoeff reports whether the digit string s carries a valid Verhoeff check
// digit (dihedral group D5), which catches every single-digit error and every
// adjacent transposition.
func verhoeff(s string) bool {
	// d is the D5 multiplication table, p the position permutation.
	d := [10][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
		{5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
		{7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	p := [8][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
		{4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
		{7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
	if !isDigits(s) {
		return false
	}
	c := byte(0)
	for i := 0; i < len(s); i++ {
		c = d[c][p[i%8][s[len(s)-1-i]-'0']]
	}
	return c == 0
}

// mod11x10Check returns the ISO 7064 MOD 11,10 check digit for the digit
// string s (used by the German tax id).
func mod11x10Check(s string) int {
	p := 10
	for i := 0; i < len(s); i++ {
		t := (int(s[i]-'0') + p) % 10
		if t == 0 {
			t = 10
		}
		p = (2 * t) % 11
	}
	c := 11 - p
	if c == 10 {
		c = 0
	}
	return c
}

// mod11x2Check returns the ISO 7064 MOD 11-2 check value (0..10, where 10 is
// written X) for the digit string s (used by the Chinese resident id).
func mod11x2Check(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r + int(s[i]-'0')) * 2 % 11
	}
	return (12 - r) % 11
}
