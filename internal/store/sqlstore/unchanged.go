package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/store"
)

// Unchanged implements store.Store, a few hundred items per query.
func (b *Base) Unchanged(ctx context.Context, digest string, items []store.Item) ([]bool, error) {
	out := make([]bool, len(items))
	const chunk = 500
	for i := 0; i < len(items); i += chunk {
		part := items[i:min(i+chunk, len(items))]
		stored, err := b.storedItems(ctx, part)
		if err != nil {
			return nil, err
		}
		for j, it := range part {
			s, ok := stored[[2]string{b.text(it.Path), b.text(store.EncodeContainer(it.Container))}]
			out[i+j] = ok && store.SameItem(digest, s, it)
		}
	}
	return out, nil
}

func (b *Base) storedItems(ctx context.Context, items []store.Item) (map[[2]string]store.StoredItem, error) {
	args := make([]any, len(items))
	for i, it := range items {
		args[i] = b.text(it.Path)
	}
	rows, err := b.DB.QueryContext(ctx, b.Q(`SELECT i.path, i.container, i.root, i.size, i.mtime_ns, i.ident, i.hash, i.errors, i.last_scan, s.digest
		FROM items i JOIN scans s ON s.id = i.last_scan
		WHERE i.path IN (`+strings.TrimSuffix(strings.Repeat("?,", len(items)), ",")+")"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := make(map[[2]string]store.StoredItem, len(items))
	for rows.Next() {
		var s store.StoredItem
		var container string
		var mtime int64
		if err := rows.Scan(&s.Path, &container, &s.Root, &s.Size, &mtime, &s.Ident, &s.Hash, &s.Errors, &s.LastScan, &s.Digest); err != nil {
			return nil, err
		}
		s.Container, s.ModTime = store.DecodeContainer(container), time.Unix(0, mtime)
		m[[2]string{s.Path, container}] = s
	}
	return m, rows.Err()
}
