//go:build unix

package fs

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The listing's fstatat gives what an lstat of the path gives: size, mode,
// time and identity (the scan cache compares them with earlier scans').
func TestStatEntriesMatchLstat(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, map[string]string{"a": "0123456789", "sub/b": "", "c": "x"})
	if err := os.Chmod(filepath.Join(dir, "c"), 0o640); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2014, 11, 24, 8, 15, 0, 123456789, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "a"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		t.Fatal(err)
	}
	infos := statEntries(f, entries)
	if len(infos) != len(entries) {
		t.Fatalf("%d infos for %d entries", len(infos), len(entries))
	}
	for i, e := range entries {
		got := infos[i]
		if !e.Type().IsRegular() {
			if got != nil {
				t.Errorf("%s: stat'ed, but not a regular file", e.Name())
			}
			continue
		}
		want, err := os.Lstat(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || got.Name() != want.Name() || got.Size() != want.Size() || got.Mode() != want.Mode() ||
			!got.ModTime().Equal(want.ModTime()) || fileIdent(got) != fileIdent(want) || fileIdent(got) == "" {
			t.Errorf("%s: listed %v, lstat %v", e.Name(), describeInfo(got), describeInfo(want))
		}
	}
}

func describeInfo(fi os.FileInfo) any {
	if fi == nil {
		return nil
	}
	return []any{fi.Name(), fi.Size(), fi.Mode(), fi.ModTime(), fileIdent(fi)}
}
