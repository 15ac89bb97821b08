package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/sqlite"
	"github.com/leakguard/leakguard/internal/store/storetest"
)

func open(t *testing.T) store.Store {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "state", store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestScale(t *testing.T) { storetest.RunScale(t, open) }

// A new inventory and its folder are the owner's only; reopening an
// existing one migrates nothing and keeps its data.
func TestFileModeAndReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, store.DBFile)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.BeginScan(ctx, store.ScanStart{Roots: []string{"/x"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, st.Mode().Perm(), want)
		}
	}
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Scan(ctx, 1); err != nil {
		t.Errorf("scan 1 lost on reopen: %v", err)
	}
	var version int64
	if err := s.DB.QueryRowContext(ctx, "SELECT max(version_id) FROM "+store.VersionTable).Scan(&version); err != nil || version != 5 {
		t.Errorf("schema version %d (%v), want 5 (inventory, events, deferred indexes, live locations by path, instance)", version, err)
	}
}
