package pdf

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// shared is the one extractor the tests use: starting PDFium is the
// expensive part, and one pool serves every test as it serves a scan.
var shared struct {
	once sync.Once
	x    *Extractor
}

func extractor(t testing.TB) *Extractor {
	t.Helper()
	shared.once.Do(func() { shared.x = New(WithWorkers(2)) })
	if _, err := shared.x.Start(); err != nil {
		t.Fatalf("start PDFium: %v", err)
	}
	return shared.x
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.x != nil {
		shared.x.Close()
	}
	os.Exit(code)
}

// dataDir returns a folder of ../shared/data, failing the test clearly
// when the shared data is not beside the repository.
func dataDir(t testing.TB, elem ...string) string {
	t.Helper()
	dir := filepath.Join(append([]string{"..", "..", "..", "..", "shared", "data"}, elem...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("test data missing: %v (the shared data set must be at ../shared/data beside the repository)", err)
	}
	return dir
}
