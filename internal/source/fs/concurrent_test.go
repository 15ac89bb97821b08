package fs

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/source"
)

// TestParallelMatchesSorted walks a wide tree with many workers, twice at
// once on the same Source, and checks each walk hands out exactly the files
// the sequential walk does, each once, with readable content. Run with -race.
func TestParallelMatchesSorted(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{".leakguardignore": "*.skip\n"}
	for d := range 20 {
		for f := range 15 {
			name := fmt.Sprintf("d%02d/s%d/f%02d.txt", d, d%3, f)
			files[name] = name
			files[fmt.Sprintf("d%02d/f%02d.skip", d, f)] = ""
		}
	}
	mkTree(t, dir, files)
	want := walk(t, dir, []string{dir}, Options{Sorted: true}).items
	if len(want) != 20*15+1 {
		t.Fatalf("sorted walk found %d files", len(want))
	}

	src := New([]string{dir}, Options{Workers: 8})
	var wg sync.WaitGroup
	results := make([]*result, 2)
	for i := range results {
		r := &result{base: dir}
		results[i] = r
		wg.Go(func() {
			err := src.Walk(context.Background(), func(it source.Item) error {
				rc, err := it.Open()
				if err != nil {
					return err
				}
				defer rc.Close()
				b, err := io.ReadAll(rc)
				if err != nil {
					return err
				}
				if rel := r.rel(it.Location.Path); filepath.Ext(rel) == ".txt" && string(b) != rel {
					return fmt.Errorf("%s holds %q", rel, b)
				}
				return r.fn(it)
			}, r.skip)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i, r := range results {
		equal(t, fmt.Sprintf("walk %d", i), r.sortedItems(), want)
		if n := len(r.skipped("ignored")); n != 20*15 {
			t.Errorf("walk %d: %d ignored, want %d", i, n, 20*15)
		}
		if slices.Equal(r.items, want) {
			t.Logf("walk %d happened to come out in sorted order", i)
		}
	}
}
