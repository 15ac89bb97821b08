package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/store"
)

// Notes of the history entries a scan writes.
const (
	NoteGone  = "every location gone"
	NoteAgain = "seen again"
)

// FinishScan implements store.Store; see the contract there for what it
// settles. Every step is one set-based statement, so the cost is a few
// passes over the locations under the roots, whatever their number.
func (b *Base) FinishScan(ctx context.Context, id int64, end store.ScanEnd) (store.Outcome, error) {
	var out store.Outcome
	stats, err := json.Marshal(end.Stats)
	if err != nil {
		return out, err
	}
	err = b.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := b.scanState(ctx, tx, id); err != nil {
			return err
		}
		var roots []string
		var rootsJSON string
		if err := tx.QueryRowContext(ctx, b.Q("SELECT roots FROM scans WHERE id = ?"), id).Scan(&rootsJSON); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(rootsJSON), &roots); err != nil {
			return err
		}
		now := b.T(store.NowOr(end.Finished))
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, b.Q(q), args...)
			return err
		}
		// A place this scan saw again is live again (LocationUpsert
		// leaves that to here), complete scan or not: before anything
		// that counts live places. The partial index of gone places
		// answers it.
		if err := exec(`UPDATE locations SET gone_scan = NULL WHERE gone_scan IS NOT NULL AND last_scan = ?`, id); err != nil {
			return err
		}
		// Reopen what came back (before resolving, which only looks at
		// findings left without a live location).
		if err := exec(`INSERT INTO history (finding_id, at, actor, from_status, to_status, note, scan_id)
			SELECT id, ?, ?, 'resolved', 'open', ?, ? FROM findings WHERE last_scan = ? AND status = 'resolved' ORDER BY id`,
			now, store.ActorScan, NoteAgain, id, id); err != nil {
			return err
		}
		if err := exec(`UPDATE findings SET status = 'open', status_at = ? WHERE last_scan = ? AND status = 'resolved'`, now, id); err != nil {
			return err
		}
		ranges := rootRanges(roots, b.text)
		if !end.Incomplete {
			// A place is gone when this scan neither saw it nor reused
			// the unchanged item holding it. Two equivalent statements
			// (every place lies in an item the scan that wrote it
			// recorded), and the cheaper one runs: by item, when the roots
			// hold more places than items (a share dense with findings:
			// 2 M places in 323k items), by place otherwise (source trees:
			// 142k places in 287k items, nearly all items without one).
			for _, r := range ranges {
				// Places are counted only up to one more than the items:
				// whether there are more is all the choice needs, and a
				// share dense with findings has six times more.
				var items, places int64
				if err := tx.QueryRowContext(ctx, b.Q(`SELECT count(*) FROM items WHERE `+r.on("path")), r.args...).Scan(&items); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, b.Q(`SELECT count(*) FROM (SELECT 1 FROM locations WHERE `+r.on("path")+` LIMIT ?) AS p`),
					append(slices.Clone(r.args), items+1)...).Scan(&places); err != nil {
					return err
				}
				byItem := `UPDATE locations SET gone_scan = ? WHERE gone_scan IS NULL AND last_scan < ?
					AND path IN (SELECT i.path FROM items i WHERE i.container = '' AND ` + r.on("i.path") + `
						AND NOT (i.last_scan = ? AND i.reused = 1))`
				byPlace := `UPDATE locations SET gone_scan = ? WHERE gone_scan IS NULL AND last_scan < ? AND ` + r.on("path") + `
					AND NOT EXISTS (SELECT 1 FROM items i WHERE i.path = locations.path AND i.container = ''
						AND i.last_scan = ? AND i.reused = 1)`
				q := byPlace
				if places > items {
					q = byItem
				}
				if err := exec(q, append(append([]any{id, id}, r.args...), id)...); err != nil {
					return err
				}
			}
			if err := exec(`INSERT INTO history (finding_id, at, actor, from_status, to_status, note, scan_id)
				SELECT f.id, ?, ?, f.status, 'resolved', ?, ? FROM findings f
				WHERE f.status IN ('open', 'acknowledged')
				  AND f.id IN (SELECT g.finding_id FROM locations g WHERE g.gone_scan IS NOT NULL)
				  AND NOT EXISTS (SELECT 1 FROM locations l WHERE l.finding_id = f.id AND l.gone_scan IS NULL)
				ORDER BY f.id`, now, store.ActorScan, NoteGone, id); err != nil {
				return err
			}
			if err := exec(`UPDATE findings SET status = 'resolved', status_at = ?
				WHERE id IN (SELECT finding_id FROM history WHERE scan_id = ? AND to_status = 'resolved')`, now, id); err != nil {
				return err
			}
			// A finding still live needs no record of where it no longer is.
			if err := exec(`DELETE FROM locations WHERE gone_scan IS NOT NULL
				AND EXISTS (SELECT 1 FROM locations l WHERE l.finding_id = locations.finding_id AND l.gone_scan IS NULL)`); err != nil {
				return err
			}
		}
		// Seen: findings with a place this scan read, or a live place in
		// an item it reused. After a complete scan those are exactly the
		// places live under its roots, which the finding index answers in
		// finding order (the path test must not pick the path index: that
		// fetches every location row); a cancelled scan marked nothing
		// gone and is asked the long way.
		seen := `SELECT count(DISTINCT l.finding_id) FROM locations l WHERE l.gone_scan IS NULL AND (l.last_scan = ?
			OR l.path IN (SELECT i.path FROM items i WHERE i.last_scan = ? AND i.reused = 1 AND i.container = ''))`
		seenArgs := []any{id, id}
		if !end.Incomplete {
			var conds []string
			seenArgs = nil
			for _, r := range ranges {
				conds = append(conds, r.on(b.D.Unindexed+"l.path"))
				seenArgs = append(seenArgs, r.args...)
			}
			seen = `SELECT count(DISTINCT l.finding_id) FROM locations l WHERE l.gone_scan IS NULL AND (` + strings.Join(conds, " OR ") + `)`
			// Where the inventory holds no place outside the one root (a
			// share scanned again and again), the count needs no path
			// test: on a rescan of 448k places, comparing each path took
			// the count from 0.1 to 0.27 s, most of the settlement.
			if len(ranges) == 1 {
				all, err := b.allUnder(ctx, tx, ranges[0])
				if err != nil {
					return err
				}
				if all {
					seen, seenArgs = `SELECT count(DISTINCT l.finding_id) FROM locations l WHERE l.gone_scan IS NULL`, nil
				}
			}
		}
		row := tx.QueryRowContext(ctx, b.Q(`SELECT (`+seen+`),
			(SELECT count(*) FROM findings WHERE first_scan = ?),
			(SELECT count(*) FROM history WHERE scan_id = ? AND to_status = 'resolved'),
			(SELECT count(*) FROM history WHERE scan_id = ? AND to_status = 'open')`), append(seenArgs, id, id, id)...)
		if err := row.Scan(&out.Seen, &out.New, &out.Resolved, &out.Reopened); err != nil {
			return err
		}
		state := store.Finished
		if end.Incomplete {
			state = store.Incomplete
		}
		return exec(`UPDATE scans SET finished = ?, state = ?, stats = ?, seen = ?, new = ?, resolved = ?, reopened = ? WHERE id = ?`,
			now, string(state), string(stats), out.Seen, out.New, out.Resolved, out.Reopened, id)
	})
	if err == nil && b.D.Settle != "" {
		if _, err := b.DB.ExecContext(ctx, b.D.Settle); err != nil {
			return out, fmt.Errorf("scan %d finished, but: %w", id, err)
		}
	}
	return out, err
}

