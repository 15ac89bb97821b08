// Command lgcorpus writes the benchmark corpus of "corporate" data —
// HR and finance CSV exports, service configuration, mail, application
// logs, team notes — with credentials and personal data planted in known
// places, and checks a leakguard report against it.
//
// Generate (the same flags give byte-identical files and manifest):
//
//	lgcorpus -out DIR [-size MB] [-seed N] [-manifest FILE]
//
// Check a `leakguard scan --format jsonl` report of DIR (or of a tree that
// contains DIR) for the planted values; the exit status is 1 when any is
// missed:
//
//	lgcorpus -out DIR -check FINDINGS.jsonl [-manifest FILE] [-v]
//
// The manifest defaults to DIR.manifest.json beside DIR, outside the
// scanned tree, since it lists every planted value in plain text.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

func main() {
	code, err := run(os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lgcorpus:", err)
		os.Exit(2)
	}
	os.Exit(code)
}

func run(args []string, out io.Writer) (int, error) {
	fl := flag.NewFlagSet("lgcorpus", flag.ContinueOnError)
	dir := fl.String("out", "", "output directory (must not exist or be empty)")
	size := fl.Int("size", 300, "total size of the generated data in MB (10^6 bytes)")
	seed := fl.Uint64("seed", 1, "random seed")
	manifest := fl.String("manifest", "", "manifest file (default DIR.manifest.json)")
	check := fl.String("check", "", "check this leakguard JSONL report against the manifest instead of generating")
	verbose := fl.Bool("v", false, "with -check, list every missed value")
	if err := fl.Parse(args); err != nil {
		return 2, err
	}
	if *dir == "" || fl.NArg() > 0 {
		return 2, errors.New("usage: lgcorpus -out DIR [-size MB] [-seed N] | lgcorpus -out DIR -check FINDINGS.jsonl")
	}
	if *manifest == "" {
		*manifest = filepath.Clean(*dir) + ".manifest.json"
	}
	if *check != "" {
		m, err := readManifest(*manifest)
		if err != nil {
			return 2, err
		}
		missed, err := checkRecall(out, m, *dir, *check, *verbose)
		if err != nil {
			return 2, err
		}
		if missed > 0 {
			return 1, nil
		}
		return 0, nil
	}
	if *size < 1 {
		return 2, errors.New("-size must be at least 1")
	}
	start := time.Now()
	m, err := generateCorpus(*dir, *seed, *size)
	if err != nil {
		return 2, err
	}
	if err := writeManifest(*manifest, m); err != nil {
		return 2, err
	}
	el := time.Since(start)
	fmt.Fprintf(out, "lgcorpus: %d files, %d bytes in %s (%.0f MB/s); %d planted values in %s\n",
		m.Files, m.Bytes, el.Round(time.Millisecond), float64(m.Bytes)/1e6/el.Seconds(), len(m.Planted), *manifest)
	for _, k := range sortedKeys(m.Counts) {
		fmt.Fprintf(out, "  %-22s %8d\n", k, m.Counts[k])
	}
	return 0, nil
}

// generateCorpus writes every planned file under dir, several at a time,
// and returns the manifest with the planted values in file order.
func generateCorpus(dir string, seed uint64, sizeMB int) (*Manifest, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s exists and is not empty", dir)
	}
	specs := plan(seed, sizeMB*1_000_000)
	// Make the folders first, once each: creating files is what costs on a
	// real file system, and a MkdirAll per file doubles it.
	made := map[string]bool{}
	for _, s := range specs {
		d := filepath.Join(dir, filepath.FromSlash(path.Dir(s.path)))
		if !made[d] {
			made[d] = true
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, err
			}
		}
	}
	planted := make([][]Planted, len(specs))
	sizes := make([]int, len(specs))
	errs := make([]error, len(specs))

	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), 4); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for i := range next {
				d := generate(seed, i, specs[i], buf)
				buf = d.buf
				errs[i] = os.WriteFile(filepath.Join(dir, filepath.FromSlash(specs[i].path)), d.buf, 0o644)
				planted[i], sizes[i] = d.planted, len(d.buf)
			}
		}()
	}
	for i := range specs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	m := &Manifest{Generator: "lgcorpus", Seed: seed, SizeMB: sizeMB, Files: len(specs)}
	for i := range specs {
		m.Bytes += int64(sizes[i])
		m.Planted = append(m.Planted, planted[i]...)
	}
	m.Counts = countKinds(m.Planted)
	return m, nil
}
