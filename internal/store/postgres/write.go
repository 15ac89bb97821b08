package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/sqlstore"
)

// Write implements store.Store: each table's rows go to the server with one
// COPY into a temporary table dropped at commit, then one INSERT … SELECT
// merges them with the same conflict clauses as SQLite's multi-row inserts.
// A batch is thus a handful of round trips whatever its size.
func (s *Store) Write(ctx context.Context, scan int64, batch store.Batch) error {
	rows, err := store.PrepareRows(batch)
	if err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	if err := s.write(ctx, tx, scan, &rows); err != nil {
		return errors.Join(err, tx.Rollback(ctx))
	}
	return tx.Commit(ctx)
}

func (s *Store) write(ctx context.Context, tx pgx.Tx, scan int64, rows *store.Rows) error {
	var state string
	var started any
	err := tx.QueryRow(ctx, "SELECT state, started FROM scans WHERE id = $1 FOR UPDATE", scan).Scan(&state, &started)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && store.ScanState(state) != store.Running {
		return fmt.Errorf("scan %d: %w", scan, store.ErrScanState)
	}
	if err != nil {
		return err
	}
	err = s.merge(ctx, tx, "findings", "lg_batch_findings", sqlstore.FindingCols, s.FindingUpsert(), len(rows.Findings), func(i int) []any {
		return s.FindingArgs(&rows.Findings[i], scan, started)
	})
	if err == nil {
		err = s.merge(ctx, tx, "locations", "lg_batch_locations", sqlstore.LocationCols, sqlstore.LocationUpsert, len(rows.Locations), func(i int) []any {
			return sqlstore.LocationArgs(&rows.Locations[i], scan)
		})
	}
	if err == nil {
		err = s.merge(ctx, tx, "items", "lg_batch_items", sqlstore.ItemCols, sqlstore.ItemUpsert, len(rows.Items), func(i int) []any {
			return sqlstore.ItemArgs(&rows.Items[i], scan)
		})
	}
	if err == nil {
		// Its own temporary table: the items merge's is still filled.
		err = s.merge(ctx, tx, "items", "lg_holders", sqlstore.HolderCols, sqlstore.HolderInsert, len(rows.Holders), func(i int) []any {
			return sqlstore.HolderArgs(rows.Holders[i], scan)
		})
	}
	if err == nil && len(rows.Errors) > 0 {
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"scan_errors"}, colList(sqlstore.ErrorCols), pgx.CopyFromSlice(len(rows.Errors), func(i int) ([]any, error) {
			e := &rows.Errors[i]
			return cleanArgs([]any{scan, e.Location.Path, store.EncodeContainer(e.Location.Container), e.Reason, e.Error}), nil
		}))
	}
	return err
}

// merge copies n rows into tmp, a temporary twin of table, and upserts
// them.
func (s *Store) merge(ctx context.Context, tx pgx.Tx, table, tmp, cols, conflict string, n int, row func(int) []any) error {
	if n == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, "CREATE TEMP TABLE IF NOT EXISTS "+tmp+" (LIKE "+table+" INCLUDING DEFAULTS) ON COMMIT DROP"); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{tmp}, colList(cols), pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		return cleanArgs(row(i)), nil
	})); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO "+table+" ("+cols+") SELECT "+cols+" FROM "+tmp+conflict); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}

func colList(cols string) []string {
	out := strings.Split(cols, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// Clean makes a string storable in a PostgreSQL text column, which takes
// neither NUL bytes nor invalid UTF-8 (a file name on Linux may hold
// either): invalid bytes become U+FFFD. SQLite stores the bytes as they are.
func Clean(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func cleanArgs(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = Clean(s)
		}
	}
	return args
}
