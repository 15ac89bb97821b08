// Command lgaccuracy measures the built-in rules on the labelled public data
// in ../shared/data and prints Markdown tables for BENCHMARKS.md, headed by
// the command line that produced them. Run it from the repository root:
//
//	go run ./cmd/lgaccuracy [-data ../shared/data] [-set creddata|leaky|presidio|vectors|all] [-min-confidence low] [-v]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/accuracy"
	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lgaccuracy:", err)
		os.Exit(2)
	}
}

// setNames lists the runnable sets in the order "all" runs them.
func setNames() []string { return []string{"creddata", "leaky", "presidio", "vectors"} }

func run(ctx context.Context, args []string, out io.Writer) error {
	fl := flag.NewFlagSet("lgaccuracy", flag.ContinueOnError)
	data := fl.String("data", "", "shared data directory (default $"+accuracy.EnvData+", else ../shared/data beside the repository)")
	set := fl.String("set", "all", "sets to measure, comma-separated: "+strings.Join(setNames(), ", ")+", or all")
	minConf := fl.String("min-confidence", "low", "drop findings below this confidence: low, medium or high")
	verbose := fl.Bool("v", false, "also list false negatives and false positives")
	gitleaks := fl.String("gitleaks", "", "instead of leakguard, score this gitleaks JSON report (made with 'gitleaks dir' in the CredData folder) on CredData")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fl.Args())
	}
	conf, err := finding.ParseConfidence(*minConf)
	if err != nil {
		return fmt.Errorf("-min-confidence: %w", err)
	}
	chosen := setNames()
	if *set != "all" {
		chosen = strings.Split(*set, ",")
		for _, s := range chosen {
			if !contains(setNames(), s) {
				return fmt.Errorf("-set: unknown set %q (want %s or all)", s, strings.Join(setNames(), ", "))
			}
		}
	}
	dir, err := dataDir(*data)
	if err != nil {
		return err
	}
	if *gitleaks != "" {
		return scoreGitleaks(ctx, *gitleaks, dir, args, out, *verbose)
	}
	rs := rules.Builtin()
	// A fixed key: fingerprints do not matter here, and a fixed key keeps
	// the run independent of any installation.
	e, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("accuracy"))), detect.WithMinConfidence(conf))
	if err != nil {
		return fmt.Errorf("compile rules: %w", err)
	}

	cmd := "go run ./cmd/lgaccuracy"
	if len(args) > 0 {
		cmd += " " + strings.Join(args, " ")
	}
	fmt.Fprintf(out, "## Accuracy (%d built-in rules, min confidence %s)\n\n", len(rs), conf)
	fmt.Fprintf(out, "Command: `%s`\n\n", cmd)
	for _, s := range chosen {
		start := time.Now()
		if err := runSet(ctx, s, dir, e, out, *verbose); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		fmt.Fprintf(os.Stderr, "lgaccuracy: %s took %s\n", s, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func runSet(ctx context.Context, set, dir string, e *detect.Engine, out io.Writer, verbose bool) error {
	switch set {
	case "creddata":
		r, err := accuracy.CredData(ctx, dir, e)
		if err != nil {
			return err
		}
		return r.WriteMarkdown(out, verbose)
	case "leaky":
		r, err := accuracy.LeakyRepo(ctx, dir, e)
		if err != nil {
			return err
		}
		return r.WriteMarkdown(out, verbose)
	case "presidio":
		rs, err := accuracy.PresidioPII(ctx, dir, e)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if err := r.WriteMarkdown(out, verbose); err != nil {
				return err
			}
		}
		return nil
	case "vectors":
		r, err := accuracy.PresidioVectors(ctx, dir, e)
		if err != nil {
			return err
		}
		return r.WriteMarkdown(out, verbose)
	}
	return fmt.Errorf("unknown set %q", set)
}

// dataDir resolves the shared data directory: the flag, else
// $LEAKGUARD_SHARED_DATA, else ../shared/data beside the module root found
// upwards from the working directory.
func dataDir(flagValue string) (string, error) {
	if flagValue != "" {
		if st, err := os.Stat(flagValue); err != nil || !st.IsDir() {
			return "", fmt.Errorf("-data %s: not a directory", flagValue)
		}
		return filepath.Abs(flagValue)
	}
	var candidates []string
	if root, err := moduleRoot(); err == nil {
		candidates = append(candidates, filepath.Join(root, "..", "shared", "data"))
	}
	candidates = append(candidates, filepath.Join("..", "shared", "data"))
	return accuracy.FindDataDir(candidates...)
}

// moduleRoot walks up from the working directory to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scoreGitleaks scores a gitleaks report on CredData with leakguard's
// scorer, so that the two tools' numbers are comparable.
func scoreGitleaks(ctx context.Context, report, dir string, args []string, out io.Writer, verbose bool) error {
	b, err := os.ReadFile(report)
	if err != nil {
		return err
	}
	var leaks []struct {
		File      string
		RuleID    string
		StartLine int
		EndLine   int
	}
	if err := json.Unmarshal(b, &leaks); err != nil {
		return fmt.Errorf("%s: %w", report, err)
	}
	hits := make([]accuracy.ExternalHit, 0, len(leaks))
	for _, l := range leaks {
		hits = append(hits, accuracy.ExternalHit{Path: filepath.ToSlash(filepath.Clean(l.File)), Rule: "gitleaks:" + l.RuleID, Line: l.StartLine, EndLine: l.EndLine})
	}
	r, err := accuracy.CredDataExternal(ctx, dir, hits)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "## gitleaks report %s scored on CredData\n\nCommand: `go run ./cmd/lgaccuracy %s`\n\n", filepath.Base(report), strings.Join(args, " "))
	return r.WriteMarkdown(out, verbose)
}
