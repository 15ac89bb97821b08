package store

import (
	"path/filepath"
	"strings"
)

// Backends.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DBFile is the SQLite inventory's name inside the state directory.
const DBFile = "inventory.db"

// EnvDB names the environment variable that selects the inventory when
// --db is not given.
const EnvDB = "LEAKGUARD_DB"

// Target is a resolved inventory location.
type Target struct {
	Backend string // SQLite or Postgres
	// Where is the SQLite file path, or the PostgreSQL connection string.
	Where string
}

// ParseTarget reads what the user gave: a postgres:// or postgresql:// URL
// (or a "host=… dbname=…" keyword string) selects PostgreSQL; "sqlite:PATH"
// or a path ending in .db, .sqlite or .sqlite3 is an SQLite file; anything
// else is a state directory holding DBFile.
func ParseTarget(s string) Target {
	switch {
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return Target{Postgres, s}
	case strings.Contains(s, "dbname=") && strings.Contains(s, " "):
		return Target{Postgres, s}
	case strings.HasPrefix(s, "sqlite:"):
		return Target{SQLite, strings.TrimPrefix(s, "sqlite:")}
	}
	switch strings.ToLower(filepath.Ext(s)) {
	case ".db", ".sqlite", ".sqlite3":
		return Target{SQLite, s}
	}
	return Target{SQLite, filepath.Join(s, DBFile)}
}

// String names the target for messages, without a password.
func (t Target) String() string {
	if t.Backend == SQLite {
		return t.Where
	}
	return redactDSN(t.Where)
}

// redactDSN hides a password in a URL or keyword connection string.
func redactDSN(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		at := strings.IndexByte(rest, '@')
		if at < 0 {
			return s
		}
		cred := rest[:at]
		if c := strings.IndexByte(cred, ':'); c >= 0 {
			return s[:i+3] + cred[:c] + ":***" + rest[at:]
		}
		return s
	}
	f := strings.Fields(s)
	for i, kv := range f {
		if strings.HasPrefix(kv, "password=") {
			f[i] = "password=***"
		}
	}
	return strings.Join(f, " ")
}
