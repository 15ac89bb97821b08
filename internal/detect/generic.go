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

// docExts are prose: documentation, notes, web pages.
var docExts = map[string]bool{".md": true, ".markdown": true, ".rst": true, ".txt": true, ".adoc": true,
	".html": true, ".htm": true, ".tex": true, ".org": true, ".rtf": true, ".log": true}

// IsConfigPath reports whether path names a configuration file: the values
// in it are used as written, so even a weak-looking password is the
// password. Files without an extension (.netrc, .pgpass, .bashrc, config)
// count as configuration; source code and prose do not. JSON is data: a
// value there is quoted like code but used like configuration.
func IsConfigPath(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	if ext == ".json" {
		return true
	}
	return !codeExts[ext] && !docExts[ext]
}

// quoteOf returns the quote character around the value, or 0 when bare.
func quoteOf(c *Candidate) byte {
	vs, ve := c.value.start, c.value.end
	if vs == 0 || ve >= len(c.text) {
		return 0
	}
	q := c.text[vs-1]
	if q != '"' && q != '\'' && q != '`' {
		return 0
	}
	if c.text[ve] == q || c.text[ve] == '\\' && ve+1 < len(c.text) && c.text[ve+1] == q { // "v" or \"v\" inside a string
		return q
	}
	return 0
}

// checkAssignment accepts the value of a key = value assignment when the file
// type says it is a literal (quoted anywhere, bare only outside source code)
// and the value reads as a secret rather than as prose, a path, a setting or
// a template.
func checkAssignment(c *Candidate) bool {
	v := c.Value()
	quoted := quoteOf(c) != 0
	if !quoted && IsCodePath(c.Path) {
		return false
	}
	if IsPlaceholder(v) || (!quoted && IsReference(v)) || echoesKey(c.Group("key"), v) {
		return false
	}
	if notASecret(string(v)) {
		// In configuration a weak or sample-looking value is still what
		// the service is configured with: report it, with less certainty.
		// In code and prose it is a stand-in.
		if !IsConfigPath(c.Path) || !weakButReal(string(v)) {
			return false
		}
		c.Doubt()
	}
	return true
}

// weakButReal reports whether a value that notASecret doubts could still be
// a configured password: a single token without spaces, paths, addresses or
// template syntax — "password123", "dummy-pass", "sampleHerokuKey".
func weakButReal(v string) bool {
	l := strings.ToLower(v)
	if len(v) < 4 || len(v) > 64 || settingWords[l] || isSnakeWords(v) || isQualifiedName(v) {
		return false
	}
	if strings.ContainsAny(v, " \t{}<>|/@") || strings.HasPrefix(l, "http") || strings.HasPrefix(v, "$") {
		return false
	}
	for _, ext := range pathExts {
		if strings.HasSuffix(l, ext) {
			return false
		}
	}
	return true
}

// settingWords are values that configure rather than authenticate:
// `credentials: 'omit'`, `MYSQL_ALLOW_EMPTY_PASSWORD: yes`, `token_type: bearer`.
var settingWords = map[string]bool{
	"yes": true, "no": true, "on": true, "off": true, "omit": true, "include": true, "same-origin": true,
	"bearer": true, "basic": true, "digest": true, "oauth": true, "oauth2": true, "jwt": true, "hmac": true,
	"plain": true, "plaintext": true, "text": true, "hidden": true, "public": true, "private": true,
	"secure": true, "insecure": true, "auto": true, "manual": true, "enabled": true, "disabled": true,
	"enable": true, "disable": true, "boolean": true, "bool": true, "int": true, "integer": true,
	"number": true, "object": true, "array": true, "any": true, "unknown": true, "invalid": true,
	"expired": true, "always": true, "never": true, "sha1": true, "sha256": true, "sha512": true, "md5": true,
	"bcrypt": true, "argon2": true, "post": true, "get": true, "header": true, "query": true, "body": true,
	"cookie": true, "session": true, "random": true, "generated": true, "admin": true, "root": true, "user": true,
	"username": true, "guest": true, "anonymous": true, "local": true, "remote": true, "file": true, "env": true,
	"auth": true, "access": true, "refresh": true,
}

