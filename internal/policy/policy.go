// Package policy decides what to do with content leaving through a channel
// (web upload, outgoing mail, an application's API call) from the findings
// in it: allow it, raise an alert, redact it or block it. A policy is an
// ordered list of rules per channel; the first rule that matches a finding
// gives that finding's action, and the strongest action over all findings
// is the verdict. It knows findings, not how they were found.
package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

// Action is what happens to content; the zero value is Allow.
type Action string

// Actions, from the weakest to the strongest.
const (
	Allow  Action = "allow"
	Alert  Action = "alert"  // let it through, record an event
	Redact Action = "redact" // mask the values where the channel can, record an event
	Block  Action = "block"  // refuse it, record an event
)

// rank orders actions; an unknown one ranks -1.
func (a Action) rank() int {
	switch a {
	case Allow, "":
		return 0
	case Alert:
		return 1
	case Redact:
		return 2
	case Block:
		return 3
	}
	return -1
}

// Rule picks findings and names the action for them. Empty lists match
// everything; a finding must satisfy every non-empty one.
type Rule struct {
	Kinds         []finding.Kind     `yaml:"kinds,omitempty" json:"kinds,omitempty"`
	Entities      []string           `yaml:"entities,omitempty" json:"entities,omitempty"`
	Rules         []string           `yaml:"rules,omitempty" json:"rules,omitempty"`
	Sets          []string           `yaml:"sets,omitempty" json:"sets,omitempty"` // registered sets, for kind registered
	MinConfidence finding.Confidence `yaml:"min_confidence,omitempty" json:"min_confidence,omitempty"`
	Action        Action             `yaml:"action" json:"action"`
}

// Policy is the rules of one channel, in order, and the action for
// findings none of them picks.
type Policy struct {
	Rules   []Rule `yaml:"rules" json:"rules"`
	Default Action `yaml:"default" json:"default"`
}

// Default is the policy of a channel the configuration does not shape:
// block what is certainly a credential or the organisation's registered
// data, a card number or IBAN that passed its checksum, or a labelled SSN;
// let contact details through (every mail and most uploads carry e-mail
// addresses, phone numbers and host addresses: alerting on them would bury
// the alerts that matter); alert on the rest of what is at least medium
// confidence.
func Default() Policy {
	return Policy{
		Rules: []Rule{
			{Kinds: []finding.Kind{finding.Secret}, MinConfidence: finding.High, Action: Block},
			{Kinds: []finding.Kind{finding.Registered}, MinConfidence: finding.Medium, Action: Block},
			{Kinds: []finding.Kind{finding.PII}, Entities: []string{"CREDIT_CARD", "IBAN_CODE"}, MinConfidence: finding.High, Action: Block},
			// An SSN has no checksum: medium is the engine's word for one
			// with its label beside it, as in an HR export.
			{Kinds: []finding.Kind{finding.PII}, Entities: []string{"US_SSN"}, MinConfidence: finding.Medium, Action: Block},
			{Kinds: []finding.Kind{finding.PII}, Entities: []string{"EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "MAC_ADDRESS"}, Action: Allow},
			{MinConfidence: finding.Medium, Action: Alert},
		},
		Default: Allow,
	}
}

// Check reports the first problem of the policy: an unknown action or kind.
func (p Policy) Check() error {
	if p.Default.rank() < 0 {
		return fmt.Errorf("default: unknown action %q (want allow, alert, redact or block)", p.Default)
	}
	for i, r := range p.Rules {
		if r.Action == "" || r.Action.rank() < 0 {
			return fmt.Errorf("rule %d: unknown action %q (want allow, alert, redact or block)", i+1, r.Action)
		}
		for _, k := range r.Kinds {
			if _, err := finding.ParseKind(string(k)); err != nil {
				return fmt.Errorf("rule %d: %w", i+1, err)
			}
		}
	}
	return nil
}

func (r Rule) matches(f finding.Finding) bool {
	if len(r.Kinds) > 0 && !slices.Contains(r.Kinds, f.Kind) {
		return false
	}
	if len(r.Entities) > 0 && !slices.ContainsFunc(r.Entities, func(e string) bool { return strings.EqualFold(e, f.Entity) }) {
		return false
	}
	if len(r.Rules) > 0 && !slices.Contains(r.Rules, f.Rule) {
		return false
	}
	if len(r.Sets) > 0 && (f.Match == nil || !slices.Contains(r.Sets, f.Match.Set)) {
		return false
	}
	return f.Confidence >= r.MinConfidence
}

// Decision is the verdict on one piece of content.
type Decision struct {
	Action Action
	// Findings are those whose action is the verdict's (the reasons).
	Findings []finding.Finding
	// Reason says why in a few words for the person refused ("credential
	// (aws-access-key-id); 2 more"), never a value.
	Reason string
}

// Decide returns the verdict on content with findings fs.
func (p Policy) Decide(fs []finding.Finding) Decision {
	d := Decision{Action: Allow}
	for _, f := range fs {
		a := p.Default
		for _, r := range p.Rules {
			if r.matches(f) {
				a = r.Action
				break
			}
		}
		switch {
		case a.rank() > d.Action.rank():
			d.Action, d.Findings = a, []finding.Finding{f}
		case a.rank() == d.Action.rank() && a != Allow:
			d.Findings = append(d.Findings, f)
		}
	}
	if d.Action != Allow && len(d.Findings) > 0 {
		d.Reason = reason(d.Findings)
	}
	return d
}

// reason names the first finding by what it is, and counts the others.
func reason(fs []finding.Finding) string {
	f := fs[0]
	what := f.Name
	if what == "" {
		what = string(f.Kind)
	}
	if f.Match != nil {
		what += " of set " + f.Match.Set
	} else {
		what += " (" + f.Rule + ")"
	}
	if n := len(fs) - 1; n > 0 {
		what += fmt.Sprintf("; %d more", n)
	}
	return what
}
