package fs

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/source"
)

// mkTree creates files (name → content) under dir; a name ending in "/" is
// an empty directory.
func mkTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// result is what a walk handed out, with paths relative to base.
type result struct {
	mu    sync.Mutex
	base  string
	items []string                     // in call order
	skips map[string]finding.ItemError // by relative path
}

func (r *result) rel(p string) string {
	if r.base == "" {
		return filepath.ToSlash(p)
	}
	if rel, err := filepath.Rel(r.base, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

func (r *result) fn(it source.Item) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items = append(r.items, r.rel(it.Location.Path))
	return nil
}

func (r *result) skip(e finding.ItemError) {
	// No lock: skip calls are serialised by the walker, which -race checks.
	if r.skips == nil {
		r.skips = map[string]finding.ItemError{}
	}
	r.skips[r.rel(e.Location.Path)] = e
}

// skipped returns the relative paths skipped with reason, sorted.
func (r *result) skipped(reason string) []string {
	var out []string
	for p, e := range r.skips {
		if e.Reason == reason {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func (r *result) sortedItems() []string { return slices.Sorted(slices.Values(r.items)) }

// walk runs a walk of roots with paths reported relative to base.
func walk(t *testing.T, base string, roots []string, opts Options) *result {
	t.Helper()
	r := &result{base: base}
	if err := New(roots, opts).Walk(context.Background(), r.fn, r.skip); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return r
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestIgnoreFilesTwoLevels(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".leakguardignore":     "# root rules\n*.log\n/build/\nnode_modules/\n",
		"keep.txt":             "k",
		"a.log":                "",
		"build/x.txt":          "",
		"sub/.leakguardignore": "!keep.log\n*.txt\n",
		"sub/keep.log":         "",
		"sub/other.log":        "",
		"sub/b.txt":            "",
		"sub/build/y.md":       "", // "/build/" is anchored to the root
		"sub/deep/c.txt":       "",
		"sub/deep/d.md":        "",
	}
	for i := range 50 {
		files["node_modules/pkg/f"+strings.Repeat("x", i)+".js"] = ""
	}
	mkTree(t, dir, files)
	for _, sorted := range []bool{true, false} {
		r := walk(t, dir, []string{dir}, Options{Sorted: sorted})
		equal(t, "items", r.sortedItems(), []string{
			".leakguardignore", "keep.txt", "sub/.leakguardignore", "sub/build/y.md", "sub/deep/d.md", "sub/keep.log",
		})
		// one entry for node_modules, not one per file inside it
		equal(t, "ignored", r.skipped(finding.ReasonIgnored), []string{
			"a.log", "build", "node_modules", "sub/b.txt", "sub/deep/c.txt", "sub/other.log",
		})
		if e := r.skips["sub/b.txt"]; !strings.Contains(e.Error, `"*.txt"`) || !strings.Contains(e.Error, "sub/.leakguardignore:2") {
			t.Errorf("ignore message does not name the pattern: %q", e.Error)
		}
	}
	// NoIgnoreFiles and another file name turn the rules off.
	for _, o := range []Options{{NoIgnoreFiles: true}, {IgnoreFileName: ".other"}} {
		o.Sorted = true
		if r := walk(t, dir, []string{dir}, o); len(r.skips) != 0 || len(r.items) != len(files) {
			t.Errorf("%+v: %d items, skips %v", o, len(r.items), r.skips)
		}
	}
}

func TestExclude(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{
		"r1/top.txt":              "",
		"r1/sub/top.txt":          "",
		"r1/sub/.leakguardignore": "!keep.log\n",
		"r1/sub/keep.log":         "",
		"r2/top.txt":              "",
		"r2/x.pem":                "",
		"single.pem":              "",
	})
	r := walk(t, dir, []string{filepath.Join(dir, "r1"), filepath.Join(dir, "r2"), filepath.Join(dir, "single.pem")},
		Options{Sorted: true, Exclude: []string{"/top.txt", "*.log", "*.pem"}})
	// "/top.txt" is anchored at each root; an ignore file in the tree
	// cannot re-include what --exclude removed.
	equal(t, "items", r.items, []string{"r1/sub/.leakguardignore", "r1/sub/top.txt"})
	equal(t, "ignored", r.skipped(finding.ReasonIgnored), []string{
		"r1/sub/keep.log", "r1/top.txt", "r2/top.txt", "r2/x.pem", "single.pem",
	})
	if e := r.skips["r2/x.pem"]; !strings.Contains(e.Error, "--exclude:3") {
		t.Errorf("message %q does not name --exclude", e.Error)
	}
}

func TestRoots(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{"d/a.txt": "hello", "d/e/b.txt": "", "f.txt": "content"})
	t.Chdir(dir)
	missing := filepath.Join("no", "such")
	r := walk(t, "", []string{missing, "./d/", "f.txt", "."}, Options{Sorted: true})
	// Paths are root joined with the relative path: "./d/" gives "d/a.txt",
	// "." gives "d/a.txt" too, not "./d/a.txt".
	equal(t, "items", r.items, []string{"d/a.txt", "d/e/b.txt", "f.txt", "d/a.txt", "d/e/b.txt", "f.txt"})
	e, ok := r.skips["no/such"]
	if !ok || e.Reason != finding.ReasonUnreadable || !strings.Contains(e.Error, "no such file") {
		t.Errorf("missing root: %+v", r.skips)
	}

	var got source.Item
	err := New([]string{"f.txt"}, Options{}).Walk(context.Background(), func(it source.Item) error { got = it; return nil }, nil)
	if err != nil || got.Location.Path != "f.txt" || got.Size != 7 || got.ModTime.IsZero() {
		t.Fatalf("file root: %+v, %v", got, err)
	}
	rc, err := got.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if b, _ := io.ReadAll(rc); string(b) != "content" {
		t.Errorf("Open read %q", b)
	}
}

func TestSortedOrder(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{
		"b/z": "", "b/a": "", "a-c": "", "a/b": "", "a/a/x": "", "C": "", "c/": "", "c.d/e": "", "é": "",
	})
	var want []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			want = append(want, filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator))))
		}
		return err
	})
	for range 3 {
		equal(t, "order", walk(t, dir, []string{dir}, Options{Sorted: true}).items, want)
	}
}

