// Package rules defines leakguard's detection rules as data: the schema, the
// YAML loader, the built-in rule set (written as YAML in builtin/, compiled
// into the binary as Go by go generate), and the import of gitleaks TOML
// configurations. It checks that a rule is well formed; running
// a rule is the detect package's job.
package rules

import (
	"fmt"
	"regexp/syntax"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

// Rule is one detector. The value a rule reports is the capture group named
// "value" in Pattern, else the first capture group, else the whole match.
type Rule struct {
	ID          string           `yaml:"id" json:"id"`
	Name        string           `yaml:"name" json:"name"`
	Description string           `yaml:"description,omitempty" json:"description,omitempty"`
	Kind        finding.Kind     `yaml:"kind" json:"kind"`
	Entity      string           `yaml:"entity,omitempty" json:"entity,omitempty"`
	Severity    finding.Severity `yaml:"severity" json:"severity"`
	// Confidence is the level of a candidate that passes every validator,
	// before context moves it.
	Confidence finding.Confidence `yaml:"confidence,omitempty" json:"confidence"`

	// Keywords feed the one-pass prefilter: the rule's regex runs only near
	// an occurrence of one of them (ASCII case-insensitive), and a match must
	// contain one. A rule without keywords runs on all text.
	Keywords []string `yaml:"keywords,omitempty" json:"keywords,omitempty"`
	// Pattern is an RE2 regular expression.
	Pattern string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	// Magic names a recogniser of a binary file format that is a credential
	// by nature (jks, jceks, pkcs12). Such a rule has no pattern: it looks at
	// the first bytes of binary items, and its examples are given in hex.
	Magic string `yaml:"magic,omitempty" json:"magic,omitempty"`
	// MaxLen bounds the length in bytes of the whole match; it sets the chunk
	// overlap, so a match is never cut at a chunk edge. Default 256.
	MaxLen int `yaml:"max_len,omitempty" json:"max_len,omitempty"`
	// Validators name checks the value must pass (checksums, placeholder and
	// reference rejection, …); see detect.Validators for the list.
	Validators []string `yaml:"validators,omitempty" json:"validators,omitempty"`
	// KeywordGate names a test of the text after each keyword hit that
	// every match holding the keyword passes (see detect.KeywordGates): a
	// hit that fails it opens no regex window. "assignment": the keyword
	// is followed by the rest of a key, quotes and blanks, then a
	// separator such as = : ( .
	KeywordGate string `yaml:"keyword_gate,omitempty" json:"keyword_gate,omitempty"`
	// Entropy is the minimum Shannon entropy (bits per character) of the value.
	Entropy float64  `yaml:"entropy,omitempty" json:"entropy,omitempty"`
	Context *Context `yaml:"context,omitempty" json:"context,omitempty"`
	// Paths, when set, limits the rule to items whose slash-separated path
	// matches one of these RE2 regexes, e.g. `(^|/)\.htpasswd$` (regexes, not
	// globs, so that gitleaks' path rules import unchanged).
	Paths []string `yaml:"paths,omitempty" json:"paths,omitempty"`
	// Generic marks a catch-all rule (password assignments, high-entropy
	// strings): its finding is dropped where a specific rule found the same value.
	Generic bool `yaml:"generic,omitempty" json:"generic,omitempty"`

	Examples         []Example `yaml:"examples" json:"-"`
	NegativeExamples []Example `yaml:"negative_examples" json:"-"`
}

// Context words near a match move its confidence, as Presidio and Purview do.
type Context struct {
	// Words raise confidence by one level (to High at most) when one occurs
	// within Window bytes before or after the match.
	Words []string `yaml:"words,omitempty" json:"words,omitempty"`
	// Negative words lower it by one level; below Low the candidate is dropped.
	Negative []string `yaml:"negative,omitempty" json:"negative,omitempty"`
	// Window in bytes on each side; default 80.
	Window int `yaml:"window,omitempty" json:"window,omitempty"`
	// Required drops a candidate that has no context word near it (passport
	// numbers, dates of birth: only meaningful beside their label).
	Required bool `yaml:"required,omitempty" json:"required,omitempty"`
	// RequiredInCode requires a context word only in source code, where
	// numbers of every shape abound (constants, test vectors, offsets).
	RequiredInCode bool `yaml:"required_in_code,omitempty" json:"required_in_code,omitempty"`
}

// Example is a text a rule must (or, as a negative example, must not) find.
// Path, when set, is the file name the text is scanned as, for rules whose
// behaviour depends on file type. In YAML an example is either a plain string
// or a mapping {text, path}.
type Example struct {
	Text string `yaml:"text,omitempty"`
	Path string `yaml:"path,omitempty"`
	// Hex is a binary example for a magic rule, as hex digits.
	Hex string `yaml:"hex,omitempty"`
}

// UnmarshalYAML accepts a scalar or a mapping.
func (e *Example) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err == nil {
		e.Text = s
		return nil
	}
	type plain Example
	return unmarshal((*plain)(e))
}

