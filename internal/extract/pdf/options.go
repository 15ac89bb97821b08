package pdf

import (
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Option configures an Extractor.
type Option func(*config)

type config struct {
	workers  int
	cacheDir string
	timeout  time.Duration
	memory   uint64
	// passwords are tried, in order, on a document that needs one.
	passwords []string
}

func defaultConfig() config {
	c := config{
		workers: runtime.GOMAXPROCS(0),
		timeout: 2 * time.Minute,
		memory:  512 << 20,
	}
	if dir, err := os.UserCacheDir(); err == nil {
		c.cacheDir = filepath.Join(dir, "leakguard", "wazero")
	}
	return c
}

// WithWorkers sets how many documents are read at once: the size of the
// PDFium pool. It should match the scan's worker count; a worker asking
// for more waits for a free instance. Default: runtime.GOMAXPROCS.
func WithWorkers(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.workers = n
		}
	}
}

// WithCacheDir sets where the compiled WebAssembly module is cached; ""
// disables the cache (every process then compiles it, about 4 s on two
// cores). Default: os.UserCacheDir()/leakguard/wazero.
func WithCacheDir(dir string) Option {
	return func(c *config) { c.cacheDir = dir }
}

// WithTimeout bounds the time one PDFium session may take: the pages of a
// document, or fetching one of its attachments. Past it the instance is
// killed and the document reported with a time limit, so one pathological
// PDF does not use the whole item's time. Default: 2 minutes.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithMemoryLimit caps the memory of one PDFium instance in bytes (rounded
// down to 64 KiB pages; at most 4 GiB, the WebAssembly limit). A document
// that needs more fails as corrupt instead of growing the process. The
// scan's PDF memory is at most workers × this. Default: 512 MiB.
func WithMemoryLimit(bytes uint64) Option {
	return func(c *config) {
		if bytes >= 16<<20 {
			c.memory = min(bytes, 4<<30)
		}
	}
}

// WithPasswords gives passwords to try on a document that needs one (an
// organisation's default passwords, say). A document none of them opens
// is reported as encrypted. Default: none.
func WithPasswords(pw ...string) Option {
	return func(c *config) { c.passwords = append(c.passwords, pw...) }
}
