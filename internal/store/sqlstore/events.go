package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// AddEvent implements store.Store. Findings are stored without their
// plaintext whatever the caller passed.
func (b *Base) AddEvent(ctx context.Context, e store.Event) (int64, error) {
	fs := make([]finding.Finding, len(e.Findings))
	for i, f := range e.Findings {
		f.Secret = ""
		fs[i] = f
	}
	js, err := json.Marshal(fs)
	if err != nil {
		return 0, err
	}
	var id int64
	err = b.DB.QueryRowContext(ctx, b.Q(`INSERT INTO events (at, channel, action, reason, client, user_name, destination, findings)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		b.T(store.NowOr(e.At)), e.Channel, e.Action, e.Reason, e.Client, e.User, e.Destination, string(js)).Scan(&id)
	return id, err
}

// Events implements store.Store: newest first, keyset pages by id.
func (b *Base) Events(ctx context.Context, p store.Page) ([]store.Event, string, error) {
	q, args := `SELECT id, at, channel, action, reason, client, user_name, destination, findings FROM events`, []any{}
	if p.After != "" {
		after, err := strconv.ParseInt(p.After, 10, 64)
		if err != nil {
			return nil, "", fmt.Errorf("bad event cursor %q", p.After)
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
	var out []store.Event
	for rows.Next() {
		var e store.Event
		var at TimeCol
		var fs string
		if err := rows.Scan(&e.ID, &at, &e.Channel, &e.Action, &e.Reason, &e.Client, &e.User, &e.Destination, &fs); err != nil {
			return nil, "", err
		}
		e.At = at.T
		if err := json.Unmarshal([]byte(fs), &e.Findings); err != nil {
			return nil, "", fmt.Errorf("event %d: %w", e.ID, err)
		}
		out = append(out, e)
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
