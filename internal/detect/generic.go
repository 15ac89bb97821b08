package detect

import (
	"bytes"
	"path"
	"strings"
	"unicode"

	"github.com/leakguard/leakguard/internal/detect/validate"
)

// This file holds the judgement behind the generic `password = …` rule, the
// most common and the hardest credential to tell from code: the file type
// decides whether a bare word is a value or a variable (and a bare value in
// code counts only inside a string or a comment); placeholders, references,
// names, filler and hashes of packages are not credentials; a weak password
// in configuration is still the configured one, reported with less
// certainty; a key that is merely "…key" needs a value shaped like key
// material. generic_detail.go judges the connection details around a
// credential.

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
	key := c.Group("key")
	if json := c.Group("value_json"); json != nil {
		// A secret-named key holding a JSON document in a string (a
		// service-account blob, an API token object): the credential is
		// the random string inside it.
		return embeddedSecret(string(json))
	}
	quoted := quoteOf(c) != 0
	if !quoted && IsCodePath(c.Path) && !literalInCode(c) {
		return false
	}
	if IsCodePath(c.Path) && standInKey(key) && !looksGenerated(string(v)) {
		// mockApiToken = "abc1": named a stand-in and shaped like one.
		// A realistic value is a real credential even in a test.
		return false
	}
	if !quoted && string(c.Group("sep")) == ":" && oneString(c) {
		return false // "token:hardware", 'scope:read': one string, a name
	}
	if string(c.Group("sep")) == "(" {
		// setAuthToken("…") hands a literal over; getToken("github") names
		// one, and SetBasicAuth("user", "pass") starts with the user. A
		// setter's sole argument must look generated: set_password("alice")
		// in a test is a stand-in.
		if !quoted || !isSetter(key) || !soleArgument(c) || !looksGenerated(string(v)) {
			return false
		}
	}
	if IsPlaceholder(v) || (!quoted && IsReference(v) && !(IsConfigPath(c.Path) && (looksGenerated(string(v)) || randomCase(string(v))))) {
		// In a config file a bare a.b value is a reference to another
		// setting only when it reads as names; "FT0hFqC.rF4YD8" is a
		// password that happens to hold a dot.
		return false
	}
	s := string(v)
	if !secretKey(key) {
		// "key", "tenant_key", "cache_key": most such keys index maps and
		// tables. Only a value with the shape of generated key material
		// makes one a secret, and even then less surely.
		if notSecretKeyName(key) || notASecret(s, key) || !looksLikeKeyMaterial(s) {
			return false
		}
		c.Doubt()
		return true
	}
	if !quoted && IsCodePath(c.Path) && len(v) < 6 {
		return false // in a query string or a comment, "abc" is a stand-in
	}
	if notASecret(s, key) || echoesKey(key, v) {
		// In configuration a weak or sample-looking value is still what
		// the service is configured with (`SMTP_PASS=smtp_pass`,
		// `password: my_password`): report it, with less certainty. In
		// code and prose it is a stand-in.
		if !IsConfigPath(c.Path) || !weakButReal(s, key) {
			return false
		}
		c.Doubt()
	}
	return true
}

// secretQualifiers are the words that make a "…key" key name a secret key
// (api_key, clientSecretKey, x-api-key), and secretWords the words that make
// any key a secret's.
var (
	secretQualifiers = []string{"api", "secret", "private", "access", "auth", "encryption", "encrypt",
		"signing", "master", "app", "application", "client", "consumer", "integration", "account",
		"storage", "shared", "session", "license", "hmac", "validation", "cipher", "aes", "token", "jwt",
		"rsa", "ssh", "gpg", "pgp", "subscription", "service"}
	secretWords = []string{"pass", "pwd", "pw", "secret", "token", "auth", "credential", "salt", "verifier", "signature"}
)

// secretKey reports whether key names a secret outright, rather than being
// merely some "…key".
func secretKey(key []byte) bool {
	k := strings.ToLower(string(key))
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	k = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, k)
	for _, suffix := range []string{"key", "keys", "keyvalue", "keystr", "keystring", "keyb64", "keybase64", "keyhex", "keyenc", "keyencrypted"} {
		if base, ok := strings.CutSuffix(k, suffix); ok {
			base = strings.TrimRight(base, "0123456789")
			for _, q := range secretQualifiers {
				if strings.HasSuffix(base, q) {
					return true
				}
			}
		}
	}
	return false
}

