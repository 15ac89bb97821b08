package detect

import (
	"regexp/syntax"
	"testing"
)

func TestValueAtStart(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    bool
	}{
		{`\b(?P<value>[0-9]{9})x`, true},
		{`(?m)^\b(?P<value>[0-9]{9})`, true},           // assertions first
		{`\b[0-9]{9}\b`, true},                         // the whole match
		{`([0-9]{9})\b`, true},                         // group 1 stands for the value
		{`(?:\b(?P<value>a+)|(?P<value_s>b+)c)`, true}, // each branch starts with one
		{`((?P<value>a+)b)c`, true},                    // inside a group at the start
		{`x(?P<value>[0-9]{9})`, false},
		{`x([0-9]{9})`, false},
		{`(?:a)?(?P<value>b)`, false},             // an optional part may come first
		{`(?:(?P<value>a),)+`, false},             // a repetition's later values
		{`\b(?P<value>a)|x(?P<value_s>b)`, false}, // one branch leads with other text
		{`(?P<value>a)(?P<value_s>b)`, false},
	} {
		re, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := valueAtStart(re, valueGroups(re.CapNames())); got != c.want {
			t.Errorf("valueAtStart(%s) = %v, want %v", c.pattern, got, c.want)
		}
	}
}
