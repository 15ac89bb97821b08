package detect

import (
	"slices"
	"sort"
	"strings"
)

// A keyword gate tells, from the text after one hit of a rule's keyword,
// whether a match of the rule can hold that hit. A hit that fails opens no
// window: the password rule's keywords ("key", "token", "pass") are in
// most lines of some source code, and four hits in five are not followed
// by an assignment (a call argument, a type, a field read), while each
// window costs a regex call over a few lines.
//
// A gate must be necessary, never a guess: every match of the rule holds
// a hit of some keyword that passes. The reference tests compare the
// engine with every rule's regex over the whole text.
type keywordGate func(word, text []byte, end int) bool

// keywordGates are the gates rules may name (rules.Rule.KeywordGate).
func keywordGates() map[string]keywordGate {
	return map[string]keywordGate{
		"assignment": assignmentFollows,
		"setting":    settingFollows,
	}
}

// KeywordGates lists the gates' names, for error messages and docs.
func KeywordGates() []string {
	names := make([]string, 0, 2)
	for n := range keywordGates() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// keyRest bounds the key characters read after a keyword hit. What a key
// holds after its last keyword (the rest of a secret word, a plural, a
// suffix, a digit) comes to under 40; a hit followed by a longer run of key
// bytes passes, since a match may hold it with a later keyword that the
// gate then tests on its own.
const keyRest = 96

// isKeyByte reports whether b may be part of an assignment's key.
func isKeyByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '-'
}

// assignmentFollows is the gate of keys assigned a value: after the
// keyword (word, ending at end of text) come the rest of the key (letters,
// digits, _ . -), an optional backslash and quote, an optional ], up to 32
// blanks, then the first byte of a separator: = ! : | ? or (. A keyword
// that holds other bytes ("pw=") passes: it is not a key's part. So does a
// hit too close to the end of text to tell.
func assignmentFollows(word, text []byte, end int) bool {
	return keyThen(word, text, end, "=!:|?(")
}

// settingFollows is the gate of configuration settings (a connection
// detail): as assignmentFollows, the separator's first byte one of = : or
// a quote (`"user", "app"`), or the > of an element (<username>).
func settingFollows(word, text []byte, end int) bool {
	return keyThen(word, text, end, "=:\"'>")
}

// keyThen is the gates' common shape: the rest of a key, an optional
// backslash, an optional quote (or one that starts a separator), an
// optional ], blanks, then a byte of seps.
func keyThen(word, text []byte, end int, seps string) bool {
	if slices.ContainsFunc(word, func(b byte) bool { return !isKeyByte(b) }) {
		return true
	}
	i, limit := end, min(len(text), end+keyRest)
	for i < limit && isKeyByte(text[i]) {
		i++
	}
	if i == limit || text[i] >= 0x80 {
		// A key too long to follow, the end of the text, or a byte of a
		// rune that a case-insensitive class may take for a letter (the
		// Kelvin sign is a k, the long s an s).
		return true
	}
	if text[i] == '\\' {
		i++
	}
	if i < len(text) && (text[i] == '"' || text[i] == '\'' || text[i] == '`') {
		if strings.IndexByte(seps, text[i]) >= 0 {
			return true
		}
		i++
	}
	if i < len(text) && text[i] == ']' {
		i++
	}
	for n := 0; i < len(text) && n < 32 && (text[i] == ' ' || text[i] == '\t'); n++ {
		i++
	}
	return i >= len(text) || strings.IndexByte(seps, text[i]) >= 0
}
