package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/scan"
	"github.com/leakguard/leakguard/internal/source"
	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/backend"
)

// inventoryRun is a scan being recorded into the inventory: the recorder
// and how to name what it records. Paths go in absolute, whatever the user
// typed, so that the next scan of the same folder from elsewhere finds the
// same places and can tell which disappeared.
type inventoryRun struct {
	st    store.Store
	rec   *store.Recorder
	roots []string // absolute
	cwd   string
}

// openInventory opens the inventory a scan records into and learns its
// identity (sf.inventory), which binds the scan cache to it.
func openInventory(ctx context.Context, sf *scanFlags) (*inventoryRun, error) {
	inv := &inventoryFlags{state: sf.state, db: sf.db}
	st, err := inv.openWith(ctx, true, backend.OpenForScan)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w (--no-store scans without one)", err)
	}
	if sf.inventory, err = st.Instance(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("inventory: %w", err)
	}
	// Fingerprints made with another key would make every finding look
	// new and resolve every finding the inventory holds, their triage
	// with them: refused before anything is written.
	if err := st.BindKey(ctx, sf.hasher.Check()); err != nil {
		st.Close()
		if errors.Is(err, store.ErrOtherKey) {
			return nil, fmt.Errorf("inventory: %w; this scan's key comes from %s. Use the key the inventory was made with, "+
				"or record into another inventory (--state, --db), or none (--no-store)", err, keySource(sf.state))
		}
		return nil, fmt.Errorf("inventory: %w", err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		st.Close()
		return nil, err
	}
	return &inventoryRun{st: st, cwd: cwd}, nil
}

// keySource says where the installation key of a command with --state
// state comes from, for an error message.
func keySource(state string) string {
	dir, err := keyed.StateDir(state)
	if err != nil {
		return "the state directory"
	}
	return keyed.Source(dir)
}

// begin starts recording a scan of paths; from then on finish closes the
// inventory.
func (r *inventoryRun) begin(ctx context.Context, sf *scanFlags, paths []string, digest string) error {
	for _, p := range paths {
		r.roots = append(r.roots, r.abs(p))
	}
	opts, _ := json.Marshal(map[string]any{
		"kinds": sf.kinds, "min_confidence": sf.minConfidence, "no_extract": sf.noExtract,
		"max_depth": sf.maxDepth, "max_expanded": sf.maxExpanded, "exclude": sf.exclude, "full": sf.full,
	})
	// Batches of 25,000 findings, not the Recorder's 100,000: it holds two
	// (one written, one filling) as finding.Finding values, 46 MB at the
	// larger size. That pushed the live heap of a scan dense with findings
	// past the point where the soft memory limit is raised (see main), and
	// its peak RSS with it: 245-297 MiB against 204-249 (6 alternating
	// first scans of the benchmark corpus), in the same time.
	// A batch waits up to 3 s to fill, not the Recorder's 500 ms: a batch
	// of findings updates pages all over the index of their random ids,
	// so fewer, fuller batches write each page fewer times. On the
	// benchmark corpus (some 20,000 findings a second) 19-20 batches
	// instead of 27-30 took the findings' inserts from 7.1-7.5 s to 6.5-6.9 s
	// (4 alternating first scans each), for the same peak memory.
	// A batch without findings waits 100 ms at most: an unchanged rescan
	// records nothing but the items holding findings (marked reused), and
	// those went in one batch after the scan, which the end of the scan
	// waited on (0.13-0.16 s of the benchmark corpus' rescan); now they are
	// stored while it runs, where a core has time to spare.
	rec, err := store.Record(ctx, r.st, store.ScanStart{Roots: r.roots, Options: opts, Version: Version, Digest: digest},
		store.RecorderOptions{BatchSize: 25000, MaxDelay: 3 * time.Second, ItemDelay: 100 * time.Millisecond})
	if err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	r.rec = rec
	return nil
}

func (r *inventoryRun) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(r.cwd, p)
}

// root returns the scan root an absolute path was reached from.
func (r *inventoryRun) root(p string) string {
	best := ""
	for _, root := range r.roots {
		if (p == root || strings.HasPrefix(p, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator))) && len(root) > len(best) {
			best = root
		}
	}
	return best
}

// Finding records f, without its plaintext (the inventory never holds it,
// even when the report asked for it).
func (r *inventoryRun) Finding(ctx context.Context, f finding.Finding) error {
	f.Secret = ""
	f.Location.Path = r.abs(f.Location.Path)
	return r.rec.Finding(ctx, f)
}