// notSecretKeyName reports whether a "…key" name says its value is not a
// secret: a public or wrapped (encrypted) key, or a list of key names.
func notSecretKeyName(key []byte) bool {
	k := strings.ToLower(string(key))
	for _, w := range []string{"public", "pub_", "pubkey", "encrypted", "wrapped", "keys"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// looksLikeKeyMaterial reports whether v has the shape of generated key
// material: 16 to 128 characters of a base64 or hex alphabet, letters and
// digits mixed, and near-random.
func looksLikeKeyMaterial(v string) bool {
	if len(v) < 16 || len(v) > 128 || !hasDigitAndLetter(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isLetter(c) && (c < '0' || c > '9') && !strings.ContainsRune("+/=_-", rune(c)) {
			return false
		}
	}
	var upper, lower, hex bool
	hex = len(v) >= 32
	for i := 0; i < len(v); i++ {
		c := v[i]
		upper = upper || c >= 'A' && c <= 'Z'
		lower = lower || c >= 'a' && c <= 'z'
		hex = hex && (c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')
	}
	// Mixed case and digits, or a long hex string: names and words are
	// neither.
	return (upper && lower || hex) && validate.Entropy(v) >= 3.3
}

// literalInCode reports whether a bare value in source code is written
// inside a string or a comment, where it is text rather than a variable: a
// URL query parameter (`?oauth_token=…&`), a line after an escaped newline
// ("LOGIN=ops\nPASSWORD=…"), or a comment line documenting a setting
// (`//   password: …`).
func literalInCode(c *Candidate) bool {
	start := c.match[0]
	ks := start
	if i := c.groupIndex("key"); i >= 0 && c.match[2*i] >= 0 {
		ks = c.match[2*i]
	}
	if ks > 0 && (c.text[ks-1] == '?' || c.text[ks-1] == '&') {
		return true
	}
	if ve := c.value.end; ve < len(c.text) && c.text[ve] == '&' {
		return true
	}
	// After an escaped newline or tab the key group starts with its letter:
	// \nPASS=… matches as key "nPASS" behind the backslash.
	if ks >= 1 && c.text[ks-1] == '\\' && (c.text[ks] == 'n' || c.text[ks] == 't') {
		return true
	}
	// In a comment, prose runs on after a word ("Second pass: merge
	// match."); a documented setting ends its line.
	return isCommentLine(c.text, start) && endsLine(c.text[c.value.end:])
}

// endsLine reports whether rest, the text after a value, holds nothing more
// on its line than spaces, punctuation or the end of a comment.
func endsLine(rest []byte) bool {
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	rest = bytes.TrimSpace(rest)
	for _, end := range []string{"*/", "-->", ",", ";", "."} {
		rest = bytes.TrimSuffix(rest, []byte(end))
	}
	return len(bytes.TrimSpace(rest)) == 0
}

// standInKey reports whether a key's name says its value is a stand-in.
func standInKey(key []byte) bool {
	k := strings.ToLower(string(key))
	for _, w := range []string{"fake", "dummy", "mock", "example", "sample", "placeholder", "bogus", "invalid", "wrong", "bad"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// oneString reports whether a bare key:value is written inside one quoted
// string with nothing else ("token:hardware"): a qualified name.
func oneString(c *Candidate) bool {
	i := c.groupIndex("key")
	if i < 0 || c.match[2*i] < 1 || c.value.end >= len(c.text) {
		return false
	}
	q := c.text[c.match[2*i]-1]
	return (q == '"' || q == '\'') && c.text[c.value.end] == q
}

// soleArgument reports whether the quoted value closes the call: f("v").
func soleArgument(c *Candidate) bool {
	rest := bytes.TrimLeft(c.text[min(c.value.end+1, len(c.text)):min(c.value.end+9, len(c.text))], " \t")
	return len(rest) > 0 && rest[0] == ')'
}

// looksGenerated reports whether v has the length and mix of a generated
// secret rather than a word a person typed.
func looksGenerated(v string) bool {
	return len(v) >= 12 && hasDigitAndLetter(v) && validate.Entropy(v) >= 3.0
}

// randomCase reports whether v switches between capitals and small letters
// the way a generated password does (BXiJxWTNsxQ.r: six switches in eleven
// letters) and not the way an identifier does (springDatasourcePassword:
// four in twenty-four, os.environ: none): at least four switches, one for
// every four letters or fewer. In a configuration file such a value is a
// literal even when, dotted, it reads like a member access.
func randomCase(v string) bool {
	letters, switches := 0, 0
	prev := byte(0) // 'u', 'l' or 0 after a non-letter
	for i := 0; i < len(v); i++ {
		c := v[i]
		var k byte
		switch {
		case c >= 'A' && c <= 'Z':
			k = 'u'
		case c >= 'a' && c <= 'z':
			k = 'l'
		}
		if k != 0 {
			letters++
			if prev != 0 && k != prev {
				switches++
			}
		}
		prev = k
	}
	return switches >= 4 && switches*4 >= letters
}

// isCommentLine reports whether the line holding text[i] starts with a
// comment marker (//, #, *, /*, --, ;, %), so that the text before i is a
// comment.
func isCommentLine(text []byte, i int) bool {
	lo := max(i-512, 0)
	line := text[lo:i]
	if j := bytes.LastIndexByte(line, '\n'); j >= 0 {
		line = line[j+1:]
	} else if lo > 0 {
		return false
	}
	line = bytes.TrimLeft(line, " \t")
	for _, m := range []string{"//", "#", "*", "/*", "--", ";", "%", "<!--"} {
		if bytes.HasPrefix(line, []byte(m)) {
			return true
		}
	}
	return false
}

// isSetter reports whether key, the name of a called function, hands a value
// over (setAuthToken, with_password, SetPassword) rather than asking for one.
func isSetter(key []byte) bool {
	k := strings.ToLower(string(key))
	if i := strings.LastIndexAny(k, ".>:"); i >= 0 {
		k = k[i+1:]
	}
	return strings.HasPrefix(k, "set") || strings.HasPrefix(k, "with") || strings.HasPrefix(k, "use")
}

// embeddedSecret reports whether a JSON document written as a string
// literal ({\"k\":\"v\", …}) carries a random-looking string value: a
// token, not a template of field names.
func embeddedSecret(doc string) bool {
	for _, part := range strings.FieldsFunc(doc, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+/=_-.", r))
	}) {
		if len(part) >= 16 && len(part) <= 256 && hasDigitAndLetter(part) && validate.Entropy(part) >= 3.0 && !IsPlaceholder([]byte(part)) {
			return true
		}
	}
	return false
}

func hasDigitAndLetter(s string) bool {
	var d, l bool
	for i := 0; i < len(s); i++ {
		d = d || s[i] >= '0' && s[i] <= '9'
		l = l || isLetter(s[i])
	}
	return d && l
}

// passwordKey reports whether a key names a password or passphrase, whose
// values are chosen by people: words joined by underscores or spaces are
// normal there, while a token or key is random.
func passwordKey(key []byte) bool {
	k := strings.ToLower(string(key))
	for _, w := range []string{"pass", "pwd", "pw", "secret"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// weakButReal reports whether a value that notASecret doubts could still be
// a configured password: a single token without spaces, paths, addresses or
// template syntax — "secret42", "test-pass", "demoApiKey", and under a
// password key "smtp_pass".
func weakButReal(v string, key []byte) bool {
	l := strings.ToLower(v)
	if len(v) < 4 || len(v) > 64 || settingWords[l] || isQualifiedName(v) || isSnakeWords(v) && !passwordKey(key) || isFiller(v) || !isASCII(v) {
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
	"auth": true, "access": true, "refresh": true, "function": true, "string": true, "symbol": true,
	"undefined": true,
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
	"passphrase", "apikey", "api_key", "here",
	"\\x", "\\u",
}

// pathExts end values that name a file rather than hold a key.
var pathExts = []string{".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".jks", ".json", ".txt",
	".yml", ".yaml", ".xml", ".env", ".ini", ".conf", ".cfg", ".properties", ".pub", ".gpg", ".asc", ".html", ".js", ".py"}

// notASecret reports whether a literal assigned to a secret-named key is
// evidently something else: prose, a file path, an e-mail address, a URL
// without credentials, a setting, a snake_case name, a type expression.
// Under a password key, words joined by underscores or a short phrase are
// what people choose as passwords and passphrases, not names.
func notASecret(v string, key []byte) bool {
	l := strings.ToLower(v)
	if len(v) < 4 || settingWords[l] {
		return true
	}
	if strings.ContainsAny(v, "\t{}|") || strings.Contains(v, " ") && !isPassphrase(v, key) {
		return true
	}
	if strings.HasPrefix(v, "<") || strings.Contains(v, "</") || strings.Contains(v, "<%") || strings.Contains(v, "/>") {
		return true // markup or a template tag, not a value
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
	if strings.HasPrefix(v, "_") || strings.HasSuffix(v, "_") || isHeaderName(v) {
		return true // an identifier (__init_cb_) or a header name (WWW-Authenticate)
	}
	if isSnakeWords(v) && !passwordKey(key) || isQualifiedName(v) || isSettingPath(v) {
		return true
	}
	if isFiller(v) || !isASCII(v) {
		// 123456, abcdefgh, 0000-0000: filler typed to fill a field.
		// Generated secrets are ASCII; other scripts are prose.
		return true
	}
	for _, h := range hashPrefixes {
		if strings.HasPrefix(l, h) {
			return true
		}
	}
	return false
}

// functionWords betray prose: a passphrase is words, but not a sentence.
var functionWords = map[string]bool{
	"the": true, "a": true, "an": true, "to": true, "of": true, "for": true, "is": true, "are": true,
	"and": true, "or": true, "in": true, "on": true, "with": true, "be": true, "this": true, "that": true,
	"not": true, "if": true, "it": true, "as": true, "by": true, "at": true, "from": true, "will": true,
	"can": true, "must": true, "should": true, "use": true, "used": true, "you": true, "we": true,
}

// isPassphrase reports whether v, under a passphrase key, reads as a
// passphrase (two to six words, none of them the glue words of a sentence)
// rather than as a description.
func isPassphrase(v string, key []byte) bool {
	if !strings.Contains(strings.ToLower(string(key)), "passphrase") {
		return false
	}
	words := strings.Fields(v)
	if len(words) < 2 || len(words) > 6 || len(v) > 64 {
		return false
	}
	for _, w := range words {
		if functionWords[strings.ToLower(strings.Trim(w, ".,;:!?"))] {
			return false
		}
	}
	return true
}

// isHeaderName reports whether v is an HTTP header name: capitalised words
// joined by hyphens (X-Auth-Token, WWW-Authenticate).
func isHeaderName(v string) bool {
	parts := strings.Split(v, "-")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || p[0] < 'A' || p[0] > 'Z' {
			return false
		}
		for i := 1; i < len(p); i++ {
			if !isLetter(p[i]) {
				return false
			}
		}
	}
	return true
}

// isSettingPath reports whether v is a dotted path of identifiers that
// names a setting (identity_providers.oidc.issuer_private_key).
func isSettingPath(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) < 2 || !strings.Contains(v, "_") {
		return false
	}
	for _, p := range parts {
		if !isIdent(p) {
			return false
		}
	}
	return true
}

// isFiller reports whether v is typed filler rather than a chosen or
// generated value: a run of six consecutive characters (123456, abcdef,
// ABCDEFGHIJ), or a single character repeated between separators
// (00000000-0000-0000-0000-000000000000).
func isFiller(v string) bool {
	l := strings.ToLower(v)
	run := 1
	for i := 1; i < len(l); i++ {
		if l[i] == l[i-1]+1 && (isLetter(l[i]) || l[i] >= '0' && l[i] <= '9') {
			if run++; run >= 6 {
				return true
			}
		} else {
			run = 1
		}
	}
	var first byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		if c == '-' || c == '_' || c == '.' || c == ':' {
			continue
		}
		if first == 0 {
			first = c
		} else if c != first {
			return false
		}
	}
	return true
}

// isASCII reports whether v has no letter outside ASCII: symbols such as
// £ occur in passwords, but words of other scripts are prose.
func isASCII(v string) bool {
	for _, r := range v {
		if r >= 0x80 && unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// isQualifiedName reports whether v is word:word, the shape of permission
// and action names (cognito-idp:InitiateAuth, token:hardware, arn:role).
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
// Hyphens do not count: obfuscated and generated ids (UUID-shaped, slugs)
// are letters joined by hyphens too.
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
