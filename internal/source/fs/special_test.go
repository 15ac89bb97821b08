//go:build unix

package fs

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/source"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// walkWithin fails the test instead of hanging when a walk does not end.
func walkWithin(t *testing.T, base string, roots []string, opts Options) *result {
	t.Helper()
	done := make(chan *result, 1)
	go func() {
		r := &result{base: base}
		if err := New(roots, opts).Walk(context.Background(), r.fn, r.skip); err != nil {
			t.Errorf("Walk: %v", err)
		}
		done <- r
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(20 * time.Second):
		t.Fatal("walk did not terminate")
		return nil
	}
}

func TestSymlinksNotFollowed(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{"a.txt": "target", "d/b.txt": ""})
	symlink(t, "a.txt", filepath.Join(dir, "link.txt"))
	symlink(t, "d", filepath.Join(dir, "linkdir"))
	symlink(t, "nowhere", filepath.Join(dir, "broken"))
	r := walkWithin(t, dir, []string{dir}, Options{Sorted: true})
	equal(t, "items", r.items, []string{"a.txt", "d/b.txt"})
	equal(t, "symlinks", r.skipped(finding.ReasonSymlink), []string{"broken", "link.txt", "linkdir"})

	// A symlink named as a root is followed: the user asked for it.
	r = walkWithin(t, dir, []string{filepath.Join(dir, "link.txt"), filepath.Join(dir, "linkdir")}, Options{Sorted: true})
	equal(t, "root items", r.items, []string{"link.txt", "linkdir/b.txt"})
}

func TestSymlinksFollowed(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{"a.txt": "target", "d/b.txt": "", "x.log": ""})
	symlink(t, "a.txt", filepath.Join(dir, "link.txt"))
	symlink(t, "d", filepath.Join(dir, "linkdir"))
	symlink(t, "nowhere", filepath.Join(dir, "broken"))
	symlink(t, "d", filepath.Join(dir, "ign"))
	mkTree(t, dir, map[string]string{".leakguardignore": "ign/\n"}) // dir-only: matches the followed link
	r := walkWithin(t, dir, []string{dir}, Options{Sorted: true, FollowSymlinks: true})
	equal(t, "items", r.items, []string{".leakguardignore", "a.txt", "d/b.txt", "link.txt", "linkdir/b.txt", "x.log"})
	equal(t, "unreadable", r.skipped(finding.ReasonUnreadable), []string{"broken"})
	equal(t, "ignored", r.skipped(finding.ReasonIgnored), []string{"ign"})
}

func TestSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{"f": "", "sub/g": "", "a/h": "", "b/i": ""})
	symlink(t, "..", filepath.Join(dir, "sub", "up"))  // back to the root
	symlink(t, ".", filepath.Join(dir, "self"))        // to itself
	symlink(t, "../b", filepath.Join(dir, "a", "toB")) // a and b point at each other
	symlink(t, "../a", filepath.Join(dir, "b", "toA"))
	for _, sorted := range []bool{true, false} {
		r := walkWithin(t, dir, []string{dir}, Options{Sorted: sorted, FollowSymlinks: true})
		// Not a loop: a/toB is b seen from a, so its files are handed out
		// under both names; each way round ends where it would loop.
		equal(t, "items", r.sortedItems(), []string{"a/h", "a/toB/i", "b/i", "b/toA/h", "f", "sub/g"})
		equal(t, "loops", r.skipped(finding.ReasonSymlink), []string{"a/toB/toA", "b/toA/toB", "self", "sub/up"})
		if e := r.skips["sub/up"]; !strings.Contains(e.Error, "directory loop") || !strings.Contains(e.Error, dir) {
			t.Errorf("loop message: %q", e.Error)
		}
	}
}

func TestSpecialFilesNotOpened(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{"a.txt": ""})
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// Opening a FIFO for reading blocks until a writer comes, so a walk that
	// opened one would never end.
	for _, sorted := range []bool{true, false} {
		r := walkWithin(t, dir, []string{dir, fifo, os.DevNull}, Options{Sorted: sorted})
		equal(t, "items", r.sortedItems(), []string{"a.txt"})
		equal(t, "special", r.skipped(finding.ReasonSpecial), []string{os.DevNull, "pipe", "sock"})
		if e := r.skips["pipe"]; !strings.Contains(e.Error, "named pipe") {
			t.Errorf("fifo message: %q", e.Error)
		}
	}
	// Item.Open refuses a FIFO put in place of a listed file, without blocking.
	done := make(chan error, 1)
	go func() {
		f, err := openRegular(fifo, true)
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("openRegular(fifo) = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("openRegular blocked on a FIFO")
	}
}

// TestOpenNoFollow checks that a file replaced by a symlink after listing is
// not followed when symlinks are off.
func TestOpenNoFollow(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{"a.txt": "a", "secret": "s"})
	var it source.Item
	New([]string{dir}, Options{Sorted: true}).Walk(context.Background(), func(i source.Item) error {
		if filepath.Base(i.Location.Path) == "a.txt" {
			it = i
		}
		return nil
	}, nil)
	p := filepath.Join(dir, "a.txt")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	symlink(t, "secret", p)
	if rc, err := it.Open(); err == nil {
		b, _ := io.ReadAll(rc)
		rc.Close()
		t.Fatalf("Open followed a symlink swapped in after listing, read %q", b)
	}
}
