package accuracy

import (
	"context"
	"strings"
	"testing"
)

// TestPresidioEndToEnd checks entity mapping (our EMAIL is Presidio's
// EMAIL_ADDRESS), byte to code point offsets after non-ASCII text, overlap
// against exact matching, and that unclaimed types are left out.
func TestPresidioEndToEnd(t *testing.T) {
	dir := t.TempDir()
	// "Zoë Ångström" puts multi-byte characters before every span.
	small := `[
 {"full_text": "Zoë Ångström: zoe@mail.com, card 4111111111111111.",
  "spans": [
   {"entity_type": "EMAIL_ADDRESS", "entity_value": "zoe@mail.com", "start_position": 14, "end_position": 26},
   {"entity_type": "CREDIT_CARD", "entity_value": "card 4111111111111111", "start_position": 28, "end_position": 49},
   {"entity_type": "PERSON", "entity_value": "Zoë Ångström", "start_position": 0, "end_position": 12}]},
 {"full_text": "mail: bob@x.org and 4000000000000002", "spans": [
   {"entity_type": "CREDIT_CARD", "entity_value": "4000000000000002", "start_position": 20, "end_position": 36},
   {"entity_type": "DOMAIN_NAME", "entity_value": "x.org", "start_position": 10, "end_position": 15}]},
 {"full_text": "nothing to see", "spans": [
   {"entity_type": "US_SSN", "entity_value": "x", "start_position": 0, "end_position": 1}]}
]`
	writeFiles(t, dir, map[string]string{"pii/generated_small.json": small, "pii/generated_large.json": "[]"})
	rs, err := PresidioPII(context.Background(), dir, testEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[1].File != "generated_small.json" || rs[1].Texts != 3 {
		t.Fatalf("results = %+v", rs)
	}
	r := rs[1]
	got := map[string]EntityScore{}
	for _, e := range r.Entities {
		got[e.Entity] = e
	}
	if e := got["EMAIL_ADDRESS"]; e.Gold != 1 || e.Pred != 2 || (e.Overlap != PRF{TP: 1, FP: 1}) || (e.Exact != PRF{TP: 1, FP: 1}) || e.OtherType != 1 {
		t.Errorf("EMAIL_ADDRESS = %+v", e)
	}
	// The card's gold span includes the word "card": overlap but not exact.
	if e := got["CREDIT_CARD"]; e.Gold != 2 || e.Pred != 2 || (e.Overlap != PRF{TP: 2}) || (e.Exact != PRF{TP: 1, FP: 1, FN: 1}) {
		t.Errorf("CREDIT_CARD = %+v", e)
	}
	if r.Pred != 4 || r.OnPII != 4 {
		t.Errorf("findings %d, on PII %d; want 4 and 4", r.Pred, r.OnPII)
	}
	if _, ok := got["PERSON"]; ok || r.Unclaimed["PERSON"] != 1 || r.Unclaimed["US_SSN"] != 1 {
		t.Errorf("unclaimed types scored: %+v, unclaimed %v", r.Entities, r.Unclaimed)
	}
	if (r.Overlap != PRF{TP: 3, FP: 1}) {
		t.Errorf("total overlap = %+v", r.Overlap)
	}
	if len(r.Examples) != 1 || r.Examples[0].Miss || r.Examples[0].Value != "bob@x.org" || r.Examples[0].OnType != "DOMAIN_NAME" || !strings.Contains(r.Examples[0].Snippet, "«bob@x.org»") {
		t.Errorf("examples = %+v", r.Examples)
	}
}

func TestPresidioVectorsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"source": "s", "entities": ["EMAIL_ADDRESS"], "text": "a@b.com and c@d.org", "expected_count": 2, "spans": [[0, 7], [12, 19]]}`,
		`{"source": "s", "entities": ["EMAIL_ADDRESS"], "text": "only a@b.com", "expected_count": 2, "spans": [[5, 12]]}`,
		`{"source": "s", "entities": ["EMAIL_ADDRESS"], "text": "not an email", "expected_count": 0, "spans": []}`,
		`{"source": "s", "entities": ["CREDIT_CARD"], "text": "4111111111111111", "expected_count": 0, "spans": []}`,
		`{"source": "s", "entities": ["PERSON", "EMAIL_ADDRESS"], "text": "Dan", "expected_count": 1, "spans": [[0, 3]]}`,
		`{"source": "s", "entities": null, "text": "Mr. PLUM", "expected_count": 1, "spans": null}`,
	}
	writeFiles(t, dir, map[string]string{VectorsFile: strings.Join(lines, "\n") + "\n"})
	r, err := PresidioVectors(context.Background(), dir, testEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Pos != 2 || r.PosFound != 1 || r.Neg != 2 || r.NegClean != 1 || r.OutOfScope != 2 {
		t.Errorf("pos %d/%d neg %d/%d out %d; want 1/2 1/2 2", r.PosFound, r.Pos, r.NegClean, r.Neg, r.OutOfScope)
	}
	if len(r.Failures) != 2 || r.Failures[0].Got != 1 || r.Failures[1].Entity != "CREDIT_CARD" {
		t.Errorf("failures = %+v", r.Failures)
	}
}
