// Package sqlite is the embedded inventory: one SQLite file, through the
// pure-Go modernc.org/sqlite driver (no cgo), in write-ahead-log mode so
// that readers (findings list, the dashboard) never wait for the scan that
// is writing. Writes take the lock when their transaction begins
// (BEGIN IMMEDIATE) and wait up to BusyTimeout for another process's writer,
// instead of failing half-way; within a process one Recorder is the one
// writer of a scan. The queries are sqlstore's; this package opens, tunes
// and migrates the database.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/sqlstore"
)

// BusyTimeout is how long a write waits for another process's write.
const BusyTimeout = 30 * time.Second

// Store is the SQLite inventory.
type Store struct {
	sqlstore.Base
	path string
}

var _ store.Store = (*Store)(nil)

// Open opens (creating when needed) the inventory file at path and brings
// its schema up to date, tuned for reading: lists, reports and the
// dashboard read through a memory map of the file and a 64 MiB page cache
// per connection. A new file and its directory are readable by the owner
// only: the inventory holds no secret, but paths and masked previews are
// nobody else's business.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, readMemory)
}

// OpenForScan opens the inventory as Open does, tuned for a scan that
// records into it: a 2 MiB page cache per connection and no memory map.
// A scan writes its rows once and reads each table about once, at its end
// (the deferred indexes, the settlement), so a larger cache and a map of
// the file held pages it would not touch again, and those counted in the
// scan's resident memory: a first scan of the benchmark corpus (448k
// findings) peaked at 677-732 MiB with the reading settings and at
// 337-364 MiB with an 8 MiB cache and no map, in the same time or less
// (16.8-17.2 s against 16.0-16.6 s, alternating runs); its unchanged
// rescan peaked at 160 instead of 219 MiB, and took 1.18-1.32 s instead
// of 1.05-1.09 s. A 2 MiB cache then took the first scan's peak from a
// median of 271 to 252 MiB (5 alternating pairs) in slightly less time
// (median 29.0 against 30.3 s), the unchanged rescan's from 156 to 148
// MiB, and a full re-read of the corpus into that inventory from 303 to
// 250 MiB in the same 43 s; a 64 MiB cache had the first scan peak at
// 539 MiB, the driver's pages costing far more than their size.
//
// Its temporary files are files: building the deferred index of 448k
// locations by finding sorted 66 MiB, which with temporary files in memory
// all stayed in the process (peak 338-354 MiB, against 267-269 MiB with
// files, for the same scan time); alone, that index took 1.7 s with files
// and 2.6 s in memory. Statement journals stay in memory either way below
// SQLite's spill threshold (64 KiB).
//
// Its sorts may use the other cores: building the deferred indexes at the
// end of a first scan is sorting, and nothing else is left to do then but
// write the report. On this project's 2-core machine the end of a first
// scan of the benchmark corpus (from the scan's last item to the inventory
// settled) took 4.8-5.0 s with one helper thread (2 runs), 4.2-5.0 s with
// two (4 runs) and 5.5-6.0 s with none (4 runs, alternating), with peaks of
// resident memory in the same range (200-249 MiB).
func OpenForScan(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, scanMemory+fmt.Sprintf("&_pragma=threads(%d)", sortHelpers()))
}

// sortHelpers is how many threads SQLite may add to a statement's sort:
// one per core past the first, and at most the 8 the driver is built for.
func sortHelpers() int { return min(max(runtime.NumCPU()-1, 1), 8) }

// Per-connection memory settings, as DSN pragmas. The driver runs _pragma
// values sorted by name, not in the order given, so each is set here once:
// a temp_store in the common part of the DSN and another here would leave
// the one sorted last.
const (
	readMemory = "&_pragma=cache_size(-65536)&_pragma=mmap_size(1073741824)&_pragma=temp_store(MEMORY)"
	scanMemory = "&_pragma=cache_size(-2048)&_pragma=mmap_size(0)&_pragma=temp_store(FILE)"
)

func open(ctx context.Context, path, memory string) (*Store, error) {
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("inventory path %q: a '?' cannot be part of an SQLite path here", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	// The page cache, the memory map and where temporary files go are
	// memory's (Open, OpenForScan). (A cache larger than 64 MiB for the
	// writer was slower, not faster, once a first scan defers its indexes:
	// the driver's allocator returns every page to the system one at a
	// time.)
	dsn := path + fmt.Sprintf("?_txlock=immediate&_busy_timeout=%d&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1",
		BusyTimeout.Milliseconds()) + memory
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// Pages are cached per connection; a few idle ones keep them warm.
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(time.Minute)
	s := &Store{Base: sqlstore.Base{DB: db, D: Dialect()}, path: path}
	if err := store.Migrate(ctx, db, store.SQLite); err != nil {
		return nil, errors.Join(fmt.Errorf("%s: %w", path, err), db.Close())
	}
	return s, nil
}

// Dialect describes SQLite to sqlstore: "?" placeholders, scalar max(),
// timestamps as Unix microseconds. Write transactions are already exclusive
// (BEGIN IMMEDIATE), so SELECT needs no FOR UPDATE. The connection that
// writes batches lets the write-ahead log grow to 256 MiB before copying it
// back into the database: a batch rewrites pages of the id index all over
// it, and copying back after every batch (at the default 4 MiB) copied the
// same pages again and again.
func Dialect() sqlstore.Dialect {
	return sqlstore.Dialect{Name: store.SQLite, Greatest: "max", Unindexed: "+",
		Time: func(t time.Time) any { return t.UnixMicro() },
		JSON: func(col, key string) string {
			return "(CASE WHEN " + col + " <> '' THEN json_extract(" + col + ", '$." + key + "') END)"
		},
		Write: "PRAGMA wal_autocheckpoint = 65536"}
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close implements store.Store.
func (s *Store) Close() error { return s.DB.Close() }

// RawBytes returns the bytes of the database file and its write-ahead log
// as they are on disk, free pages included: what a thief with the file
// would have. The plaintext audit of the conformance suite reads it.
func (s *Store) RawBytes(context.Context) ([]byte, error) {
	var all []byte
	for _, p := range []string{s.path, s.path + "-wal", s.path + "-shm"} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		all = append(all, b...)
	}
	return all, nil
}
