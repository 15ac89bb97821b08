package cli

import (
	"io"
	"sync"
)

// pipeWriter hands what is written to it to another goroutine in blocks,
// so that encoding a report and the write system calls that copy it into
// the file run on two cores: a rescan's JSONL report of 2 M findings is
// 0.8 s of encoding and 1.5 s of writing 744 MB, one after the other
// before. The first write error is returned by every later call and by
// Close, which waits until everything is written.
type pipeWriter struct {
	w     io.Writer
	full  chan []byte // blocks to write
	free  chan []byte // blocks written, for reuse
	buf   []byte
	done  sync.WaitGroup
	mu    sync.Mutex
	err   error
	close sync.Once
}

const pipeBlock = 1 << 20

func newPipeWriter(w io.Writer) *pipeWriter {
	p := &pipeWriter{w: w, full: make(chan []byte, 2), free: make(chan []byte, 3)}
	for range 3 {
		p.free <- make([]byte, 0, pipeBlock)
	}
	p.buf = <-p.free
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		for b := range p.full {
			if p.failed() == nil {
				if _, err := p.w.Write(b); err != nil {
					p.mu.Lock()
					p.err = err
					p.mu.Unlock()
				}
			}
			p.free <- b[:0]
		}
	}()
	return p
}

func (p *pipeWriter) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Write implements io.Writer.
func (p *pipeWriter) Write(b []byte) (int, error) {
	if err := p.failed(); err != nil {
		return 0, err
	}
	n := len(b)
	for len(b) > 0 {
		k := copy(p.buf[len(p.buf):cap(p.buf)], b)
		p.buf = p.buf[:len(p.buf)+k]
		b = b[k:]
		if len(p.buf) == cap(p.buf) {
			p.full <- p.buf
			p.buf = <-p.free
		}
	}
	return n, nil
}

// Close writes what is left and waits for the writer goroutine; it does
// not close the underlying writer.
func (p *pipeWriter) Close() error {
	p.close.Do(func() {
		if len(p.buf) > 0 {
			p.full <- p.buf
		}
		close(p.full)
		p.done.Wait()
	})
	return p.failed()
}
