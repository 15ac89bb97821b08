package policy

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/leakguard/leakguard/internal/finding"
)

func TestDecide(t *testing.T) {
	var p Policy
	src := `
rules:
  - {kinds: [secret], min_confidence: high, action: block}
  - {kinds: [registered], sets: [employees], action: block}
  - {entities: [email_address], action: allow}
  - {kinds: [pii], action: redact}
default: alert
`
	if err := yaml.Unmarshal([]byte(src), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	key := finding.Finding{Rule: "aws-access-key-id", Name: "AWS access key", Kind: finding.Secret, Confidence: finding.High}
	weakKey := finding.Finding{Rule: "generic-password-assignment", Kind: finding.Secret, Confidence: finding.Low}
	mail := finding.Finding{Rule: "email-address", Kind: finding.PII, Entity: "EMAIL_ADDRESS", Confidence: finding.Medium}
	card := finding.Finding{Rule: "credit-card", Kind: finding.PII, Entity: "CREDIT_CARD", Confidence: finding.High}
	staff := finding.Finding{Rule: "registered-record", Name: "Record", Kind: finding.Registered, Confidence: finding.High,
		Match: &finding.Match{Set: "employees", Type: "records"}}
	other := finding.Finding{Rule: "registered-record", Kind: finding.Registered, Confidence: finding.High,
		Match: &finding.Match{Set: "customers", Type: "records"}}
	cases := []struct {
		name string
		fs   []finding.Finding
		want Action
		n    int
	}{
		{"nothing", nil, Allow, 0},
		{"allowed entity", []finding.Finding{mail}, Allow, 0},
		{"low secret falls to the default", []finding.Finding{weakKey}, Alert, 1},
		{"pii is redacted", []finding.Finding{mail, card}, Redact, 1},
		{"strongest wins", []finding.Finding{card, key, mail}, Block, 1},
		{"registered set named", []finding.Finding{staff}, Block, 1},
		{"other set falls to the default", []finding.Finding{other}, Alert, 1},
	}
	for _, c := range cases {
		d := p.Decide(c.fs)
		if d.Action != c.want || len(d.Findings) != c.n {
			t.Errorf("%s: got %s with %d findings, want %s with %d", c.name, d.Action, len(d.Findings), c.want, c.n)
		}
	}
	if d := p.Decide([]finding.Finding{key, staff}); !strings.Contains(d.Reason, "AWS access key (aws-access-key-id); 1 more") {
		t.Errorf("reason %q", d.Reason)
	}
	bad := Policy{Rules: []Rule{{Action: "quarantine"}}}
	if bad.Check() == nil {
		t.Error("unknown action accepted")
	}
	if err := Default().Check(); err != nil {
		t.Errorf("default policy: %v", err)
	}
}
