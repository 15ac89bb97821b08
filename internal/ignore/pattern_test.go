package ignore

import (
	"strings"
	"testing"
)

// matchCase is one path checked against one ignore file's text.
type matchCase struct {
	patterns string // file content, lines separated by \n
	path     string
	dir      bool
	want     bool
}

func runCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, c := range cases {
		l, err := Parse(strings.NewReader(c.patterns), "", "t")
		if err != nil {
			t.Fatal(err)
		}
		got := (&Matcher{}).Push(l).Match(c.path, c.dir)
		if got != c.want {
			t.Errorf("patterns %q, path %q (dir=%v): ignored=%v, want %v", c.patterns, c.path, c.dir, got, c.want)
		}
	}
}

func TestSyntax(t *testing.T) {
	runCases(t, []matchCase{
		// blank lines and comments match nothing
		{"\n\n", "a", false, false},
		{"# a", "# a", false, false},
		{"#a", "#a", false, false},
		{`\#a`, "#a", false, true},
		// negation and its escape
		{"*.txt\n!keep.txt", "keep.txt", false, false},
		{"*.txt\n!keep.txt", "drop.txt", false, true},
		{"!keep.txt\n*.txt", "keep.txt", false, true}, // last match wins
		{`\!important!.txt`, "!important!.txt", false, true},
		{"!important!.txt", "important!.txt", false, false},
		// trailing spaces are dropped unless escaped
		{"foo   ", "foo", false, true},
		{"foo   ", "foo   ", false, false},
		{`foo\ `, "foo ", false, true},
		{`foo\ `, "foo", false, false},
		{`foo\\ `, `foo\`, false, true},
		// CRLF files and a BOM
		{"foo\r\nbar\r\n", "bar", false, true},
		{"\ufefffoo", "foo", false, true},
		// directory-only
		{"build/", "build", true, true},
		{"build/", "build", false, false},
		{"build/", "src/build", true, true},
		{"!/", "x", false, false},
	})
}

func TestAnchoring(t *testing.T) {
	runCases(t, []matchCase{
		// no slash: any depth, against the name
		{"secret.env", "secret.env", false, true},
		{"secret.env", "a/b/secret.env", false, true},
		{"secret.env", "secret.env.bak", false, false},
		// leading slash: only at the list's directory
		{"/secret.env", "secret.env", false, true},
		{"/secret.env", "a/secret.env", false, false},
		// middle slash anchors too
		{"a/secret.env", "a/secret.env", false, true},
		{"a/secret.env", "x/a/secret.env", false, false},
		{"/a/secret.env", "a/secret.env", false, true},
	})
}

func TestWildcards(t *testing.T) {
	runCases(t, []matchCase{
		{"*.log", "x.log", false, true},
		{"*.log", "d/x.log", false, true},
		{"*.log", "x.log.gz", false, false},
		{"*", "anything/at/all", false, true},
		{"a*c", "abbbc", false, true},
		{"a*c", "ac", false, true},
		{"a/*c", "a/b/c", false, false}, // '*' does not cross '/'
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"a/?", "a/é", false, true}, // '?' is one character, not one byte
		{"a?b", "a/b", false, false},
		{"*a*b*c*d*e*f*g*h*", strings.Repeat("a", 60) + "x", false, false},
		// classes
		{"f[oa]o", "fao", false, true},
		{"f[oa]o", "fuo", false, false},
		{"f[!oa]o", "fuo", false, true},
		{"f[^oa]o", "foo", false, false},
		{"x[a-c]", "xb", false, true},
		{"x[a-c]", "xd", false, false},
		{"x[c-a]", "xb", false, false}, // reversed range is empty
		{"x[]]", "x]", false, true},
		{"x[!]]", "xa", false, true},
		{"x[a-]", "x-", false, true},
		{`x[\]]`, "x]", false, true},
		{"x[[:digit:]]", "x7", false, true},
		{"x[[:digit:]]", "xa", false, false},
		{"x[[:upper:][:digit:]]", "xQ", false, true},
		{"x[[:nope:]]", "xa", false, false}, // unknown class: malformed
		{"x[abc", "x[abc", false, false},    // unclosed: malformed, matches nothing
		{"x[abc", "xa", false, false},
		{"a[/]b", "a/b", false, false}, // a class never matches '/'
		// escapes
		{`\*.txt`, "*.txt", false, true},
		{`\*.txt`, "a.txt", false, false},
		{`a\?`, "a?", false, true},
		{`a\`, "a", false, false}, // trailing backslash: malformed
	})
}

func TestDoubleStar(t *testing.T) {
	runCases(t, []matchCase{
		// leading "**/": at any depth
		{"**/foo", "foo", false, true},
		{"**/foo", "a/b/foo", true, true},
		{"**/foo/bar", "x/foo/bar", false, true},
		{"**/foo/bar", "foo/bar", false, true},
		{"**/foo/bar", "foo/x/bar", false, false},
		// trailing "/**": everything inside, not the directory itself
		{"abc/**", "abc/x", false, true},
		{"abc/**", "abc/x/y", true, true},
		{"abc/**", "abc", true, false},
		{"abc/**", "x/abc/y", false, false},
		// middle "/**/": zero or more directories
		{"a/**/b", "a/b", false, true},
		{"a/**/b", "a/x/b", false, true},
		{"a/**/b", "a/x/y/b", false, true},
		{"a/**/b", "a/xb", false, false},
		{"a/**/**/b", "a/b", false, true},
		// "**" alone, and "**/" for every directory
		{"**", "a/b", false, true},
		{"**/", "a/b", true, true},
		{"**/", "a/b", false, false},
		// "**" that is not a whole element is an ordinary star
		{"a**b", "axxb", false, true},
		{"a**b", "ax/xb", false, false},
		{"**foo", "xfoo", false, true},
		{"**foo", "d/xfoo", false, true},
		{"foo/**bar", "foo/xbar", false, true},
		{"foo/**bar", "foo/x/bar", false, false},
	})
}

// TestGitDocExamples checks the examples of the gitignore manual page
// (PATTERN FORMAT and EXAMPLES), written from their described behaviour.
func TestGitDocExamples(t *testing.T) {
	runCases(t, []matchCase{
		// "hello.*" matches any file or directory whose name begins with "hello."
		{"hello.*", "hello.c", false, true},
		{"hello.*", "src/hello.h", false, true},
		{"hello.*", "hello", false, false},
		// "doc/frotz/" matches doc/frotz but not a/doc/frotz; "frotz/" matches both
		{"doc/frotz/", "doc/frotz", true, true},
		{"doc/frotz/", "a/doc/frotz", true, false},
		{"frotz/", "frotz", true, true},
		{"frotz/", "a/frotz", true, true},
		// "doc/frotz" and "/doc/frotz" have the same effect
		{"doc/frotz", "doc/frotz", false, true},
		{"/doc/frotz", "doc/frotz", false, true},
		{"doc/frotz", "x/doc/frotz", false, false},
		// "foo/" matches a directory foo, not a regular file or symlink foo
		{"foo/", "foo", true, true},
		{"foo/", "foo", false, false},
		// "foo/*" matches foo/test.json and foo/bar, not foo/bar/hello.c
		{"foo/*", "foo/test.json", false, true},
		{"foo/*", "foo/bar", true, true},
		{"foo/*", "foo/bar/hello.c", false, false},
		// "/*.c" matches cat-file.c but not mozilla-sha1/sha1.c
		{"/*.c", "cat-file.c", false, true},
		{"/*.c", "mozilla-sha1/sha1.c", false, false},
	})
}

// walkIgnored reports whether a walker that prunes ignored directories
// would skip p: git's rule that nothing under an excluded directory can be
// re-included.
func walkIgnored(m *Matcher, p string, isDir bool) bool {
	parts := strings.Split(p, "/")
	for i := 1; i < len(parts); i++ {
		if m.Match(strings.Join(parts[:i], "/"), true) {
			return true
		}
	}
	return m.Match(p, isDir)
}

func TestGitDocOnlyFooBar(t *testing.T) {
	// "exclude everything except directory foo/bar"
	l, _ := Parse(strings.NewReader("/*\n!/foo\n/foo/*\n!/foo/bar\n"), "", "t")
	m := (&Matcher{}).Push(l)
	for p, want := range map[string]bool{
		"top.txt":         true,
		"foo":             false,
		"foo/x.txt":       true,
		"foo/bar":         false,
		"foo/bar/y.txt":   false,
		"other/bar/z.txt": true,
	} {
		isDir := p == "foo" || p == "foo/bar"
		if got := walkIgnored(m, p, isDir); got != want {
			t.Errorf("%s: ignored=%v, want %v", p, got, want)
		}
	}
	// A file in an excluded directory cannot be re-included.
	l, _ = Parse(strings.NewReader("logs/\n!logs/keep.log\n"), "", "t")
	if !walkIgnored((&Matcher{}).Push(l), "logs/keep.log", false) {
		t.Error("logs/keep.log re-included under an excluded directory")
	}
}
