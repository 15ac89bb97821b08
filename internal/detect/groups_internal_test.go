package detect

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/rules"
)

// TestByteSplit holds the groups byteSplit reads off a match's bounds to
// those Go's regexp finds, for every built-in rule of the form it takes:
// on every match in the rules' examples, alone and run together with
// separators of every kind (word bytes, punctuation, non-ASCII), so that
// values stand against all sorts of neighbours.
func TestByteSplit(t *testing.T) {
	rs := rules.Builtin()
	var texts []string
	for _, r := range rs {
		for _, ex := range append(append([]rules.Example{}, r.Examples...), r.NegativeExamples...) {
			texts = append(texts, ex.Text)
		}
	}
	seps := []string{" ", "", ".", ":", "/", "a", "_", "0", "=", "\n", "é", "-", "'", "\"", "@", "/24 ", ":8080 "}
	r := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	for range 4 {
		for _, i := range r.Perm(len(texts)) {
			b.WriteString(texts[i])
			b.WriteString(seps[r.IntN(len(seps))])
		}
	}
	texts = append(texts, b.String())
	split, matches := 0, 0
	for _, rule := range rs {
		if rule.Pattern == "" {
			continue
		}
		tree, err := syntax.Parse(rule.Pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		bs := newByteSplit(tree)
		if bs == nil {
			continue
		}
		split++
		re := regexp.MustCompile(rule.Pattern)
		for _, text := range texts {
			for _, m := range re.FindAllSubmatchIndex([]byte(text), -1) {
				matches++
				if got := bs.groups([]byte(text), m[0], m[1]); !reflect.DeepEqual(got, m) {
					t.Errorf("%s: match %q: split %v, regexp %v", rule.ID, text[m[0]:m[1]], got, m)
				}
			}
		}
	}
	if split < 100 || matches < 1000 {
		t.Errorf("%d rules split, %d matches checked: the test no longer exercises the split", split, matches)
	}
	for _, ipv4 := range []string{"ipv4-address", "iban", "uuid-value"} {
		if i := slices.IndexFunc(rs, func(r rules.Rule) bool { return r.ID == ipv4 }); i < 0 || newByteSplit(mustParse(t, rs[i].Pattern)) == nil {
			t.Errorf("%s: no split", ipv4)
		}
	}
}

// TestByteSplitRefuses lists patterns whose bytes do not decide where the
// value lies.
func TestByteSplitRefuses(t *testing.T) {
	for _, p := range []string{
		`[a-z]+(?P<value>[a-z0-9]+)`,         // a prefix byte may begin a value
		`(?P<value>[0-9]+)(?:[0-9]{2})`,      // the suffix begins with a value byte
		`x(?:(?P<value>[0-9]+))?`,            // the group is nested
		`x(?P<value>[0-9]*)`,                 // the value may be empty
		`x(?P<key>[a-z]+)=(?P<value>[0-9]+)`, // two groups
		`(?P<value>[0-9]+)|x`,                // not a concatenation at the top
	} {
		if newByteSplit(mustParse(t, p)) != nil {
			t.Errorf("%s: split", p)
		}
	}
	if newByteSplit(mustParse(t, `(?:^|[^\w])(?P<value>[0-9]{3}-[0-9]{2})(?:/[0-9])?\b`)) == nil {
		t.Error("prefix (value) suffix: no split")
	}
}

func mustParse(t *testing.T, p string) *syntax.Regexp {
	t.Helper()
	tree, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
