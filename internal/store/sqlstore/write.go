package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/store"
)

// The conflict clauses of the three upserts, shared by every write path so
// that both backends merge a rescan the same way. On a finding the values
// of the newest scan win, except confidence, which is the highest among the
// places one scan saw.

// FindingUpsert returns the conflict clause of an insert into findings.
func (b *Base) FindingUpsert() string {
	return ` ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, entity = excluded.entity,
	severity = excluded.severity, masked = excluded.masked,
	confidence = CASE WHEN findings.last_scan = excluded.last_scan
		THEN ` + b.D.Greatest + `(findings.confidence, excluded.confidence) ELSE excluded.confidence END,
	last_scan = excluded.last_scan, last_seen = excluded.last_seen`
}

// LocationUpsert is the conflict clause of an insert into locations. It
// leaves gone_scan alone: a place seen again is made live again by
// FinishScan (see there), for the few that were gone. Setting it here
// rewrote the index entry by finding of every place a scan saw again
// (gone_scan is in it, and an UPDATE rewrites the entries of every index
// holding a column it sets): a scan of the benchmark corpus into an
// inventory holding it wrote 3.1 million pages to SQLite's log, and a
// copy of 28k such updates took 0.63-0.92 s against 0.39-0.58 s, with 105
// against 59 MB of log.
const LocationUpsert = ` ON CONFLICT (path, container, off, finding_id) DO UPDATE SET end_off = excluded.end_off,
	line = excluded.line, col = excluded.col, end_line = excluded.end_line, end_col = excluded.end_col,
	match = excluded.match, last_scan = excluded.last_scan`

// ItemUpsert is the conflict clause of an insert into items.
const ItemUpsert = ` ON CONFLICT (path, container) DO UPDATE SET root = excluded.root, size = excluded.size,
	mtime_ns = excluded.mtime_ns, ident = excluded.ident, hash = excluded.hash, errors = excluded.errors,
	reused = excluded.reused, last_scan = excluded.last_scan`

// Column lists of the inserts, in the order the row functions fill them.
const (
	FindingCols  = "id, rule, name, kind, entity, confidence, severity, masked, fingerprint, status, status_at, first_scan, last_scan, first_seen, last_seen"
	LocationCols = "path, container, off, finding_id, end_off, line, col, end_line, end_col, match, first_scan, last_scan"
	ItemCols     = "path, container, root, size, mtime_ns, ident, hash, errors, reused, first_scan, last_scan"
	ErrorCols    = "scan_id, path, container, reason, message"
)

// HolderCols and HolderInsert write the item row a place's path needs
// when the batch does not record its item (Rows.Holders): an existing row
// is left as it is.
const (
	HolderCols   = "path, container, root, size, mtime_ns, first_scan, last_scan"
	HolderInsert = " ON CONFLICT (path, container) DO NOTHING"
)

// HolderArgs returns a holder row's values for HolderCols.
func HolderArgs(path string, scan int64) []any { return []any{path, "", "", -1, 0, scan, scan} }

// FindingArgs returns a finding row's values for FindingCols.
func (b *Base) FindingArgs(f *store.FindingRow, scan int64, seen any) []any {
	return append(appendFindingOwn(nil, f), string(store.Open), seen, scan, scan, seen, seen)
}

// appendFindingOwn appends the values of FindingCols that differ from row
// to row, its first findingOwn; the rest are the scan's.
func appendFindingOwn(args []any, f *store.FindingRow) []any {
	return append(args, f.ID, f.Rule, f.Name, string(f.Kind), f.Entity, int(f.Confidence), string(f.Severity), f.Masked, f.Finger)
}

// LocationArgs returns a location row's values for LocationCols.
func LocationArgs(l *store.LocationRow, scan int64) []any {
	return append(appendLocationOwn(nil, l), scan, scan)
}

// appendLocationOwn appends the values of LocationCols that differ from
// row to row: all but the last two, the scan's.
func appendLocationOwn(args []any, l *store.LocationRow) []any {
	return append(args, l.Path, l.Container, l.Offset, l.FindingID, l.EndOffset, l.Line, l.Column, l.EndLine, l.EndColumn, l.Match)
}

// ItemArgs returns an item's values for ItemCols.
func ItemArgs(it *store.Item, scan int64) []any {
	reused := 0
	if it.Reused {
		reused = 1
	}
	return []any{it.Path, store.EncodeContainer(it.Container), it.Root, it.Size, it.ModTime.UnixNano(), it.Ident, it.Hash, it.Errors, reused, scan, scan}
}

