package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/store"
)

// SetStatus implements store.Store.
func (b *Base) SetStatus(ctx context.Context, id string, to store.Status, actor, note string) (store.Change, error) {
	if _, err := store.ParseStatus(string(to)); err != nil {
		return store.Change{}, err
	}
	actor = strings.TrimSpace(actor)
	if actor == "" {
		return store.Change{}, fmt.Errorf("a status change needs an actor")
	}
	c := store.Change{FindingID: id, At: store.NowOr(time.Time{}), Actor: actor, To: to, Note: note}
	err := b.Tx(ctx, func(tx *sql.Tx) error {
		var from string
		err := tx.QueryRowContext(ctx, b.Q("SELECT status FROM findings WHERE id = ?"+b.D.ForUpdate), id).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("finding %s: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		c.From = store.Status(from)
		if c.From != to {
			if _, err := tx.ExecContext(ctx, b.Q("UPDATE findings SET status = ?, status_at = ? WHERE id = ?"), string(to), b.T(c.At), id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, b.Q(`INSERT INTO history (finding_id, at, actor, from_status, to_status, note)
			VALUES (?, ?, ?, ?, ?, ?)`), id, b.T(c.At), actor, from, string(to), note)
		return err
	})
	return c, err
}