// Defaults applied by Normalize.
const (
	DefaultMaxLen        = 256
	DefaultContextWindow = 80
)

// Normalize fills defaults in place.
func (r *Rule) Normalize() {
	if r.MaxLen == 0 {
		r.MaxLen = DefaultMaxLen
	}
	if r.Confidence == 0 {
		r.Confidence = finding.Medium
	}
	if r.Context != nil && r.Context.Window == 0 {
		r.Context.Window = DefaultContextWindow
	}
	if r.Name == "" {
		r.Name = r.ID
	}
	for i, k := range r.Keywords {
		r.Keywords[i] = strings.ToLower(k)
	}
}

// Check reports the first problem that makes a rule unusable: a missing
// field, an unknown kind or severity, or a pattern that is not RE2. It does
// not know the validator names; the engine checks those when it compiles.
func (r *Rule) Check() error {
	if err := r.CheckSettings(); err != nil || r.Magic != "" {
		return err
	}
	if _, err := syntax.Parse(r.Pattern, syntax.Perl); err != nil {
		return fmt.Errorf("rule %s: pattern: %w", r.ID, err)
	}
	for _, p := range r.Paths {
		if _, err := syntax.Parse(p, syntax.Perl); err != nil {
			return fmt.Errorf("rule %s: path %q: %w", r.ID, p, err)
		}
	}
	return nil
}

// CheckSettings is Check but for parsing the patterns, for a caller that
// parses them itself and reports their errors as Check does (the engine,
// whose start would otherwise parse every pattern twice).
func (r *Rule) CheckSettings() error {
	if r.ID == "" {
		return fmt.Errorf("rule without id")
	}
	if k, err := finding.ParseKind(string(r.Kind)); err != nil {
		return fmt.Errorf("rule %s: %w", r.ID, err)
	} else if k == finding.Registered {
		return fmt.Errorf("rule %s: kind registered is for matches of registered data, not for rules", r.ID)
	}
	if _, err := finding.ParseSeverity(string(r.Severity)); err != nil {
		return fmt.Errorf("rule %s: %w", r.ID, err)
	}
	if r.Magic != "" {
		if r.Pattern != "" || len(r.Keywords) > 0 {
			return fmt.Errorf("rule %s: a magic rule has no pattern or keywords", r.ID)
		}
		return nil
	}
	if r.Pattern == "" {
		return fmt.Errorf("rule %s: empty pattern", r.ID)
	}
	for _, k := range r.Keywords {
		if k == "" {
			return fmt.Errorf("rule %s: empty keyword", r.ID)
		}
	}
	if r.MaxLen < 0 || r.MaxLen > 1<<16 {
		return fmt.Errorf("rule %s: max_len %d out of range (0..65536)", r.ID, r.MaxLen)
	}
	if r.Context != nil && (r.Context.Window < 0 || r.Context.Window > 4096) {
		return fmt.Errorf("rule %s: context window %d out of range (0..4096)", r.ID, r.Context.Window)
	}
	return nil
}
