package detect

import (
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/rules"
)

func TestAssignmentFollows(t *testing.T) {
	for _, tc := range []struct {
		word, text string // text holds the hit, marked by |, at the keyword's end
		want       bool
	}{
		{"pass", "db.pass|word=Xk29", true},
		{"key", `api_key|": "v"`, true},
		{"key", `"api_key|"  : 1`, true},
		{"token", `cfg["token|"] = x`, true},
		{"token", `setAuthToken|("abc")`, true},
		{"secret", `secret| ?? = v`, true}, // a separator's first byte is enough: the gate may pass more than the regex
		{"key", `if key| == "x"`, true},
		{"key", "key| !== x", true},
		{"key", "x.Key|().String()", true},
		{"key", "func (k *Key|) String()", false},
		{"key", "keys| []string", false},
		{"token", "for _, token| := range", true},
		{"token", "token|, err", false},
		{"pass", "pass|\n= 3", false},
		{"key", "key|", true},                                     // the end of the text: cannot tell
		{"key", "key|" + strings.Repeat("x", 200) + " = v", true}, // a key too long to follow
		{"pw=", "pw=|hunter2 and more", true},                     // not a part of a key
		{"secret", `secret|\" : \"v\"`, true},
		{"key", "key|\t\t: v", true},
		{"pass", "pass|wordſ = v", true}, // ſ folds to s: the key may go on
	} {
		i := strings.Index(tc.text, "|")
		text := tc.text[:i] + tc.text[i+1:]
		if got := assignmentFollows([]byte(tc.word), []byte(text), i); got != tc.want {
			t.Errorf("assignmentFollows(%q, %q) = %v, want %v", tc.word, tc.text, got, tc.want)
		}
	}
}

func TestUnknownKeywordGate(t *testing.T) {
	r := &rules.Rule{ID: "x", Pattern: `key=\w+`, Keywords: []string{"key"}, KeywordGate: "nope"}
	_, _, err := compileRule(r, Checks())
	if err == nil || !strings.Contains(err.Error(), `unknown keyword_gate "nope"`) || !strings.Contains(err.Error(), "assignment") {
		t.Fatalf("err = %v", err)
	}
}

func TestSettingFollows(t *testing.T) {
	for _, tc := range []struct {
		word, text string // the hit ends at |
		want       bool
	}{
		{"host", "DB_HOST|=db.internal", true},
		{"user", `"user|name": "deploy"`, true},
		{"user", `'user|', 'app',`, true}, // a quote that starts the separator
		{"user", "<user|name>deploy</username>", true},
		{"db", "  db|: main", true},
		{"url", "url| => 'x'", true},
		{"host", "host|(\"x\")", false}, // a call: no setting
		{"user", "user|.Name()", false},
		{"user", "for _, user| := range users", true}, // ':' may start a setting
		{"url", "url|)", false},
		{"db", "db|", true},
	} {
		i := strings.Index(tc.text, "|")
		text := tc.text[:i] + tc.text[i+1:]
		if got := settingFollows([]byte(tc.word), []byte(text), i); got != tc.want {
			t.Errorf("settingFollows(%q, %q) = %v, want %v", tc.word, tc.text, got, tc.want)
		}
	}
}
