package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// The schema, one goose SQL set per dialect: the two differ in types
// (timestamps, identity columns, collation), not in shape.
//
//go:embed migrations
var migrations embed.FS

// VersionTable is the table goose keeps the applied migrations in.
const VersionTable = "leakguard_schema_version"

// Migrate brings the schema of db up to date. backend is SQLite or Postgres.
// On PostgreSQL an advisory lock keeps two processes from migrating at once;
// on SQLite the migration's write transaction does.
func Migrate(ctx context.Context, db *sql.DB, backend string) error {
	var dialect goose.Dialect
	opts := []goose.ProviderOption{goose.WithLogger(goose.NopLogger()), goose.WithTableName(VersionTable),
		goose.WithDisableGlobalRegistry(true)}
	switch backend {
	case SQLite:
		dialect = goose.DialectSQLite3
	case Postgres:
		dialect = goose.DialectPostgres
		l, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(l))
	default:
		return fmt.Errorf("unknown inventory backend %q", backend)
	}
	sub, err := fs.Sub(migrations, "migrations/"+backend)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("inventory migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("inventory migrations: %w", err)
	}
	return nil
}
