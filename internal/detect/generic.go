package detect

import (
	"bytes"
	"path"
	"strings"
)

// This file holds the judgement behind the generic `password = …` rule, the
// most common and the hardest credential to tell from code: the file type
// decides whether a bare word is a value or a variable, and placeholders,
// references and hashes of packages are not credentials.

// codeExts are languages in which a string literal needs quotes, so a bare
// right-hand side is a variable, a call or an expression, not a value.
var codeExts = map[string]bool{
	".py": true, ".pyi": true, ".js": true, ".jsx": true, ".ts": true, ".tsx": true, ".mjs": true, ".cjs": true,
	".java": true, ".kt": true, ".kts": true, ".scala": true, ".groovy": true, ".go": true, ".rb": true,
	".php": true, ".cs": true, ".vb": true, ".c": true, ".h": true, ".cc": true, ".cpp": true, ".hpp": true,
	".m": true, ".mm": true, ".swift": true, ".rs": true, ".dart": true, ".lua": true, ".pl": true, ".pm": true,
	".r": true, ".jl": true, ".ex": true, ".exs": true, ".erl": true, ".clj": true, ".fs": true, ".vue": true,
	".svelte": true, ".coffee": true, ".json": true, ".ipynb": true, ".sql": true,
}

// IsCodePath reports whether path names a source file whose string literals
// are quoted.
func IsCodePath(p string) bool { return codeExts[strings.ToLower(path.Ext(p))] }

// quoteOf returns the quote character around the value, or 0 when bare.
func quoteOf(c *Candidate) byte {
	vs, ve := c.value.start, c.value.end
	if vs == 0 || ve >= len(c.text) {
		return 0
	}
	q := c.text[vs-1]
	if (q == '"' || q == '\'' || q == '`') && c.text[ve] == q {
		return q
	}
	return 0
}

// checkAssignment accepts the value of a key = value assignment when the file
// type says it is a literal: quoted anywhere, bare only outside source code.
func checkAssignment(c *Candidate) bool {
	v := c.Value()
	quoted := quoteOf(c) != 0
	if !quoted && IsCodePath(c.Path) {
		return false
	}
	if IsPlaceholder(v) || (!quoted && IsReference(v)) {
		return false
	}
	return true
}

// placeholderWords are values that stand for "put your secret here".
var placeholderWords = []string{
	"changeme", "change_me", "change-me", "changeit", "password", "passwd", "secret", "token",
	"your_password", "yourpassword", "your-password", "mypassword", "my_password", "your_token",
	"your_api_key", "yourapikey", "your-api-key", "api_key", "apikey", "placeholder", "example",
	"dummy", "sample", "redacted", "removed", "hidden", "null", "none", "nil", "undefined", "true",
	"false", "empty", "todo", "fixme", "tbd", "n/a", "na", "default", "required", "optional", "string",
	"value", "test", "testing", "foo", "bar", "foobar", "qwerty", "<password>", "secret_key", "secretkey",
	"insert_here", "enter_password", "xxx",
}

// IsPlaceholder reports whether v is a template for a value rather than a
// value: <YOUR_KEY>, ${VAR}, {{ var }}, %(pass)s, $VAR, xxxx, ****, changeme …
func IsPlaceholder(v []byte) bool {
	s := strings.ToLower(strings.TrimSpace(string(v)))
	if len(s) < 3 {
		return true
	}
	for _, w := range placeholderWords {
		if s == w {
			return true
		}
	}
	switch {
	case strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">"),
		strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"),
		strings.HasPrefix(s, "${"), strings.HasPrefix(s, "$("), strings.HasPrefix(s, "#{"),
		strings.Contains(s, "{{"), strings.Contains(s, "%("), strings.HasPrefix(s, "%") && strings.HasSuffix(s, "%"),
		strings.HasPrefix(s, "@") && strings.HasSuffix(s, "@"):
		return true
	}
	if s[0] == '$' && isIdent(s[1:]) { // $VAR, $password
		return true
	}
	if repeated(s) {
		return true
	}
	for _, w := range []string{"your_", "your-", "yourown", "<your", "insert", "replace", "enter_", "put_your", "xxxx", "****", "...", "…"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// repeated reports whether s is one character repeated (xxxxxx, ******, 000000).
func repeated(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

// IsReference reports whether a bare value reads as code rather than a
// literal: a call (getPass()), a member or module path (self.password,
// os.environ), an environment or template reference.
func IsReference(v []byte) bool {
	s := string(bytes.TrimSpace(v))
	if s == "" {
		return true
	}
	if strings.ContainsAny(s, "()[]") {
		return true
	}
	if strings.HasPrefix(s, "$") || strings.HasPrefix(s, "%") || strings.HasPrefix(s, "&") || strings.HasPrefix(s, "*") {
		return true
	}
	// a.b.c made of identifiers: a member access or a module path
	if strings.Contains(s, ".") {
		all := true
		for _, part := range strings.Split(s, ".") {
			if !isIdent(part) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}
