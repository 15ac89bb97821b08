package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func TestBuiltinIsWellFormed(t *testing.T) {
	rs := Builtin()
	kinds := map[finding.Kind]int{}
	for _, r := range rs {
		kinds[r.Kind]++
		if r.Name == "" || r.Description == "" {
			t.Errorf("rule %s: needs a name and a description", r.ID)
		}
		if r.Kind == finding.PII && r.Entity == "" {
			t.Errorf("rule %s: a PII rule names its entity", r.ID)
		}
		if r.ID != strings.ToLower(r.ID) || strings.ContainsAny(r.ID, " _") {
			t.Errorf("rule %s: ids are lower-case kebab", r.ID)
		}
	}
	if kinds[finding.Secret] < 200 || kinds[finding.PII] < 50 || kinds[finding.Marking] == 0 {
		t.Errorf("built-in rules by kind: %v (want >= 200 secret, >= 50 pii, some markings)", kinds)
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"unknown field":  "rules:\n  - id: a\n    kind: secret\n    severity: high\n    pattern: x\n    colour: red\n",
		"bad kind":       "rules:\n  - id: a\n    kind: password\n    severity: high\n    pattern: x\n",
		"bad severity":   "rules:\n  - id: a\n    kind: secret\n    severity: dire\n    pattern: x\n",
		"no pattern":     "rules:\n  - id: a\n    kind: secret\n    severity: high\n",
		"not RE2":        "rules:\n  - id: a\n    kind: secret\n    severity: high\n    pattern: '(?<=x)y'\n",
		"no id":          "rules:\n  - kind: secret\n    severity: high\n    pattern: x\n",
		"magic + regex":  "rules:\n  - id: a\n    kind: secret\n    severity: high\n    magic: jks\n    pattern: x\n",
		"bad confidence": "rules:\n  - id: a\n    kind: secret\n    severity: high\n    confidence: sure\n    pattern: x\n",
	}
	for name, doc := range cases {
		if _, err := Parse([]byte(doc), "t.yaml"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := finish([]Rule{{ID: "a"}, {ID: "a"}}); err == nil {
		t.Error("duplicate ids accepted")
	}
}

func TestExampleForms(t *testing.T) {
	rs, err := Parse([]byte(`rules:
  - id: a
    kind: secret
    severity: high
    keywords: [Tok_]
    pattern: 'tok_\w+'
    examples: ['tok_abc', {text: 'x tok_def', path: a.env}]
    negative_examples: [{hex: "00ff"}]
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	if r.Examples[0].Text != "tok_abc" || r.Examples[1].Path != "a.env" || r.NegativeExamples[0].Hex != "00ff" {
		t.Errorf("examples %+v / %+v", r.Examples, r.NegativeExamples)
	}
	if r.Keywords[0] != "tok_" || r.MaxLen != DefaultMaxLen || r.Confidence != finding.Medium {
		t.Errorf("defaults not applied: %+v", r)
	}
}

func TestImportGitleaks(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "gitleaks.toml")
	toml := `
[[rules]]
id = "acme-key"
description = "Acme API key"
regex = '''acme[_-]?key\s*=\s*"([a-z0-9]{32})"'''
secretGroup = 1
keywords = ["acme"]
entropy = 3.0

[[rules]]
id = "acme-path"
description = "Acme key file"
regex = '''ACME-[0-9]{8}'''
path = '''\.acme$'''
`
	if err := os.WriteFile(p, []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("%d rules", len(rs))
	}
	key := rs[0]
	if key.ID != "gitleaks.acme-key" || key.Entropy != 3.0 || key.Keywords[0] != "acme" || !strings.Contains(key.Pattern, "(?P<value>") {
		t.Errorf("converted rule %+v", key)
	}
	if rs[1].Paths[0] != `\.acme$` {
		t.Errorf("path not kept: %+v", rs[1])
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[[rules]]\nid = \"x\"\nregex = 'a'\nsecretGroup = 2\n"), 0o644)
	if _, err := LoadFile(bad); err == nil {
		t.Error("secretGroup beyond the regex's groups accepted")
	}
}

func TestDigestNamesTheRulesInOrder(t *testing.T) {
	a, b := &Rule{ID: "a", Pattern: "x"}, &Rule{ID: "b", Pattern: "y"}
	d := Digest([]*Rule{a, b})
	if len(d) != 64 || d != Digest([]*Rule{{ID: "a", Pattern: "x"}, {ID: "b", Pattern: "y"}}) {
		t.Fatalf("digest %q is not a stable SHA-256 of the rules", d)
	}
	if d == Digest([]*Rule{b, a}) {
		t.Error("order does not change the digest")
	}
	if d == Digest([]*Rule{a, {ID: "b", Pattern: "z"}}) {
		t.Error("a changed pattern does not change the digest")
	}
}
