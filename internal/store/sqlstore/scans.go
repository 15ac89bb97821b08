package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// BeginScan implements store.Store.
func (b *Base) BeginScan(ctx context.Context, s store.ScanStart) (int64, error) {
	roots, err := json.Marshal(orEmpty(s.Roots))
	if err != nil {
		return 0, err
	}
	opts := "{}"
	if len(s.Options) > 0 {
		if !json.Valid(s.Options) {
			return 0, fmt.Errorf("scan options are not valid JSON")
		}
		opts = string(s.Options)
	}
	var id int64
	err = b.DB.QueryRowContext(ctx, b.Q(`INSERT INTO scans (started, state, roots, options, version, digest)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		b.T(store.NowOr(s.Started)), string(store.Running), string(roots), opts, s.Version, s.Digest).Scan(&id)
	return id, err
}

const scanCols = `id, started, finished, state, roots, options, version, digest, stats, seen, new, resolved, reopened,
	(SELECT count(*) FROM scan_errors e WHERE e.scan_id = s.id)`

func scanScan(row interface{ Scan(...any) error }) (store.Scan, error) {
	var s store.Scan
	var started, finished TimeCol
	var state, roots, opts, stats string
	err := row.Scan(&s.ID, &started, &finished, &state, &roots, &opts, &s.Version, &s.Digest, &stats,
		&s.Outcome.Seen, &s.Outcome.New, &s.Outcome.Resolved, &s.Outcome.Reopened, &s.Errors)
	if err != nil {
		return s, err
	}
	s.Started, s.Finished, s.State = started.T, finished.T, store.ScanState(state)
	if opts != "{}" {
		s.Options = json.RawMessage(opts)
	}
	if err := json.Unmarshal([]byte(roots), &s.Roots); err != nil {
		return s, fmt.Errorf("scan %d roots: %w", s.ID, err)
	}
	if err := json.Unmarshal([]byte(stats), &s.Stats); err != nil {
		return s, fmt.Errorf("scan %d stats: %w", s.ID, err)
	}
	return s, nil
}

// Scan implements store.Store.
func (b *Base) Scan(ctx context.Context, id int64) (store.Scan, error) {
	s, err := scanScan(b.DB.QueryRowContext(ctx, b.Q("SELECT "+scanCols+" FROM scans s WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("scan %d: %w", id, store.ErrNotFound)
	}
	return s, err
}

// Scans implements store.Store.
func (b *Base) Scans(ctx context.Context, p store.Page) ([]store.Scan, string, error) {
	q, args := "SELECT "+scanCols+" FROM scans s", []any{}
	if p.After != "" {
		after, err := strconv.ParseInt(p.After, 10, 64)
		if err != nil {
			return nil, "", fmt.Errorf("bad scan cursor %q", p.After)
		}
		q += " WHERE id < ?"
		args = append(args, after)
	}
	n := p.N()
	rows, err := b.DB.QueryContext(ctx, b.Q(q+" ORDER BY id DESC LIMIT ?"), append(args, n+1)...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []store.Scan
	for rows.Next() {
		s, err := scanScan(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > n {
		out = out[:n]
		next = strconv.FormatInt(out[n-1].ID, 10)
	}
	return out, next, nil
}

// ScanErrors implements store.Store. The cursor is the error's row id.
func (b *Base) ScanErrors(ctx context.Context, scanID int64, p store.Page) ([]finding.ItemError, string, error) {
	var after int64
	if p.After != "" {
		var err error
		if after, err = strconv.ParseInt(p.After, 10, 64); err != nil {
			return nil, "", fmt.Errorf("bad error cursor %q", p.After)
		}
	}
	n := p.N()
	rows, err := b.DB.QueryContext(ctx, b.Q(`SELECT id, path, container, reason, message FROM scan_errors
		WHERE scan_id = ? AND id > ? ORDER BY id LIMIT ?`), scanID, after, n+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []finding.ItemError
	var ids []int64
	for rows.Next() {
		var e finding.ItemError
		var id int64
		var container string
		if err := rows.Scan(&id, &e.Location.Path, &container, &e.Reason, &e.Error); err != nil {
			return nil, "", err
		}
		e.Location.Container = store.DecodeContainer(container)
		out, ids = append(out, e), append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > n {
		out = out[:n]
		next = strconv.FormatInt(ids[n-1], 10)
	}
	return out, next, nil
}

// BindKey implements store.Store: the check is kept in meta beside the
// inventory's identity. An inventory made before there was a check is
// bound to the key of the first scan that asks.
func (b *Base) BindKey(ctx context.Context, check string) error {
	return b.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, b.Q("INSERT INTO meta (name, value) VALUES ('key_check', ?) ON CONFLICT (name) DO NOTHING"), check); err != nil {
			return fmt.Errorf("inventory key: %w", err)
		}
		var bound string
		if err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE name = 'key_check'").Scan(&bound); err != nil {
			return fmt.Errorf("inventory key: %w", err)
		}
		if bound != check {
			return store.ErrOtherKey
		}
		return nil
	})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Instance implements store.Store.
func (b *Base) Instance(ctx context.Context) (string, error) {
	var id string
	if err := b.DB.QueryRowContext(ctx, "SELECT value FROM meta WHERE name = 'instance'").Scan(&id); err != nil {
		return "", fmt.Errorf("inventory identity: %w", err)
	}
	return id, nil
}
