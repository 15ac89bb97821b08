package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
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

// The settings a recording scan opens with (OpenForScan) keep every
// behaviour: only memory differs. They are checked in effect, too.
func TestConformanceForScan(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.OpenForScan(context.Background(), filepath.Join(t.TempDir(), "state", store.DBFile))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
	ctx := context.Background()
	for name, o := range map[string]func(context.Context, string) (*sqlite.Store, error){"Open": sqlite.Open, "OpenForScan": sqlite.OpenForScan} {
		s, err := o(ctx, filepath.Join(t.TempDir(), store.DBFile))
		if err != nil {
			t.Fatal(err)
		}
		var got [4]int64
		for i, q := range []string{"SELECT cache_size FROM pragma_cache_size", "PRAGMA mmap_size", "PRAGMA temp_store", "PRAGMA threads"} {
			if err := s.DB.QueryRowContext(ctx, q).Scan(&got[i]); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		// temp_store: 1 is FILE, 2 MEMORY. A scan's sorts get a helper
		// thread per core past the first, at least one.
		helpers := int64(min(max(runtime.NumCPU()-1, 1), 8))
		want := map[string][4]int64{"Open": {-65536, 1 << 30, 2, 0}, "OpenForScan": {-2048, 0, 1, helpers}}[name]
		if got != want {
			t.Errorf("%s: cache_size, mmap_size, temp_store, threads %v; want %v", name, got, want)
		}
	}
}

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
