package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// canonicalWant is what every backend must hold after canonicalScenario,
// written without times: ids, order, statuses, locations and history are
// the same on all of them. The password's place under /c went in scan 3 but
// is kept: a false positive is not resolved, so its last place stays known.
const canonicalWant = `FINDINGS
3503da5b4ac7638c generic-password secret credential false-positive conf=medium scans=1..2 masked=hunt…er-x locations=1
  at /c/a.env:1:5 [4,24) scans=1..2 gone=3
  open>false-positive by alice scan=0 "test fixture"
a0c01d75f3efdc34 aws-key secret credential acknowledged conf=medium scans=1..3 masked=AKIA…DFGH locations=1
  at /c/b.env:1:13 [12,32) scans=2..3 gone=0
  open>acknowledged by bob scan=0 ""
be54024a4f18c9e6 email secret email open conf=medium scans=1..3 masked=heid….com locations=1
  at /c/archive/people.csv:1:1 [0,28) scans=3..3 gone=0
  open>resolved by leakguard scan=2 "every location gone"
  resolved>open by leakguard scan=3 "seen again"
SCANS
3 finished [/c] {Seen:2 New:0 Resolved:0 Reopened:1}
2 finished [/c] {Seen:2 New:0 Resolved:1 Reopened:0}
1 finished [/c] {Seen:3 New:3 Resolved:0 Reopened:0}
`

// canonicalScenario is three scans and two triage decisions.
func canonicalScenario(e *env) {
	key := func(path string, off int64) finding.Finding { return e.secret("aws-key", awsValue, path, off) }
	pw := func(path string) finding.Finding {
		return e.secret("generic-password", "hunter2-but-longer-x", path, 4)
	}
	mail := func(path string) finding.Finding { return e.secret("email", "heidi.klum.canon@example.com", path, 0) }
	e.scan([]string{"/c"}, key("/c/a.env", 0), key("/c/b.env", 10), pw("/c/a.env"), mail("/c/people.csv"))
	_, err := e.st.SetStatus(e.ctx, e.id(pw("")), store.FalsePositive, "alice", "test fixture")
	e.must(err)
	e.scan([]string{"/c"}, key("/c/b.env", 12), pw("/c/a.env"))
	_, err = e.st.SetStatus(e.ctx, e.id(key("", 0)), store.Acknowledged, "bob", "")
	e.must(err)
	e.scan([]string{"/c"}, key("/c/b.env", 12), mail("/c/archive/people.csv"))
}

// canonical renders the inventory without times.
func canonical(e *env) string {
	var sb strings.Builder
	sb.WriteString("FINDINGS\n")
	for _, f := range e.all(store.Filter{}, 2) {
		fmt.Fprintf(&sb, "%s %s %s %s %s conf=%s scans=%d..%d masked=%s locations=%d\n", f.ID, f.Rule, f.Kind, f.Entity,
			f.Status, f.Confidence, f.FirstScan, f.LastScan, f.Masked, f.Locations)
		locs, _, err := e.st.Locations(e.ctx, f.ID, store.Page{})
		e.must(err)
		for _, l := range locs {
			fmt.Fprintf(&sb, "  at %s:%d:%d [%d,%d) scans=%d..%d gone=%d\n", l.Where(), l.Line, l.Column, l.Offset, l.EndOffset, l.FirstScan, l.LastScan, l.GoneScan)
		}
		h, err := e.st.History(e.ctx, f.ID)
		e.must(err)
		for _, c := range h {
			fmt.Fprintf(&sb, "  %s>%s by %s scan=%d %q\n", c.From, c.To, c.Actor, c.ScanID, c.Note)
		}
	}
	scans, _, err := e.st.Scans(e.ctx, store.Page{})
	e.must(err)
	sb.WriteString("SCANS\n")
	for _, s := range scans {
		fmt.Fprintf(&sb, "%d %s %v %+v\n", s.ID, s.State, s.Roots, s.Outcome)
	}
	return sb.String()
}

func testCanonical(t *testing.T, e *env) {
	canonicalScenario(e)
	if got := canonical(e); got != canonicalWant {
		t.Errorf("inventory differs from the canonical one:\n%s\nwant:\n%s", got, canonicalWant)
	}
}
