package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/leakguard/leakguard/internal/store"
)

// deferrable names the indexes a first scan drops while it writes. Each
// serves reading (filters, the end-of-scan settlement), none the write, and
// each keyed by a hash id would take a random-order insert per row: at a
// million findings that, not the rows themselves, is most of the writing.
func deferrable() []string {
	return []string{"findings_status", "findings_rule", "findings_first_scan", "locations_finding"}
}

// BeginScan implements store.Store. When the inventory holds no finding
// yet, the scan is a first one and may write millions: the deferrable
// indexes are dropped, their definitions kept in deferred_indexes, and
// FinishScan builds them again. Otherwise indexes a first scan left
// deferred (it crashed before finishing) are built first.
func (s *Store) BeginScan(ctx context.Context, start store.ScanStart) (int64, error) {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM findings LIMIT 1").Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return deferIndexes(ctx, tx)
		case err != nil:
			return err
		}
		return buildIndexes(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("inventory: %w", err)
	}
	return s.Base.BeginScan(ctx, start)
}

// FinishScan implements store.Store: the settlement reads findings by
// status and locations by finding, so deferred indexes are built first.
// A reader meanwhile finds every row, only more slowly.
func (s *Store) FinishScan(ctx context.Context, id int64, end store.ScanEnd) (store.Outcome, error) {
	if err := s.Tx(ctx, func(tx *sql.Tx) error { return buildIndexes(ctx, tx) }); err != nil {
		return store.Outcome{}, fmt.Errorf("inventory: %w", err)
	}
	return s.Base.FinishScan(ctx, id, end)
}

// deferIndexes drops the deferrable indexes that exist, keeping their
// definitions.
func deferIndexes(ctx context.Context, tx *sql.Tx) error {
	for _, name := range deferrable() {
		var def string
		err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", name).Scan(&def)
		if errors.Is(err, sql.ErrNoRows) {
			continue // already deferred
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)", name, def); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return err
		}
	}
	return nil
}

// buildIndexes builds every deferred index, each by one sort of its table.
func buildIndexes(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT sql FROM deferred_indexes ORDER BY name")
	if err != nil {
		return err
	}
	var defs []string
	for rows.Next() {
		var def string
		if err := rows.Scan(&def); err != nil {
			rows.Close()
			return err
		}
		defs = append(defs, def)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, def := range defs {
		if _, err := tx.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("building %q: %w", def, err)
		}
	}
	if len(defs) == 0 {
		return nil
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM deferred_indexes")
	return err
}
