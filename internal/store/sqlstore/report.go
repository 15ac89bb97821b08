package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// Tally implements store.Store: one GROUP BY over the findings.
func (b *Base) Tally(ctx context.Context, flt store.Filter) ([]store.Tally, error) {
	w, args := b.where(flt)
	rows, err := b.DB.QueryContext(ctx, b.Q(`SELECT f.rule, f.kind, f.entity, f.severity, f.status, count(*) FROM findings f`+w+`
		GROUP BY f.rule, f.kind, f.entity, f.severity, f.status ORDER BY f.rule, f.kind, f.entity, f.severity, f.status`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Tally
	for rows.Next() {
		var t store.Tally
		var kind, sev, status string
		if err := rows.Scan(&t.Rule, &kind, &t.Entity, &sev, &status, &t.Findings); err != nil {
			return nil, err
		}
		t.Kind, t.Severity, t.Status = finding.Kind(kind), finding.Severity(sev), store.Status(status)
		out = append(out, t)
	}
	return out, rows.Err()
}

// liveUnder returns the conditions on live locations aliased l that a
// report counts for flt: live, under flt.PathPrefix, and of a finding that
// passes the rest of flt (with extra conditions on findings aliased f).
// The prefix applies to the locations themselves, not only to the choice
// of findings, so that a folder's report counts what is in that folder.
func (b *Base) liveUnder(flt store.Filter, extra ...string) (string, []any) {
	conds := []string{"l.gone_scan IS NULL"}
	var args []any
	if flt.PathPrefix != "" {
		prefix := b.text(flt.PathPrefix)
		conds = append(conds, "l.path >= ?")
		args = append(args, prefix)
		if end := store.PrefixEnd(prefix); end != "" {
			conds = append(conds, "l.path < ?")
			args = append(args, end)
		}
		flt.PathPrefix = ""
	}
	w, wargs := b.where(flt)
	if len(extra) > 0 {
		if w == "" {
			w = " WHERE " + strings.Join(extra, " AND ")
		} else {
			w += " AND " + strings.Join(extra, " AND ")
		}
	}
	if w != "" {
		conds = append(conds, "l.finding_id IN (SELECT f.id FROM findings f"+w+")")
		args = append(args, wargs...)
	}
	return strings.Join(conds, " AND "), args
}

// folderOf is the SQL for the folder of l.path: the path with everything
// after its last separator trimmed. rtrim with the path's own characters
// minus the separators as the set to trim does that in both dialects
// without a regular expression.
const folderOf = `rtrim(l.path, replace(replace(l.path, '/', ''), '\', ''))`

// Folders implements store.Store with one grouped pass over the live
// locations, whose sums give the places and files, and one count of the
// distinct findings, which an index holding finding ids answers. The top
// folders are chosen here rather than by ORDER BY … LIMIT: the database
// would sort every folder to keep a few.
func (b *Base) Folders(ctx context.Context, flt store.Filter, limit int) ([]store.FolderExposure, store.Exposure, error) {
	var total store.Exposure
	cond, args := b.liveUnder(flt)
	rows, err := b.DB.QueryContext(ctx, b.Q(`SELECT x.folder, count(DISTINCT x.finding_id), count(*), count(DISTINCT x.path) FROM (
		SELECT `+folderOf+` AS folder, l.finding_id, l.path FROM locations l WHERE `+cond+`) x
		GROUP BY x.folder`), args...)
	if err != nil {
		return nil, total, err
	}
	limit = max(0, min(limit, store.MaxLimit))
	top := make([]store.FolderExposure, 0, limit+1)
	for rows.Next() {
		var f store.FolderExposure
		if err := rows.Scan(&f.Folder, &f.Findings, &f.Places, &f.Files); err != nil {
			rows.Close()
			return nil, total, err
		}
		total.Places += f.Places
		total.Files += f.Files
		if limit == 0 || len(top) == limit && !moreExposed(f, top[limit-1]) {
			continue
		}
		// Insert in order; the list is short (the folders shown).
		i, _ := slices.BinarySearchFunc(top, f, func(a, b store.FolderExposure) int {
			if moreExposed(a, b) {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, i, f)
		if len(top) > limit {
			top = top[:limit]
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, total, err
	}
	if total.Places > 0 {
		if err := b.DB.QueryRowContext(ctx, b.Q(`SELECT count(DISTINCT l.finding_id) FROM locations l WHERE `+cond), args...).Scan(&total.Findings); err != nil {
			return nil, total, err
		}
	}
	if len(top) == 0 {
		top = nil
	}
	return top, total, nil
}

// moreExposed orders folders: more findings, then more places, then by name.
func moreExposed(a, b store.FolderExposure) bool {
	if a.Findings != b.Findings {
		return a.Findings > b.Findings
	}
	if a.Places != b.Places {
		return a.Places > b.Places
	}
	return a.Folder < b.Folder
}

// Registered implements store.Store: the set, type, row and document of
// each live place are read from its match JSON by the database, so that
// counting the distinct people a set exposes holds no row number in Go.
func (b *Base) Registered(ctx context.Context, flt store.Filter) ([]store.SetExposure, error) {
	cond, args := b.liveUnder(flt, "f.kind = '"+string(finding.Registered)+"'")
	j := func(key string) string { return b.D.JSON("l.match", key) }
	rows, err := b.DB.QueryContext(ctx, b.Q(`SELECT x.s, x.t, count(DISTINCT x.r), count(DISTINCT x.d),
			count(DISTINCT x.finding_id), count(*), count(DISTINCT x.path) FROM (
		SELECT `+j("set")+` AS s, `+j("type")+` AS t, `+j("row")+` AS r, `+j("document")+` AS d, l.finding_id, l.path
		FROM locations l WHERE l.match <> '' AND `+cond+`) x
		GROUP BY x.s, x.t ORDER BY x.s, x.t`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SetExposure
	for rows.Next() {
		var e store.SetExposure
		var set, typ sql.NullString
		if err := rows.Scan(&set, &typ, &e.Records, &e.Documents, &e.Findings, &e.Places, &e.Files); err != nil {
			return nil, err
		}
		e.Set, e.Type = set.String, typ.String
		out = append(out, e)
	}
	return out, rows.Err()
}
