package storetest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// planted are synthetic values in documented formats (an AWS key id, a
// GitHub token, a password, PII including a test card number and the
// IBAN registry's example). None is a real credential.
var planted = []struct{ rule, value string }{
	{"aws-key", "AKIAZX3KQ7PLM2NB8VYT"},
	{"github-token", "ghp_R4nd0mSynth3t1cT0k3nV4lu3F0rT3sts01"},
	{"generic-password", "Tr0ub4dor&3-horse-staple-battery"},
	{"email", "grace.hopper.planted@example.com"},
	{"card", "4111111111111111"},
	{"iban", "GB82WEST12345698765432"},
}

// testNoPlaintext records planted values the way a scan does and searches
// what the backend keeps at rest for them: not one may be there, in whole or
// in any 10-character piece beyond what the masked preview shows.
func testNoPlaintext(t *testing.T, e *env) {
	raw, ok := e.st.(Raw)
	if !ok {
		t.Fatalf("%T does not implement storetest.Raw: the plaintext audit cannot read it", e.st)
	}
	// A finding that still carries its value is refused whole.
	id := e.begin("/corpus")
	leaky := e.secret(planted[0].rule, planted[0].value, "/corpus/leak.env", 0)
	leaky.Secret = planted[0].value
	wantErr(t, e.st.Write(e.ctx, id, store.Batch{Findings: []finding.Finding{e.secret("card", planted[4].value, "/corpus/ok", 0), leaky}}),
		store.ErrPlaintext, "writing a finding with its value")
	if n, _ := e.st.CountFindings(e.ctx, store.Filter{}); n != 0 {
		t.Errorf("%d findings stored from a refused batch", n)
	}
	_, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{})
	e.must(err)

	rec, err := store.Record(e.ctx, e.st, store.ScanStart{Roots: []string{"/corpus"}}, store.RecorderOptions{})
	e.must(err)
	for i, p := range planted {
		for j := range 3 {
			f := e.secret(p.rule, p.value, fmt.Sprintf("/corpus/dir%d/file%d.txt", i, j), int64(10*j))
			e.must(rec.Finding(e.ctx, f))
		}
		e.must(rec.Item(e.ctx, store.Item{Path: fmt.Sprintf("/corpus/dir%d/file0.txt", i), Size: 100, ModTime: time.Unix(1, 0), Hash: "sha256:00"}))
	}
	e.must(rec.ItemError(e.ctx, finding.ItemError{Location: finding.Location{Path: "/corpus/x.zip"}, Reason: finding.ReasonEncrypted, Error: "zip: encrypted entry"}))
	_, err = rec.Finish(e.ctx, store.ScanEnd{Stats: finding.Stats{Items: 6, Findings: 18}})
	e.must(err)
	first := e.all(store.Filter{}, 0)[0]
	_, err = e.st.SetStatus(e.ctx, first.ID, store.Acknowledged, "auditor", "rotating")
	e.must(err)

	b, err := raw.RawBytes(e.ctx)
	e.must(err)
	// The audit must see the data to mean anything: masked previews,
	// fingerprints and paths are there.
	probe := e.secret(planted[0].rule, planted[0].value, "", 0)
	for _, want := range []string{probe.Masked, probe.Fingerprint, "/corpus/dir5/file2.txt"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Fatalf("the raw store does not hold %q: the audit is not reading the data", want)
		}
	}
	for _, p := range planted {
		if bytes.Contains(b, []byte(p.value)) {
			t.Errorf("planted %s value found in the store at rest", p.rule)
			continue
		}
		if strings.ContainsAny(p.value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			for i := 0; i+10 <= len(p.value); i++ {
				if w := p.value[i : i+10]; bytes.Contains(b, []byte(w)) {
					t.Errorf("a 10-character piece %q of the planted %s value is in the store at rest", w, p.rule)
				}
			}
		}
	}
}
