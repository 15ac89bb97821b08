package fs

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/source"
)

func TestStdin(t *testing.T) {
	var items []source.Item
	collect := func(it source.Item) error { items = append(items, it); return nil }
	if err := NewStdin(strings.NewReader("pasted text")).Walk(context.Background(), collect, nil); err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Location.Path != "-" || items[0].Size != -1 {
		t.Fatalf("items = %+v", items)
	}
	rc, err := items[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "pasted text" {
		t.Errorf("read %q", b)
	}
	if _, err := items[0].Open(); err == nil {
		t.Error("second Open of standard input succeeded")
	}

	// Input redirected from a file has a size.
	p := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(p, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items = nil
	if err := NewStdin(f).Walk(context.Background(), collect, nil); err != nil || items[0].Size != 5 {
		t.Errorf("redirected file: %+v, %v", items, err)
	}

	boom := errors.New("boom")
	if err := NewStdin(nil).Walk(context.Background(), func(source.Item) error { return boom }, nil); !errors.Is(err, boom) {
		t.Errorf("fn error not returned: %v", err)
	}
	if err := NewStdin(nil).Walk(canceled(), collect, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}
