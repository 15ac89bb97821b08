// Package backend opens the inventory a user names, on whichever backend
// that is. It sits apart from package store because it imports both
// implementations, which themselves import store.
package backend

import (
	"context"
	"fmt"

	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/postgres"
	"github.com/leakguard/leakguard/internal/store/sqlite"
)

// Open opens the inventory at dsnOrStateDir (see store.ParseTarget): a
// PostgreSQL connection string, an SQLite file, or a state directory whose
// inventory.db is created on first use. The schema is migrated up.
func Open(ctx context.Context, dsnOrStateDir string) (store.Store, error) {
	return open(ctx, dsnOrStateDir, sqlite.Open)
}

// OpenForScan opens the inventory as Open does, for a scan that records
// into it: SQLite keeps less of the file in memory (sqlite.OpenForScan).
func OpenForScan(ctx context.Context, dsnOrStateDir string) (store.Store, error) {
	return open(ctx, dsnOrStateDir, sqlite.OpenForScan)
}

func open(ctx context.Context, dsnOrStateDir string, openSQLite func(context.Context, string) (*sqlite.Store, error)) (store.Store, error) {
	if dsnOrStateDir == "" {
		return nil, fmt.Errorf("no inventory given")
	}
	t := store.ParseTarget(dsnOrStateDir)
	switch t.Backend {
	case store.Postgres:
		return postgres.Open(ctx, t.Where)
	case store.SQLite:
		return openSQLite(ctx, t.Where)
	}
	return nil, fmt.Errorf("unknown inventory backend %q", t.Backend)
}
