package invreport

import (
	"context"
	"errors"
	"fmt"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// ErrChanged is what a List reports when the inventory lost findings that
// pass its filter while a report was being written (a triage decision, a
// scan resolving some): the report would be short, so it is refused.
var ErrChanged = errors.New("the inventory changed while the report was written; write it again")

// List hands out the findings that pass a filter, in id order, as the
// report.List the scan report writers read: a page of store.MaxLimit
// findings at a time, so that a report of a million findings holds one
// page, not a million. It counts them when made; findings added later are
// left out. Reading backwards starts over from the first page, which is
// what a writer that makes two passes (CSV, SARIF) costs: two reads.
//
// report.List cannot fail, so a List keeps the first error and hands out
// zero findings after it; the caller checks Err once the writer is done
// and discards what it wrote when it is set.
type List struct {
	ctx context.Context
	st  store.Store
	f   store.Filter
	n   int

	page  []store.Finding
	start int    // index of page[0]
	next  string // cursor after page; "" at the end
	err   error
}

// NewList counts the findings that pass f and returns a List of them.
func NewList(ctx context.Context, st store.Store, f store.Filter) (*List, error) {
	n, err := st.CountFindings(ctx, f)
	if err != nil {
		return nil, err
	}
	return &List{ctx: ctx, st: st, f: f, n: int(n)}, nil
}

// Len implements report.List.
func (l *List) Len() int { return l.n }

// HasSecrets implements report.SecretHolder: the inventory never holds a
// value in clear.
func (l *List) HasSecrets() bool { return false }

// Err returns the first error met while reading.
func (l *List) Err() error { return l.err }

// At implements report.List; i must be read in order, or from 0 again.
func (l *List) At(i int) finding.Finding {
	if f, ok := l.Get(i); ok {
		return ToFinding(f)
	}
	return finding.Finding{}
}

// Get returns the i-th inventory finding; false after an error.
func (l *List) Get(i int) (store.Finding, bool) {
	if l.err != nil {
		return store.Finding{}, false
	}
	if i < l.start || l.page == nil {
		l.start, l.page, l.next = 0, nil, ""
		if !l.load() {
			return store.Finding{}, false
		}
	}
	for i >= l.start+len(l.page) {
		if l.next == "" {
			l.err = fmt.Errorf("%w (%d findings counted, %d listed)", ErrChanged, l.n, l.start+len(l.page))
			return store.Finding{}, false
		}
		l.start += len(l.page)
		if !l.load() {
			return store.Finding{}, false
		}
	}
	return l.page[i-l.start], true
}

// load reads the page after l.next.
func (l *List) load() bool {
	page, next, err := l.st.Findings(l.ctx, l.f, store.Page{Limit: store.MaxLimit, After: l.next})
	if err != nil {
		l.err = err
		return false
	}
	l.page, l.next = page, next
	if l.page == nil {
		l.page = []store.Finding{}
	}
	return true
}

// ToFinding is an inventory finding as a scan reports one: at its first
// live location (of its last known one, resolved), with its masked preview
// and keyed fingerprint. What only the inventory knows (id, status, number
// of places, seen times) is not part of finding.Finding; the OCSF export
// and 'findings list' carry it.
func ToFinding(f store.Finding) finding.Finding {
	return finding.Finding{Rule: f.Rule, Name: f.Name, Kind: f.Kind, Entity: f.Entity, Confidence: f.Confidence,
		Severity: f.Severity, Location: f.Where, Masked: f.Masked, Fingerprint: f.Fingerprint}
}