// Write implements store.Store with multi-row inserts in one transaction.
func (b *Base) Write(ctx context.Context, scan int64, batch store.Batch) error {
	rows, err := store.PrepareRows(batch)
	if err != nil {
		return err
	}
	return b.Tx(ctx, func(tx *sql.Tx) error {
		if b.D.Write != "" {
			if _, err := tx.ExecContext(ctx, b.D.Write); err != nil {
				return err
			}
		}
		started, err := b.scanState(ctx, tx, scan)
		if err != nil {
			return err
		}
		// The values every row of the batch shares are written into the
		// statement, not bound per row: six of a finding's fifteen, two
		// of a location's twelve. Binding was a third of the inserts'
		// time, and fewer values a row put more rows in a statement.
		seen, ok := b.T(started).(int64)
		if !ok {
			return fmt.Errorf("scan %d: Write needs timestamps as integers (SQLite's)", scan)
		}
		at, id := strconv.FormatInt(seen, 10), strconv.FormatInt(scan, 10)
		findingRow := ownValues(findingOwn) + ",'" + string(store.Open) + "'," + at + "," + id + "," + id + "," + at + "," + at + ")"
		err = b.bulk(ctx, tx, "findings", FindingCols, findingRow, b.FindingUpsert(), len(rows.Findings), func(args []any, i int) []any {
			return appendFindingOwn(args, &rows.Findings[i])
		})
		if err == nil {
			locationRow := ownValues(locationOwn) + "," + id + "," + id + ")"
			err = b.bulk(ctx, tx, "locations", LocationCols, locationRow, LocationUpsert, len(rows.Locations), func(args []any, i int) []any {
				return appendLocationOwn(args, &rows.Locations[i])
			})
		}
		items := rows.Items
		if err == nil {
			items, err = b.reuse(ctx, tx, scan, items)
		}
		if err == nil {
			err = b.bulk(ctx, tx, "items", ItemCols, ownValues(11)+")", ItemUpsert, len(items), func(args []any, i int) []any {
				return append(args, ItemArgs(&items[i], scan)...)
			})
		}
		if err == nil {
			err = b.bulk(ctx, tx, "items", HolderCols, ownValues(7)+")", HolderInsert, len(rows.Holders), func(args []any, i int) []any {
				return append(args, HolderArgs(rows.Holders[i], scan)...)
			})
		}
		if err == nil {
			err = b.bulk(ctx, tx, "scan_errors", ErrorCols, ownValues(5)+")", "", len(rows.Errors), func(args []any, i int) []any {
				e := &rows.Errors[i]
				return append(args, scan, e.Location.Path, store.EncodeContainer(e.Location.Container), e.Reason, e.Error)
			})
		}
		return err
	})
}

// Values of a finding and a location row bound one by one (the rest are
// the scan's): appendFindingOwn's and appendLocationOwn's.
const (
	findingOwn  = 9
	locationOwn = 10
)

// ownValues returns the start of a VALUES row of n bound values, "(?,?,…?";
// the caller appends the values shared by the statement's rows, if any,
// and the closing parenthesis.
func ownValues(n int) string { return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// bulk inserts n rows into table with multi-row VALUES statements: one
// statement per chunk instead of per row is what makes a million findings
// a matter of seconds through database/sql. Each row of the statement is
// tuple, whose "?" row binds, appending its values to args.
func (b *Base) bulk(ctx context.Context, tx *sql.Tx, table, cols, tuple, conflict string, n int, row func(args []any, i int) []any) error {
	if n == 0 {
		return nil
	}
	nvals := strings.Count(tuple, "?")
	chunk := min(n, 4000/nvals) // well under every placeholder limit
	head := "INSERT INTO " + table + " (" + cols + ") VALUES "
	rows := func(m int) string { return strings.TrimSuffix(strings.Repeat(tuple+",", m), ",") }
	stmt, err := tx.PrepareContext(ctx, b.Q(head+rows(chunk)+conflict))
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	defer stmt.Close()
	args := make([]any, 0, chunk*nvals)
	for i := 0; i < n; i += chunk {
		m := min(chunk, n-i)
		args = args[:0]
		for j := range m {
			args = row(args, i+j)
		}
		if m == chunk {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, b.Q(head+rows(m)+conflict), args...)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// reuse records the unchanged items among items as kept by this scan with
// one UPDATE per root and batch, their paths passed as one JSON array,
// where the upsert binds eleven values per item: a nightly rescan of an
// unchanged share is nothing but such items. It returns the items left for
// the upsert: those read, and any reused one the inventory does not hold
// as it was (under another root, or missing) — none, normally, as the scan
// cache that decides reuse is bound to this inventory. (Base.Write is
// SQLite's write path; PostgreSQL has its own.)
func (b *Base) reuse(ctx context.Context, tx *sql.Tx, scan int64, items []store.Item) ([]store.Item, error) {
	byRoot := map[string][]int{}
	for i := range items {
		if it := &items[i]; it.Reused && len(it.Container) == 0 {
			byRoot[it.Root] = append(byRoot[it.Root], i)
		}
	}
	if len(byRoot) == 0 {
		return items, nil
	}
	kept := make([]bool, len(items))
	for root, idx := range byRoot {
		paths := make([]string, len(idx))
		for j, i := range idx {
			paths[j] = b.text(items[i].Path)
		}
		list, err := json.Marshal(paths)
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, b.Q(`UPDATE items SET last_scan = ?, reused = 1
			WHERE container = '' AND root = ? AND path IN (SELECT value FROM json_each(?))`), scan, b.text(root), string(list))
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		if int(n) == len(idx) {
			for _, i := range idx {
				kept[i] = true
			}
			continue
		}
		// Some are not held as they were: keep those that are (updated
		// just now), upsert the others.
		rows, err := tx.QueryContext(ctx, b.Q(`SELECT path FROM items WHERE container = '' AND root = ? AND last_scan = ? AND reused = 1
			AND path IN (SELECT value FROM json_each(?))`), b.text(root), scan, string(list))
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		done := map[string]bool{}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return nil, err
			}
			done[p] = true
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		for j, i := range idx {
			kept[i] = done[paths[j]]
		}
	}
	rest := make([]store.Item, 0, len(items))
	for i := range items {
		if !kept[i] {
			rest = append(rest, items[i])
		}
	}
	return rest, nil
}
