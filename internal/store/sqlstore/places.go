package sqlstore

import (
	"context"
	"strings"

	"github.com/leakguard/leakguard/internal/store"
)

// places fills, for a page of findings, what a listing shows of their
// locations: the count and the first by path of the live ones (of the gone
// ones for a finding that has no live one), and the last scan that reused
// an unchanged item holding one. Two queries per page, not per finding.
func (b *Base) places(ctx context.Context, fs []store.Finding) error {
	if len(fs) == 0 {
		return nil
	}
	ids := make([]any, len(fs))
	at := make(map[string]*store.Finding, len(fs))
	for i := range fs {
		ids[i] = fs[i].ID
		at[fs[i].ID] = &fs[i]
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(fs)), ",") + ")"
	// Live places sort first ("gone_scan IS NULL" is true); the count runs
	// over the class of the first row: live when there is one, else gone.
	rows, err := b.DB.QueryContext(ctx, b.Q(`SELECT finding_id, path, container, line, col, end_line, end_col, off, end_off, n FROM (
		SELECT finding_id, path, container, line, col, end_line, end_col, off, end_off,
			ROW_NUMBER() OVER (PARTITION BY finding_id ORDER BY gone_scan IS NULL DESC, path, container, off) AS rn,
			count(*) OVER (PARTITION BY finding_id, gone_scan IS NULL) AS n
		FROM locations WHERE finding_id IN `+in+`) x WHERE rn = 1`), ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, container string
		var l store.Location
		var n int64
		if err := rows.Scan(&id, &l.Path, &container, &l.Line, &l.Column, &l.EndLine, &l.EndColumn, &l.Offset, &l.EndOffset, &n); err != nil {
			rows.Close()
			return err
		}
		if f := at[id]; f != nil {
			l.Container = store.DecodeContainer(container)
			f.Where, f.Locations = l.Location, n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = b.DB.QueryContext(ctx, b.Q(`SELECT r.finding_id, r.last, s.started FROM (
		SELECT l.finding_id, max(i.last_scan) AS last FROM locations l
		JOIN items i ON i.path = l.path AND i.container = ''
		WHERE l.finding_id IN `+in+` AND l.gone_scan IS NULL AND i.reused = 1 GROUP BY l.finding_id) r
		JOIN scans s ON s.id = r.last`), ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var last int64
		var started TimeCol
		if err := rows.Scan(&id, &last, &started); err != nil {
			return err
		}
		if f := at[id]; f != nil && last > f.LastScan {
			f.LastScan, f.LastSeen = last, started.T
		}
	}
	return rows.Err()
}
