package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/leakguard/leakguard/internal/store"
)

// Trend implements store.Store. New, resolved and reopened are counted by
// the database; how many findings were open at the end of each scan is
// rebuilt from the triage history in one ordered pass over it, since the
// inventory keeps only the current status. A finding with no history has
// been open since its first scan, so only findings with history cost
// anything, and nothing is held per finding but its own entries.
func (b *Base) Trend(ctx context.Context, flt store.Filter, n int) ([]store.TrendPoint, error) {
	flt.Status, flt.Since, flt.SinceScan = nil, time.Time{}, 0
	scans, _, err := b.Scans(ctx, store.Page{Limit: n})
	if err != nil || len(scans) == 0 {
		return nil, err
	}
	pts := make([]store.TrendPoint, len(scans))
	at := make(map[int64]int, len(scans)) // scan id → index in pts
	ends := make([]time.Time, len(scans)) // when each scan's status counts
	now := time.Now()
	for i, s := range scans {
		j := len(scans) - 1 - i // oldest first
		pts[j] = store.TrendPoint{Scan: s.ID, Started: s.Started, Finished: s.Finished, State: s.State, Roots: s.Roots}
		at[s.ID] = j
		ends[j] = s.Finished
		if s.Finished.IsZero() {
			ends[j] = now
		}
	}
	w, args := b.where(flt)

	// Findings first seen per scan: New for the scans shown, and the
	// running total of known findings.
	rows, err := b.DB.QueryContext(ctx, b.Q("SELECT f.first_scan, count(*) FROM findings f"+w+" GROUP BY f.first_scan ORDER BY f.first_scan"), args...)
	if err != nil {
		return nil, err
	}
	var firsts []struct{ scan, n int64 }
	for rows.Next() {
		var s, c int64
		if err := rows.Scan(&s, &c); err != nil {
			rows.Close()
			return nil, err
		}
		firsts = append(firsts, struct{ scan, n int64 }{s, c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	k := 0
	var known int64
	for j := range pts {
		for k < len(firsts) && firsts[k].scan <= pts[j].Scan {
			known += firsts[k].n
			if firsts[k].scan == pts[j].Scan {
				pts[j].New = firsts[k].n
			}
			k++
		}
		pts[j].Known, pts[j].Open = known, known
	}

	// The history, finding by finding: each finding's status at the end of
	// every scan shown, and the changes the scans made.
	hw := " WHERE h.finding_id IN (SELECT f.id FROM findings f" + w + ")"
	if w == "" {
		hw = ""
	}
	rows, err = b.DB.QueryContext(ctx, b.Q(`SELECT h.finding_id, h.at, h.to_status, h.scan_id, f.first_scan
		FROM history h JOIN findings f ON f.id = h.finding_id`+hw+` ORDER BY h.finding_id, h.id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cur string
	var first int64
	var entries []historyEntry
	settle := func() {
		closedAt(pts, ends, first, entries)
		entries = entries[:0]
	}
	for rows.Next() {
		var id, to string
		var stamp TimeCol
		var scan sql.NullInt64
		var fs int64
		if err := rows.Scan(&id, &stamp, &to, &scan, &fs); err != nil {
			return nil, err
		}
		if id != cur && cur != "" {
			settle()
		}
		cur, first = id, fs
		entries = append(entries, historyEntry{at: stamp.T, to: store.Status(to), scan: scan.Int64})
		if j, ok := at[scan.Int64]; ok && scan.Valid {
			switch store.Status(to) {
			case store.Resolved:
				pts[j].Resolved++
			case store.Open:
				pts[j].Reopened++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if cur != "" {
		settle()
	}
	return pts, nil
}

type historyEntry struct {
	at   time.Time
	to   store.Status
	scan int64 // the scan that made the change; 0 for a person
}

// closedAt takes one finding's history, oldest first, and removes it from
// Open at the end of each scan shown when it was then neither open nor
// acknowledged. A change a scan made counts from that scan on; a person's
// change counts from the first scan that ended after it.
func closedAt(pts []store.TrendPoint, ends []time.Time, first int64, h []historyEntry) {
	status, i := store.Open, 0
	for j := range pts {
		for i < len(h) && applies(h[i], pts[j].Scan, ends[j]) {
			status = h[i].to
			i++
		}
		if pts[j].Scan >= first && status != store.Open && status != store.Acknowledged {
			pts[j].Open--
		}
	}
}

func applies(e historyEntry, scan int64, end time.Time) bool {
	if e.scan != 0 {
		return e.scan <= scan
	}
	return !e.at.After(end)
}
