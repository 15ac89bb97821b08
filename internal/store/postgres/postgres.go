// Package postgres is the inventory on PostgreSQL, for a team sharing one
// inventory (and, later, the job queue on the same server). It talks to the
// server through one pgxpool.Pool: native pgx for the write path, where COPY
// moves a batch in one round trip, and the same pool as a database/sql
// handle (pgx's stdlib adapter) for goose's migrations and for the queries
// sqlstore shares with SQLite. One pool means one set of connections and one
// configuration, instead of two drivers that could disagree.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/sqlstore"
)

// Store is the PostgreSQL inventory.
type Store struct {
	sqlstore.Base
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// Open connects with a connection string (a postgres:// URL or key=value
// pairs; a search_path parameter selects the schema) and brings the schema
// up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's message can quote the whole string, password included.
		return nil, fmt.Errorf("inventory %s: not a valid PostgreSQL connection string", store.Target{Backend: store.Postgres, Where: dsn})
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed configuration.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("inventory on PostgreSQL %s: %w", cfg.ConnConfig.Host, err)
	}
	db := stdlib.OpenDBFromPool(pool)
	s := &Store{Base: sqlstore.Base{DB: db, D: Dialect()}, pool: pool}
	if err := store.Migrate(ctx, db, store.Postgres); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Dialect describes PostgreSQL to sqlstore. A scan can add a million rows
// between two runs of autovacuum; without fresh statistics the planner
// reads whole tables to list a page (seen: 0.4 to 1.4 s a page instead of
// 5 to 60 ms at a million findings), so every scan ends with ANALYZE.
func Dialect() sqlstore.Dialect {
	return sqlstore.Dialect{Name: store.Postgres, Dollar: true, Greatest: "GREATEST", ForUpdate: " FOR UPDATE",
		Time: func(t time.Time) any { return t }, Text: Clean,
		JSON: func(col, key string) string {
			return "(CASE WHEN " + col + " <> '' THEN " + col + "::jsonb ->> '" + key + "' END)"
		},
		Settle: "ANALYZE findings, locations, items"}
}

// Close implements store.Store.
func (s *Store) Close() error {
	err := s.DB.Close()
	s.pool.Close()
	return err
}

// RawBytes returns every row of every table of the inventory's schema as
// text, the goose version table included: what a dump would hold. The
// plaintext audit of the conformance suite searches it.
func (s *Store) RawBytes(ctx context.Context) ([]byte, error) {
	rows, err := s.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	for _, t := range tables {
		rows, err := s.pool.Query(ctx, "SELECT t::text FROM "+pgx.Identifier{t}.Sanitize()+" t")
		if err != nil {
			return nil, err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		sb.WriteString(t + "\n" + strings.Join(lines, "\n") + "\n")
	}
	if len(tables) == 0 {
		return nil, errors.New("no tables in the current schema")
	}
	return []byte(sb.String()), nil
}