func TestGitDirAndSizeLimit(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{".git/config": "", "sub/.git/HEAD": "", ".gitignore": "", "big": "0123456789", "small": "0"})
	r := walk(t, dir, []string{dir}, Options{Sorted: true, MaxFileSize: 5})
	equal(t, "items", r.items, []string{".gitignore", "small"})
	equal(t, "ignored", r.skipped(finding.ReasonIgnored), []string{".git", "sub/.git"})
	equal(t, "too large", r.skipped(finding.ReasonTooLarge), []string{"big"})

	r = walk(t, dir, []string{dir}, Options{Sorted: true, IncludeGitDir: true})
	equal(t, "items", r.items, []string{".git/config", ".gitignore", "big", "small", "sub/.git/HEAD"})
}

func TestStopEarly(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 200 {
		files[strings.Repeat("d/", i%7)+"f"+strings.Repeat("x", i)] = ""
	}
	mkTree(t, dir, files)
	boom := errors.New("boom")
	for _, sorted := range []bool{true, false} {
		var mu sync.Mutex
		calls := 0
		err := New([]string{dir}, Options{Sorted: sorted, Workers: 4}).Walk(context.Background(), func(source.Item) error {
			mu.Lock()
			defer mu.Unlock()
			calls++
			return boom
		}, nil)
		if !errors.Is(err, boom) || calls == 0 || calls > 5 { // at most one call per worker, plus the first
			t.Errorf("sorted=%v: err=%v after %d calls", sorted, err, calls)
		}

		ctx, cancel := context.WithCancel(context.Background())
		calls = 0
		err = New([]string{dir}, Options{Sorted: sorted, Workers: 4}).Walk(ctx, func(source.Item) error {
			mu.Lock()
			defer mu.Unlock()
			calls++
			cancel()
			return nil
		}, nil)
		if !errors.Is(err, context.Canceled) || calls > 5 {
			t.Errorf("sorted=%v canceled: err=%v after %d calls", sorted, err, calls)
		}
	}
	if err := New([]string{dir}, Options{}).Walk(canceled(), func(source.Item) error { return nil }, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("pre-canceled walk: %v", err)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