// hashPrefixes start password hashes (crypt, bcrypt, argon2, LDAP schemes):
// a stored hash is not the credential, and credential files that list
// hashes (.htpasswd, shadow) have rules of their own.
var hashPrefixes = []string{"$argon2", "$2a$", "$2b$", "$2y$", "$1$", "$5$", "$6$", "$apr1$", "$pbkdf2", "$scrypt", "{ssha}", "{sha}", "{bcrypt}", "pbkdf2_sha256$", "pbkdf2:sha256"}

// giveaways are substrings that mark a value as a name, a template or a test
// stand-in: a real secret does not spell out that it is one.
var giveaways = []string{
	"password", "passwd", "secret", "token", "example", "dummy", "fake", "sample", "placeholder",
	"removed", "redacted", "invalid", "changeme", "your", "12345", "abcdef", "qwerty", "lorem", "test",
	"\\x", "\\u",
}

// pathExts end values that name a file rather than hold a key.
var pathExts = []string{".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".jks", ".json", ".txt",
	".yml", ".yaml", ".xml", ".env", ".ini", ".conf", ".cfg", ".properties", ".pub", ".gpg", ".asc", ".html", ".js", ".py"}

// notASecret reports whether a literal assigned to a secret-named key is
// evidently something else: prose, a file path, an e-mail address, a URL
// without credentials, a setting, a snake_case name, a type expression.
func notASecret(v string) bool {
	l := strings.ToLower(v)
	if len(v) < 4 || settingWords[l] {
		return true
	}
	if strings.ContainsAny(v, " \t{}<>|") {
		return true
	}
	for _, g := range giveaways {
		if strings.Contains(l, g) {
			return true
		}
	}
	for _, ext := range pathExts {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "file:") {
		return true
	}
	if at := strings.IndexByte(v, '@'); at > 0 && strings.Contains(v[at:], ".") && !strings.ContainsAny(v[:at], ":/") {
		return true // an e-mail address
	}
	if isSnakeWords(v) || isQualifiedName(v) {
		return true
	}
	for _, h := range hashPrefixes {
		if strings.HasPrefix(l, h) {
			return true
		}
	}
	return false
}

// isQualifiedName reports whether v is word:word, the shape of permission
// and action names (cognito-idp:InitiateAuth, token:software, arn:role).
func isQualifiedName(v string) bool {
	i := strings.IndexByte(v, ':')
	if i <= 0 || i == len(v)-1 || strings.Count(v, ":") > 1 {
		return false
	}
	word := func(s string) bool {
		for j := 0; j < len(s); j++ {
			if !isLetter(s[j]) && s[j] != '-' {
				return false
			}
		}
		return true
	}
	return word(v[:i]) && word(v[i+1:])
}

// echoesKey reports whether the value only repeats part of its key's name
// (codeBadAuth = "badauth", "access_token": "access"): a label, not a secret.
func echoesKey(key, value []byte) bool {
	norm := func(b []byte) string {
		out := make([]byte, 0, len(b))
		for _, c := range bytes.ToLower(b) {
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				out = append(out, c)
			}
		}
		return string(out)
	}
	k, v := norm(key), norm(value)
	return len(v) >= 3 && strings.Contains(k, v)
}

// isSnakeWords reports whether v is letters joined by underscores
// (favorite_character, A_BEAUTIFUL_JOIN_TOKEN): a name, not a secret.
func isSnakeWords(v string) bool {
	if !strings.Contains(v, "_") {
		return false
	}
	for _, part := range strings.Split(v, "_") {
		if part == "" {
			return false
		}
		for i := 0; i < len(part); i++ {
			if !isLetter(part[i]) {
				return false
			}
		}
	}
	return true
}

// placeholderWords are values that stand for "put your secret here".
var placeholderWords = []string{
	"changeme", "change_me", "change-me", "changeit", "password", "passwd", "pass", "pwd", "secret", "token",
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
