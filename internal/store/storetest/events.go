package storetest

import (
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// testEvents: events of the inline channels come back newest first, a page
// at a time, with their findings and never a plaintext value.
func testEvents(t *testing.T, e *env) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		_, err := e.st.AddEvent(e.ctx, store.Event{At: at.Add(time.Duration(i) * time.Minute), Channel: "icap", Action: "block",
			Reason: "Payment card number (credit-card)", Client: "10.0.0.7", User: "alice", Destination: "https://paste.example/up",
			Findings: []finding.Finding{{Rule: "credit-card", Kind: finding.PII, Entity: "CREDIT_CARD", Confidence: finding.High,
				Masked: "41…11", Fingerprint: "0123456789abcdef0123456789abcdef", Secret: "4111111111111111"}}})
		e.must(err)
	}
	page, next, err := e.st.Events(e.ctx, store.Page{Limit: 2})
	e.must(err)
	if len(page) != 2 || next == "" || !page[0].At.Equal(at.Add(2*time.Minute)) || page[0].ID <= page[1].ID {
		t.Fatalf("first page: %+v next %q", page, next)
	}
	rest, next, err := e.st.Events(e.ctx, store.Page{Limit: 2, After: next})
	e.must(err)
	if len(rest) != 1 || next != "" || !rest[0].At.Equal(at) {
		t.Fatalf("second page: %+v next %q", rest, next)
	}
	ev := rest[0]
	if ev.Channel != "icap" || ev.Action != "block" || ev.Client != "10.0.0.7" || ev.User != "alice" ||
		ev.Destination != "https://paste.example/up" || len(ev.Findings) != 1 || ev.Findings[0].Masked != "41…11" {
		t.Errorf("event read back as %+v", ev)
	}
	if ev.Findings[0].Secret != "" {
		t.Errorf("an event kept the plaintext value")
	}
}
