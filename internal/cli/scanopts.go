package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/buildid"
	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/formats"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/fingerprint/registered"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/scan"
	"github.com/leakguard/leakguard/internal/scancache"
)

// scanOptions turns the scan flags into pipeline options.
// The returned close function releases the extractors' resources and the
// scan cache (after Save, if the scan saves it).
func (sf *scanFlags) scanOptions(ev *env, paths []string) (scan.Options, func(), error) {
	maxBytes, err := parseSize(sf.maxExpanded)
	if err != nil {
		return scan.Options{}, nil, fmt.Errorf("--max-expanded: %w", err)
	}
	if sf.maxDepth < 0 {
		return scan.Options{}, nil, fmt.Errorf("--max-depth: %d is negative", sf.maxDepth)
	}
	opts := scan.Options{Workers: sf.workers,
		Limits: extract.Limits{MaxDepth: sf.maxDepth, MaxBytes: maxBytes, Timeout: sf.itemTimeout}}
	if sf.maxDepth == 0 {
		// Depth 0 opens nothing; the registry's zero means "default".
		sf.noExtract = true
	}
	closeFn := func() {}
	if !sf.noExtract {
		set := formats.Default(sf.workers)
		opts.Extractors = set.List()
		closeFn = func() { set.Close() }
	}
	if !sf.noRegistered && sf.wantsKind(finding.Registered) {
		dir, err := keyed.StateDir(sf.state)
		if err != nil {
			closeFn()
			return scan.Options{}, nil, err
		}
		lib, err := registered.Open(dir, sf.hasher)
		if err != nil {
			closeFn()
			return scan.Options{}, nil, fmt.Errorf("%w (see 'leakguard register list')", err)
		}
		opts.Registered = lib
		prev := closeFn
		closeFn = func() { prev(); lib.Close() }
	}
	if sf.cache != "" {
		switch {
		case sf.showSecrets:
			fmt.Fprintln(ev.stderr, "leakguard: --cache is not used with --show-secrets: the cache never holds plaintext")
		case slices.Contains(paths, "-"):
			fmt.Fprintln(ev.stderr, "leakguard: --cache is not used for standard input")
		default:
			c, err := scancache.Open(sf.cache, sf.cacheDigest(opts))
			if err != nil && sf.autoCache {
				// The inventory's own cache is only an accelerator: a
				// damaged one is dropped and the scan reads everything.
				os.Remove(sf.cache)
				c, err = scancache.Open(sf.cache, sf.cacheDigest(opts))
			}
			if err != nil {
				closeFn()
				return scan.Options{}, nil, fmt.Errorf("%w (remove the file to start over)", err)
			}
			opts.Cache = c
			// The cache's life ends with the scan's: Close unmaps it
			// and, when the scan did not reach Save, removes the file
			// it was writing.
			prev := closeFn
			closeFn = func() { prev(); c.Close() }
		}
	}
	return opts, closeFn, nil
}

// cacheDigest names everything that shapes a file's results, so that a
// cache written under other rules, options, key or program is not reused.
func (sf *scanFlags) cacheDigest(opts scan.Options) string {
	// The program by its build (buildid): a rebuild of a modified tree
	// keeps the version and revision but may find other things.
	build := buildid.Executable()
	if build == "" {
		// No program identity: a digest of this run alone, so that
		// nothing is replayed from a cache another build wrote.
		build = time.Now().String()
	}
	var kinds []string
	for _, x := range opts.Extractors {
		for _, k := range x.Kinds() {
			kinds = append(kinds, string(k))
		}
	}
	h := sha256.New()
	json.NewEncoder(h).Encode(struct {
		Version, Build, MinConfidence, Key string
		Rules                              string
		Kinds                              []string
		Limits                             extract.Limits
		Registered                         string
		Inventory                          string
	}{Version, build, sf.minConfidence, sf.hasher.Sum([]byte("leakguard scan cache")), sf.rulesSum, kinds, opts.Limits,
		opts.Registered.Digest(), sf.inventory})
	return hex.EncodeToString(h.Sum(nil))
}

// parseSize reads a byte count: a number with an optional unit B, KB, MB,
// GB (powers of 1000) or KiB, MiB, GiB (powers of 1024).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q is not a size like 500MiB or 2GB", s)
	}
	mult := map[string]float64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30, "tib": 1 << 40}
	m, ok := mult[strings.ToLower(unit)]
	if !ok {
		return 0, fmt.Errorf("%q: unknown unit %q (use B, KB, MB, GB, KiB, MiB or GiB)", s, unit)
	}
	return int64(v * m), nil
}