// rootRange selects the paths under a root: on(col) is the condition on a
// path column, args its values. outside holds conditions whose union is
// every other path, each a range the path index answers at once.
type rootRange struct {
	cond    string // with %[1]s for the column
	args    []any
	outside []rootRange
}

// allUnder reports whether every place in the inventory, live or gone,
// lies under r.
func (b *Base) allUnder(ctx context.Context, tx *sql.Tx, r rootRange) (bool, error) {
	var probes []string
	var args []any
	for _, o := range r.outside {
		probes = append(probes, `EXISTS (SELECT 1 FROM locations WHERE `+o.on("path")+`)`)
		args = append(args, o.args...)
	}
	var found bool
	err := tx.QueryRowContext(ctx, b.Q(`SELECT `+strings.Join(probes, " OR ")), args...).Scan(&found)
	return !found, err
}

func (r rootRange) on(col string) string { return strings.ReplaceAll(r.cond, "%[1]s", col) }

// rootRanges turns scan roots into path conditions: the root itself and
// everything below it ("/srv/share" covers "/srv/share/a", not
// "/srv/shared"). The root "." covers every relative path, as the file
// source names the files under it.
func rootRanges(roots []string, text func(string) string) []rootRange {
	var out []rootRange
	for _, root := range roots {
		r := text(filepath.Clean(root))
		if r == "." {
			out = append(out, rootRange{"(%[1]s < ? OR %[1]s >= ?)", []any{"/", "0"},
				[]rootRange{{cond: "%[1]s >= ? AND %[1]s < ?", args: []any{"/", "0"}}}})
			continue
		}
		dirs := []string{r}
		if !strings.HasSuffix(r, "/") {
			dirs[0] = r + "/"
		}
		if sep := string(filepath.Separator); sep != "/" && !strings.HasSuffix(r, sep) {
			dirs = append(dirs, r+sep)
		}
		for _, d := range dirs {
			end := store.PrefixEnd(d)
			out = append(out, rootRange{"(%[1]s = ? OR %[1]s >= ? AND %[1]s < ?)", []any{r, d, end}, []rootRange{
				{cond: "%[1]s < ?", args: []any{r}},
				{cond: "%[1]s > ? AND %[1]s < ?", args: []any{r, d}},
				{cond: "%[1]s >= ?", args: []any{end}},
			}})
		}
	}
	return out
}
