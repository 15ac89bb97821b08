package detect

import (
	"bytes"
	"path"
	"regexp"
	"strings"
	"sync"

	re2 "github.com/wasilibs/go-re2"
)

// This file judges connection details: the user name, host, database,
// bucket or key id that sits beside a credential in a configuration file.
// Alone they are not secret, but next to a password they say where and as
// whom it works, which is what an attacker needs to use it; incident
// responders list them too. Such a finding is informational and only made
// where a credential is assigned close by, so that a host name in a
// configuration without secrets is never reported.

// besideLines is how many lines before or after a detail a credential may
// be assigned for both to describe one connection: a block of settings or
// one record of a saved-logins file. besideReach caps the bytes looked at;
// it stays far below the engine's chunk overlap, so the answer does not
// depend on where a chunk starts.
const (
	besideLines = 8
	besideReach = 1024
)

// credentialLine finds a line that assigns a literal to a secret-named key:
// key = v, key: v, "key" => v, export KEY=v, define('KEY', 'v'), a
// space-separated "password v" (netrc, esmtprc) and the element form
// <Pass …>v</Pass> of site managers. Comment lines do not count.
var credentialLine = sync.OnceValue(func() *re2.Regexp { return re2.MustCompile(credentialLinePattern) })

// credentialLinePattern runs on RE2, compiled once: Go's regexp took a tenth
// of a scan of logs here, where every candidate looks at sixteen lines.
// The groups of a line that matched are another matter (credentialLineGroups).
const credentialLinePattern = `(?im)^[ \t]{0,40}(?:(?:export|set)[ \t]{1,8}|-[ \t]{1,8}|\$|define\([ \t]{0,8})?["']?(?P<k>[a-z0-9_.\-]{0,40}?(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_\-]?key|apikey|private[_\-]?key|access[_\-]?key|auth|credentials?)[a-z0-9_\-]{0,24})["'\]]?(?:[ \t]{0,16}(?:=>|=|:|,)|(?P<sp>[ \t]{1,16}))[ \t]{0,16}["']?(?P<v>[^\s"'<>,;]{1,200})|<pass(?:word)?(?:\s[^>]{0,60})?>(?P<x>[^<\s]{1,200})</`

// credentialLineQuick is credentialLine where the value cannot start with
// a character that makes it a variable or a template ($, %, {, *): a line
// whose match would be turned down for that often has no match here, and
// a match without groups is what RE2 finds fast. A line where it does not
// match has no credential: a qualifying match of credentialLine is one of
// its matches.
var credentialLineQuick = sync.OnceValue(func() *re2.Regexp {
	p := strings.Replace(credentialLinePattern, `(?P<v>[^\s"'<>,;]{1,200})`, `(?P<v>[^\s"'<>,;$%{*][^\s"'<>,;]{0,199})`, 1)
	p = strings.Replace(p, `(?P<x>[^<\s]{1,200})`, `(?P<x>[^<\s$%{*][^<\s]{0,199})`, 1)
	return re2.MustCompile(p)
})

// credentialLineGroups is credentialLine on Go's regexp, for the groups of
// one line that credentialLineQuick matched: finding groups takes RE2's
// NFA, and on a line of a few dozen bytes with this pattern's counted
// repetitions that took 11 µs in its WebAssembly module against 5.5 µs
// in Go's (four configuration lines, go test -bench, temporary); a tenth
// of a scan of configuration files went there.
var credentialLineGroups = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(credentialLinePattern) })

// credentialWords are pieces of text every match of credentialLine holds
// (case aside): the cheap test before the regex.
var credentialWords = [][]byte{[]byte("pass"), []byte("pwd"), []byte("secret"), []byte("token"), []byte("key"), []byte("auth"), []byte("credential")}

// detailLineStart matches what may precede a detail's key on its line:
// indentation, export, a YAML list dash, a PHP $ or define(, a quote, <.
var detailLineStart = regexp.MustCompile(`^[ \t]{0,40}(?:(?:export|set)[ \t]{1,8}|-[ \t]{1,8}|\$|define\([ \t]{0,8})?["'<]?$`)

// checkDetail accepts a connection detail (group "detail") written as its
// own line of a configuration file, whose value is a literal by the file
// type's quoting rules and not a placeholder or a reference, within
// besideLines lines of a line that assigns a credential.
func checkDetail(c *Candidate) bool {
	if !detailPath(c.Path) || !startsLine(c) {
		return false
	}
	v := c.Value()
	quoted := quoteOf(c) != 0
	if !quoted && IsCodePath(c.Path) {
		return false
	}
	// Bare values are only taken outside source code, where a dotted
	// name is a host (db1.example.org), not a member access.
	s := strings.ToLower(string(v))
	if len(v) < 2 || detailNonValues[s] || len(v) >= 3 && IsPlaceholder(v) {
		return false
	}
	if strings.ContainsAny(s, "{}<>$% \t") || isAllDigits(s) && len(s) < 6 || isQualifiedName(string(v)) {
		return false // a template, a description, or a port-sized number
	}
	return besideCredential(c)
}

// detailPath reports whether details are worth reporting in a file of this
// path: configuration (not source code or prose), or source code whose name
// says it is configuration (config.php, settings.py), where the values are
// set for use.
func detailPath(p string) bool {
	if IsConfigPath(p) {
		return true
	}
	if !IsCodePath(p) {
		return false
	}
	base := strings.ToLower(path.Base(p))
	for _, w := range []string{"config", "conf.", "settings", "credential", "secret", "database", "db."} {
		if strings.Contains(base, w) {
			return true
		}
	}
	return false
}

