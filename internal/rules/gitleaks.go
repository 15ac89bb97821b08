package rules

import (
	"fmt"
	"regexp/syntax"

	"github.com/BurntSushi/toml"

	"github.com/leakguard/leakguard/internal/finding"
)

// gitleaksConfig is the subset of a gitleaks TOML configuration that maps
// onto leakguard rules. Allowlists and path-only rules have no equivalent yet
// and are reported, not silently dropped.
type gitleaksConfig struct {
	Rules []struct {
		ID          string   `toml:"id"`
		Description string   `toml:"description"`
		Regex       string   `toml:"regex"`
		SecretGroup int      `toml:"secretGroup"`
		Entropy     float64  `toml:"entropy"`
		Keywords    []string `toml:"keywords"`
		Path        string   `toml:"path"`
	} `toml:"rules"`
}

// ImportGitleaks converts a gitleaks configuration into rules. Each becomes a
// secret rule of high severity whose value is the configured secret group.
// Regexes that RE2 cannot compile (gitleaks uses Go's regexp, which is RE2 as
// well, so this is rare) are an error naming the rule.
func ImportGitleaks(b []byte, name string) ([]Rule, error) {
	var c gitleaksConfig
	if err := toml.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := make([]Rule, 0, len(c.Rules))
	for _, g := range c.Rules {
		if g.Regex == "" {
			return nil, fmt.Errorf("%s: rule %s has no regex (path-only gitleaks rules are not supported)", name, g.ID)
		}
		re, err := syntax.Parse(g.Regex, syntax.Perl)
		if err != nil {
			return nil, fmt.Errorf("%s: rule %s: %w", name, g.ID, err)
		}
		pattern := g.Regex
		if g.SecretGroup > 0 {
			if g.SecretGroup > re.MaxCap() {
				return nil, fmt.Errorf("%s: rule %s: secretGroup %d but the regex has %d groups", name, g.ID, g.SecretGroup, re.MaxCap())
			}
			pattern = nameGroup(re, g.SecretGroup)
		}
		r := Rule{
			ID:          "gitleaks." + g.ID,
			Name:        g.Description,
			Description: g.Description,
			Kind:        finding.Secret,
			Severity:    finding.SevHigh,
			Keywords:    g.Keywords,
			Pattern:     pattern,
			Entropy:     g.Entropy,
		}
		if g.Path != "" {
			r.Paths = []string{g.Path}
		}
		r.Normalize()
		if err := r.Check(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// nameGroup rewrites the regex so that capture group n is named "value",
// which is how leakguard rules say which group holds the secret.
func nameGroup(re *syntax.Regexp, n int) string {
	var walk func(*syntax.Regexp)
	walk = func(r *syntax.Regexp) {
		if r.Op == syntax.OpCapture && r.Cap == n {
			r.Name = "value"
		}
		for _, s := range r.Sub {
			walk(s)
		}
	}
	walk(re)
	return re.String()
}
