package pdf

import (
	"context"
	"io"
	"os"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// wasmPage is the WebAssembly memory page size.
const wasmPage = 64 << 10

// lazyPool starts the PDFium pool on first use and keeps it until Close.
type lazyPool struct {
	cfg config

	once    sync.Once
	pool    pdfium.Pool
	cache   wazero.CompilationCache
	err     error
	started time.Duration // how long the start took, for callers who measure it

	mu     sync.Mutex
	closed bool
}

// get returns the pool, starting it the first time.
func (l *lazyPool) get() (pdfium.Pool, error) {
	l.once.Do(l.start)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, errClosed
	}
	return l.pool, l.err
}

func (l *lazyPool) start() {
	t0 := time.Now()
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		l.err = errClosed
		return
	}
	rc := wazero.NewRuntimeConfig().
		// The bundled module lowers setjmp/longjmp to exception handling.
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		// Killing an instance cancels its context: this makes running
		// WebAssembly code stop on that, so a hang can be broken.
		WithCloseOnContextDone(true).
		WithMemoryLimitPages(uint32(l.cfg.memory / wasmPage))
	if l.cfg.cacheDir != "" {
		// A cache that cannot be created only costs start-up time.
		if err := os.MkdirAll(l.cfg.cacheDir, 0o700); err == nil {
			if cc, err := wazero.NewCompilationCacheWithDir(l.cfg.cacheDir); err == nil {
				l.cache = cc
				rc = rc.WithCompilationCache(cc)
			}
		}
	}
	l.pool, l.err = webassembly.Init(webassembly.Config{
		// Instances are made on demand and reused (a new one costs
		// milliseconds, more than a small document's text); one that
		// failed or grew large is discarded instead (see session.close),
		// so memory stays bounded by workers × the memory limit.
		ReuseWorkers:  true,
		MinIdle:       0,
		MaxIdle:       l.cfg.workers,
		MaxTotal:      l.cfg.workers,
		RuntimeConfig: rc,
		// No file system: PDFium reads documents through callbacks.
		FSConfig: wazero.NewFSConfig(),
		Stdout:   io.Discard,
		Stderr:   io.Discard,
	})
	if l.err != nil {
		// Not the document's fault: this build cannot read PDFs now.
		l.err = extract.Failure(finding.ReasonUnsupported, "pdf: PDFium did not start: %v", l.err)
	}
	l.started = time.Since(t0)
}

// instance borrows a PDFium instance, waiting for a free one until ctx ends.
func (l *lazyPool) instance(ctx context.Context) (pdfium.Pdfium, error) {
	p, err := l.get()
	if err != nil {
		return nil, err
	}
	inst, err := p.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// Not the document's fault either.
		return nil, extract.Failure(finding.ReasonUnsupported, "pdf: no PDFium instance: %v", err)
	}
	return inst, nil
}

// close releases the pool; a pool never started is not started now.
func (l *lazyPool) close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	// Wait for a start in progress; mark a start not yet begun as done.
	l.once.Do(func() { l.err = errClosed })
	var err error
	if l.pool != nil {
		err = l.pool.Close()
	}
	if l.cache != nil {
		if cerr := l.cache.Close(context.Background()); err == nil {
			err = cerr
		}
	}
	return err
}
