package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/postgres"
	"github.com/leakguard/leakguard/internal/store/storetest"
)

// EnvDSN names the variable holding the connection string of a PostgreSQL
// server the tests may create schemas in; .ci/run sets it.
const EnvDSN = "LEAKGUARD_TEST_POSTGRES"

// open returns a store in a new schema of its own, dropped when the test
// ends, so that parallel and repeated runs never see each other's data.
func open(t *testing.T) store.Store {
	dsn := needServer(t)
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "lg_test_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	s, err := postgres.OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// needServer returns the server's connection string, or skips the test.
func needServer(t *testing.T) string {
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		t.Skipf("%s is not set: no PostgreSQL server to test against (e.g. %s=postgres://leakguard:leakguard@localhost/leakguard_test)", EnvDSN, EnvDSN)
	}
	return dsn
}

func TestConformance(t *testing.T) {
	needServer(t)
	storetest.Run(t, open)
}

func TestScale(t *testing.T) {
	needServer(t)
	storetest.RunScale(t, open)
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{"plain/path": "plain/path", "a\x00b": "a\uFFFDb", "caf\xe9.txt": "caf\uFFFD.txt"} {
		if got := postgres.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
