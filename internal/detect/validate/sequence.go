package validate

// NotSequence rejects values whose digits are all the same ("000-00-0000")
// or a straight run up or down, wrapping 9→0 ("123456789", "1234567890",
// "987654321"): placeholders people type, not issued numbers. Values with
// fewer than two digits pass, as there is nothing to judge.
func NotSequence(value string) bool {
	d := Digits(value)
	if len(d) < 2 {
		return true
	}
	same, up, down := true, true, true
	for i := 1; i < len(d); i++ {
		same = same && d[i] == d[0]
		up = up && d[i] == (d[i-1]+1)%10
		down = down && d[i] == (d[i-1]+9)%10
	}
	return !same && !up && !down
}
