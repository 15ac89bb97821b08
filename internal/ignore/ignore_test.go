package ignore

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func mustParse(t *testing.T, text, base, name string) *List {
	t.Helper()
	l, err := Parse(strings.NewReader(text), base, name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestStack checks that lists apply under their own directory only and that
// a deeper list overrides a shallower one.
func TestStack(t *testing.T) {
	root := mustParse(t, "*.log\nsecrets/\n", "", ".leakguardignore")
	sub := mustParse(t, "!keep.log\n/local.txt\n", "sub", "sub/.leakguardignore")
	subDot := mustParse(t, "!keep.log\n", "./sub/", "x")
	m := (*Matcher)(nil).Push(root).Push(sub)
	cases := []struct {
		path string
		dir  bool
		want bool
	}{
		{"a.log", false, true},
		{"keep.log", false, true}, // the negation lives in sub/
		{"sub/keep.log", false, false},
		{"sub/deep/keep.log", false, false},
		{"sub/other.log", false, true},
		{"subway/keep.log", false, true}, // "sub" is not a prefix of "subway/"
		{"sub/local.txt", false, true},   // anchored to sub/
		{"local.txt", false, false},
		{"sub/x/local.txt", false, false},
		{"sub/secrets", true, true},
		{"sub", true, false},
	}
	for _, c := range cases {
		if got := m.Match(c.path, c.dir); got != c.want {
			t.Errorf("%s: ignored=%v, want %v", c.path, got, c.want)
		}
	}
	if got := (*Matcher)(nil).Push(root).Push(subDot).Match("sub/keep.log", false); got {
		t.Error(`base "./sub/" not normalised to "sub"`)
	}
	if (*Matcher)(nil).Match("x", false) {
		t.Error("nil matcher matched")
	}
}

func TestPushEmptyKeepsMatcher(t *testing.T) {
	m := (*Matcher)(nil).Push(mustParse(t, "a", "", "t"))
	if m.Push(nil) != m || m.Push(mustParse(t, "# only a comment\n\n", "", "t")) != m {
		t.Error("pushing an empty list made a new matcher")
	}
}

func TestDecideReportsSource(t *testing.T) {
	l := mustParse(t, "# header\n\n*.pem\n!ok.pem\n", "conf", "conf/.leakguardignore")
	if l.Len() != 2 {
		t.Fatalf("Len = %d, want 2", l.Len())
	}
	p := l.Decide("conf/x/key.pem", false)
	if p == nil || p.Negated() || p.String() != "*.pem" || p.Source() != "conf/.leakguardignore:3" {
		t.Fatalf("Decide = %v", p)
	}
	p = l.Decide("conf/ok.pem", false)
	if p == nil || !p.Negated() || p.Source() != "conf/.leakguardignore:4" {
		t.Fatalf("Decide(ok.pem) = %v", p)
	}
	if p := l.Decide("key.pem", false); p != nil {
		t.Errorf("pattern from conf/ applied at the root: %v", p.Source())
	}
	if p := l.Decide("conf", true); p != nil {
		t.Errorf("list applied to its own directory: %v", p.Source())
	}
}

func TestCompile(t *testing.T) {
	l := Compile([]string{"*.tmp", "!x.tmp", "  ", "# c", "/build/"}, "", "--exclude")
	m := (*Matcher)(nil).Push(l)
	if !m.Match("a/b.tmp", false) || m.Match("x.tmp", false) || !m.Match("build", true) || m.Match("a/build", true) {
		t.Error("Compile patterns misbehave")
	}
	if p := l.Decide("build", true); p == nil || p.Source() != "--exclude:5" {
		t.Errorf("Source = %v", p)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	if _, err := Parse(iotest.TimeoutReader(strings.NewReader("a\n")), "", "t"); err == nil {
		t.Fatal("read error after a first line not returned")
	}
	if _, err := Parse(iotest.ErrReader(boom), "", "t"); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestParseNoTrailingNewline(t *testing.T) {
	l := mustParse(t, "a\nb", "", "t")
	if l.Len() != 2 || !(*Matcher)(nil).Push(l).Match("b", false) {
		t.Error("last line without newline lost")
	}
}