// startsLine reports whether the detail's key opens its line: one setting
// per line, as configuration files are written, not a field of a record in
// a data dump or a one-line JSON body.
func startsLine(c *Candidate) bool {
	ks := c.match[0]
	for _, name := range []string{"detail", "detail_tag"} {
		if i := c.groupIndex(name); i >= 0 && c.match[2*i] >= 0 {
			ks = c.match[2*i]
		}
	}
	lo := max(ks-64, 0)
	line := c.text[lo:ks]
	if j := bytes.LastIndexByte(line, '\n'); j >= 0 {
		line = line[j+1:]
	} else if lo > 0 {
		return false
	}
	return detailLineStart.Match(line)
}

// detailNonValues are values that say a detail is unset or switched.
var detailNonValues = map[string]bool{
	"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true, "null": true, "nil": true,
	"none": true, "undefined": true, "empty": true, "auto": true, "default": true, "required": true,
	"optional": true, "string": true, "str": true, "int": true, "text": true, "email": true, "username": true,
	"user": true, "host": true, "hostname": true, "server": true, "url": true, "uri": true,
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// besideCredential reports whether a line within besideLines lines before
// or after the candidate assigns a credential a value: not empty, not a
// variable or template, not a switch (askPassword: false).
func besideCredential(c *Candidate) bool {
	text := c.text
	lo, hi := linesAround(text, c.match[0], c.match[1], besideLines,
		max(c.match[0]-besideReach, 0), min(c.match[1]+besideReach, len(text)))
	for _, win := range [2]span{{lo, c.match[0]}, {c.match[1], hi}} {
		w := text[win.start:win.end]
		if c.lines == nil || indexFold(w, elementPass) >= 0 {
			if !containsAny(w, credentialWords) {
				continue // every credentialLine match holds one of them
			}
			for _, m := range credentialLine().FindAllSubmatch(w, -1) {
				if credentialAssigned(m) {
					return true
				}
			}
			continue
		}
		if c.lines.credentialIn(text, win) {
			return true
		}
	}
	return false
}

// elementPass opens the one form of credentialLine that may span lines.
var elementPass = []byte("<pass")

// credentialAssigned judges a match of credentialLine: a value that is not
// empty, a variable, a template or a switch.
func credentialAssigned(m [][]byte) bool {
	// Files of "password value" lines (netrc, esmtprc) hold the
	// password by their format, so there even "password" is one;
	// elsewhere a placeholder is a template, not a credential.
	key, sp, v, tag := m[1], m[2], m[3], m[4]
	if v == nil {
		v = tag
	}
	l := strings.ToLower(string(v))
	if len(v) == 0 || strings.ContainsAny(l[:1], "$%{<*") || detailNonValues[l] || l == "0" || l == "1" {
		return false
	}
	if sp != nil || tag != nil {
		return true
	}
	// As the secret rule judges configuration (and detailPath
	// admits only configuration): a weak password still counts,
	// and so does "admin" or "root" as a password; a name
	// (iam:GetLoginProfile) or a placeholder does not.
	return !IsPlaceholder(v) && (!notASecret(string(v), key) || weakButReal(string(v), key) || passwordKey(key) && settingWords[l])
}

// lineMemo remembers, for one buffer, which whole lines assign a
// credential, so that the details of one block of settings, each looking
// at the lines around it, run credentialLine once per line rather than
// once per detail. Without the element form (<pass …>), every match of
// credentialLine lies within one line and starts at a line start or where
// the text looked at starts; so a window's matches are those of its lines,
// each matched alone: a whole line the same in every window, the first and
// a last line cut by the window as they are.
type lineMemo struct {
	assigns map[int]bool // by the line's start in the buffer
}

func (lm *lineMemo) reset() {
	if lm.assigns == nil {
		lm.assigns = map[int]bool{}
	}
	clear(lm.assigns)
}

// credentialIn reports whether a line of text[win.start:win.end], which
// holds no element form, assigns a credential.
func (lm *lineMemo) credentialIn(text []byte, win span) bool {
	for ls := win.start; ls < win.end; {
		le := win.end
		if i := bytes.IndexByte(text[ls:win.end], '\n'); i >= 0 {
			le = ls + i
		}
		line := text[ls:le]
		// A line starts where the window does, at the start of the
		// buffer or after a newline; only a line that is whole in the
		// window (the window may end at its newline) and starts a real
		// line is the same in every window.
		whole := (le < win.end || le < len(text) && text[le] == '\n') && (ls == 0 || text[ls-1] == '\n')
		// Lines without a credential word are remembered too: each
		// detail looks at the eight lines around it, and in a
		// configuration file most of its neighbours' are the same.
		var ok bool
		switch known, seen := lm.assigns[ls]; {
		case whole && seen:
			ok = known
		default:
			if containsAny(line, credentialWords) && credentialLineQuick().Match(line) {
				m := credentialLineGroups().FindSubmatch(line)
				ok = m != nil && credentialAssigned(m)
			}
			if whole {
				lm.assigns[ls] = ok
			}
		}
		if ok {
			return true
		}
		ls = le + 1
	}
	return false
}
