package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

const findingCols = `f.id, f.rule, f.name, f.kind, f.entity, f.confidence, f.severity, f.masked, f.fingerprint,
	f.status, f.status_at, f.first_scan, f.last_scan, f.first_seen, f.last_seen`

func scanFinding(row interface{ Scan(...any) error }) (store.Finding, error) {
	var f store.Finding
	var kind, sev, status string
	var statusAt, first, last TimeCol
	err := row.Scan(&f.ID, &f.Rule, &f.Name, &kind, &f.Entity, &f.Confidence, &sev, &f.Masked, &f.Fingerprint,
		&status, &statusAt, &f.FirstScan, &f.LastScan, &first, &last)
	f.Kind, f.Severity, f.Status = finding.Kind(kind), finding.Severity(sev), store.Status(status)
	f.StatusChanged, f.FirstSeen, f.LastSeen = statusAt.T, first.T, last.T
	return f, err
}

// where turns a filter into conditions on findings aliased f.
func (b *Base) where(f store.Filter) (string, []any) {
	var conds []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("f.status", strs(f.Status))
	in("f.kind", strs(f.Kind))
	in("f.entity", f.Entity)
	in("f.rule", f.Rule)
	in("f.severity", strs(f.Severity))
	if f.MinConfidence > 0 {
		conds = append(conds, "f.confidence >= ?")
		args = append(args, int(f.MinConfidence))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "f.first_seen >= ?")
		args = append(args, b.T(f.Since))
	}
	if f.SinceScan > 0 {
		conds = append(conds, "f.first_scan >= ?")
		args = append(args, f.SinceScan)
	}
	if f.PathPrefix != "" {
		sub := "SELECT l.finding_id FROM locations l WHERE l.path >= ?"
		prefix := b.text(f.PathPrefix)
		args = append(args, prefix)
		if end := store.PrefixEnd(prefix); end != "" {
			sub += " AND l.path < ?"
			args = append(args, end)
		}
		conds = append(conds, "f.id IN ("+sub+")")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

// Findings implements store.Store.
func (b *Base) Findings(ctx context.Context, flt store.Filter, p store.Page) ([]store.Finding, string, error) {
	w, args := b.where(flt)
	if p.After != "" {
		if w == "" {
			w = " WHERE f.id > ?"
		} else {
			w += " AND f.id > ?"
		}
		args = append(args, p.After)
	}
	n := p.N()
	rows, err := b.DB.QueryContext(ctx, b.Q("SELECT "+findingCols+" FROM findings f"+w+" ORDER BY f.id LIMIT ?"), append(args, n+1)...)
	if err != nil {
		return nil, "", err
	}
	var out []store.Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			rows.Close()
			return nil, "", err
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > n {
		out = out[:n]
		next = out[n-1].ID
	}
	return out, next, b.places(ctx, out)
}

// CountFindings implements store.Store.
func (b *Base) CountFindings(ctx context.Context, flt store.Filter) (int64, error) {
	w, args := b.where(flt)
	var n int64
	err := b.DB.QueryRowContext(ctx, b.Q("SELECT count(*) FROM findings f"+w), args...).Scan(&n)
	return n, err
}

// Finding implements store.Store.
func (b *Base) Finding(ctx context.Context, idOrPrefix string) (store.Finding, error) {
	lo, hi, err := store.IDRange(idOrPrefix)
	if err != nil {
		return store.Finding{}, err
	}
	rows, err := b.DB.QueryContext(ctx, b.Q("SELECT "+findingCols+" FROM findings f WHERE f.id >= ? AND f.id < ? ORDER BY f.id LIMIT 2"), lo, hi)
	if err != nil {
		return store.Finding{}, err
	}
	var found []store.Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			rows.Close()
			return f, err
		}
		found = append(found, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.Finding{}, err
	}
	switch len(found) {
	case 0:
		return store.Finding{}, fmt.Errorf("finding %s: %w", idOrPrefix, store.ErrNotFound)
	case 2:
		return store.Finding{}, fmt.Errorf("finding %s: %w", idOrPrefix, store.ErrAmbiguous)
	}
	return found[0], b.places(ctx, found)
}

// Locations implements store.Store.
func (b *Base) Locations(ctx context.Context, id string, p store.Page) ([]store.Location, string, error) {
	cur, ok, err := store.DecodeLocationCursor(p.After)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT path, container, off, end_off, line, col, end_line, end_col, match, first_scan, last_scan, gone_scan
		FROM locations WHERE finding_id = ?`
	args := []any{id}
	if ok {
		q += " AND (path > ? OR path = ? AND (container > ? OR container = ? AND off > ?))"
		args = append(args, cur.Path, cur.Path, cur.Container, cur.Container, cur.Offset)
	}
	n := p.N()
	rows, err := b.DB.QueryContext(ctx, b.Q(q+" ORDER BY path, container, off LIMIT ?"), append(args, n+1)...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []store.Location
	var conts []string
	for rows.Next() {
		var l store.Location
		var container, match string
		var gone sql.NullInt64
		if err := rows.Scan(&l.Path, &container, &l.Offset, &l.EndOffset, &l.Line, &l.Column, &l.EndLine, &l.EndColumn,
			&match, &l.FirstScan, &l.LastScan, &gone); err != nil {
			return nil, "", err
		}
		if match != "" {
			l.Match = new(finding.Match)
			if err := json.Unmarshal([]byte(match), l.Match); err != nil {
				return nil, "", fmt.Errorf("finding %s: match: %w", id, err)
			}
		}
		l.Container, l.GoneScan = store.DecodeContainer(container), gone.Int64
		out, conts = append(out, l), append(conts, container)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > n {
		out = out[:n]
		last := out[n-1]
		next = store.LocationCursor{Path: last.Path, Container: conts[n-1], Offset: last.Offset}.Encode()
	}
	return out, next, nil
}

// History implements store.Store.
func (b *Base) History(ctx context.Context, id string) ([]store.Change, error) {
	rows, err := b.DB.QueryContext(ctx, b.Q(`SELECT finding_id, at, actor, from_status, to_status, note, scan_id
		FROM history WHERE finding_id = ? ORDER BY id`), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Change
	for rows.Next() {
		var c store.Change
		var at TimeCol
		var from, to string
		var scan sql.NullInt64
		if err := rows.Scan(&c.FindingID, &at, &c.Actor, &from, &to, &c.Note, &scan); err != nil {
			return nil, err
		}
		c.At, c.From, c.To, c.ScanID = at.T, store.Status(from), store.Status(to), scan.Int64
		out = append(out, c)
	}
	return out, rows.Err()
}