// Replayed keeps nothing: the inventory keeps an unchanged item's findings
// live when the item is recorded as reused, without writing them again.
func (r *inventoryRun) Replayed(context.Context, finding.Finding) error { return nil }

// ItemError records an item that could not be fully read.
func (r *inventoryRun) ItemError(ctx context.Context, e finding.ItemError) error {
	e.Location.Path = r.abs(e.Location.Path)
	return r.rec.ItemError(ctx, e)
}

// Close does not wait for what is queued to be written: finish writes it,
// then ends the scan, while the report is written. Waiting here put the
// last batch on the path to the report: on an unchanged rescan of the
// benchmark corpus, the 8,700 rows of the items holding findings, written
// in one batch, 0.13-0.16 s of a 1.4 s scan in which one core idled. A write that
// fails there ends the command with its error all the same, after the
// report (settle), and leaves the scan cache unsaved.
func (r *inventoryRun) Close(context.Context, finding.Stats) error { return nil }

// itemDone records a top-level item with its size and time, except an
// unchanged one (replayed from the cache) that holds no finding and no
// error: marking it kept would keep nothing — it has no place in the
// inventory that could go — and on a nightly rescan of a share such items
// are nearly all of them (5,550 of 287k files in 25 copies of the Go
// tree hold a finding). Their rows keep the scan that last read them.
func (r *inventoryRun) itemDone(ctx context.Context) func(source.Item, finding.Stats) {
	return func(it source.Item, st finding.Stats) {
		if st.Cached > 0 && st.Findings == 0 && st.Errors == 0 {
			return
		}
		p := r.abs(it.Location.Path)
		// An error here stops the recorder, and the next Finding or the
		// end of the scan reports it.
		_ = r.rec.Item(ctx, store.Item{Root: r.root(p), Path: p, Size: it.Size, ModTime: it.ModTime, Ident: it.Ident,
			Errors: int(st.Errors), Reused: st.Cached > 0})
	}
}

// finish ends the recorded scan and closes the inventory.
func (r *inventoryRun) finish(ctx context.Context, stats finding.Stats, incomplete bool) (store.Outcome, int64, error) {
	defer r.st.Close()
	out, err := r.rec.Finish(ctx, store.ScanEnd{Stats: stats, Incomplete: incomplete})
	return out, r.rec.ID(), err
}

// teeSink sends everything a scan produces to two sinks.
type teeSink struct{ a, b scan.Sink }

func (t teeSink) Finding(ctx context.Context, f finding.Finding) error {
	if err := t.a.Finding(ctx, f); err != nil {
		return err
	}
	return t.b.Finding(ctx, f)
}

// Replayed hands a finding of an unchanged item to each side as that side
// wants it: as a replay where it tells replays apart, else as a finding.
func (t teeSink) Replayed(ctx context.Context, f finding.Finding) error {
	if err := replay(ctx, t.a, f); err != nil {
		return err
	}
	return replay(ctx, t.b, f)
}

func replay(ctx context.Context, s scan.Sink, f finding.Finding) error {
	if r, ok := s.(scan.ReplaySink); ok {
		return r.Replayed(ctx, f)
	}
	return s.Finding(ctx, f)
}

func (t teeSink) ItemError(ctx context.Context, e finding.ItemError) error {
	if err := t.a.ItemError(ctx, e); err != nil {
		return err
	}
	return t.b.ItemError(ctx, e)
}

func (t teeSink) Close(ctx context.Context, s finding.Stats) error {
	if err := t.a.Close(ctx, s); err != nil {
		return err
	}
	return t.b.Close(ctx, s)
}

// autoCache is the scan cache a recorded scan uses when the user names
// none: one file per set of roots in the state directory, so that a
// nightly rescan of an unchanged share reads nothing and still reports,
// and records, every finding.
func autoCache(sf *scanFlags, paths []string) (string, error) {
	dir, err := keyed.StateDir(sf.state)
	if err != nil {
		return "", err
	}
	cwd, _ := os.Getwd()
	abs := make([]string, len(paths))
	for i, p := range paths {
		if !filepath.IsAbs(p) {
			p = filepath.Join(cwd, p)
		}
		abs[i] = filepath.Clean(p)
	}
	slices.Sort(abs)
	h := sha256.Sum256([]byte(strings.Join(abs, "\x00")))
	return filepath.Join(dir, "cache", hex.EncodeToString(h[:8])+".cache"), nil
}
