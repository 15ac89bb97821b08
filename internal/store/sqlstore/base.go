// Package sqlstore is the part of the inventory both SQL backends share over
// database/sql: reading (scans, findings with filters and keyset pages,
// locations, history), triage, the end-of-scan settlement, incremental
// lookups and a plain row-by-row write path. A backend (sqlite/, postgres/)
// opens the database, describes its dialect and may replace the write path
// with a faster one; the SQL itself is written once, here, so both backends
// answer the same questions the same way.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/store"
)

// Dialect is what differs between the SQL databases.
type Dialect struct {
	Name string // store.SQLite or store.Postgres
	// Dollar numbers placeholders ($1, $2…) instead of writing "?".
	Dollar bool
	// Greatest is the two-argument maximum: "max" or "GREATEST".
	Greatest string
	// ForUpdate is appended to a SELECT that a transaction will update.
	ForUpdate string
	// Time is how a timestamp is bound (SQLite: Unix microseconds).
	Time func(time.Time) any
	// Write, when set, is run first in every write transaction of Write.
	Write string
	// Settle, when set, is run after FinishScan commits.
	Settle string
	// JSON extracts the scalar member key of a JSON object held in a text
	// column, as SQL; the column may be "" (no object), which must give
	// NULL rather than an error.
	JSON func(col, key string) string
	// Unindexed is put before a column to keep the planner from using an
	// index on it (SQLite: "+"; PostgreSQL plans by cost and needs none).
	Unindexed string
	// Text makes a path storable, as the write path stores it, so that
	// lookups by path find it; nil keeps paths as they are.
	Text func(string) string
}

// Base implements every Store method except Write and Close on a
// database/sql handle.
type Base struct {
	DB *sql.DB
	D  Dialect
}

// Q rewrites a query written with "?" placeholders for the dialect.
func (b *Base) Q(q string) string {
	if !b.D.Dollar {
		return q
	}
	var sb strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(n))
			continue
		}
		sb.WriteByte(q[i])
	}
	return sb.String()
}

// text maps a path argument as the dialect stores paths.
func (b *Base) text(s string) string {
	if b.D.Text == nil {
		return s
	}
	return b.D.Text(s)
}

// T binds a timestamp.
func (b *Base) T(t time.Time) any { return b.D.Time(store.Micro(t)) }

// Tx runs fn in a transaction, committing when it returns nil.
func (b *Base) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := b.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// TimeCol scans a timestamp column of either dialect: Unix microseconds
// (SQLite) or a native timestamp (PostgreSQL); NULL is the zero time.
type TimeCol struct{ T time.Time }

// Scan implements sql.Scanner.
func (c *TimeCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		c.T = time.Time{}
	case int64:
		c.T = time.UnixMicro(x).UTC()
	case time.Time:
		c.T = x.UTC()
	default:
		return fmt.Errorf("timestamp column holds %T", v)
	}
	return nil
}

// scanState reads a scan's state and start, locking the row where the
// dialect can; ErrScanState when the scan is unknown or not running.
func (b *Base) scanState(ctx context.Context, tx *sql.Tx, id int64) (time.Time, error) {
	var state string
	var started TimeCol
	err := tx.QueryRowContext(ctx, b.Q("SELECT state, started FROM scans WHERE id = ?"+b.D.ForUpdate), id).Scan(&state, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("scan %d: %w", id, store.ErrScanState)
	}
	if err != nil {
		return time.Time{}, err
	}
	if store.ScanState(state) != store.Running {
		return time.Time{}, fmt.Errorf("scan %d is %s: %w", id, state, store.ErrScanState)
	}
	return started.T, nil
}
