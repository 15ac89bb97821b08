package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/leakguard/leakguard/internal/scan"
)

// startProgress redraws one status line on w (a terminal) every 200 ms until
// the returned stop is called. The walk runs in parallel with the scan, so
// the total is not known in advance: the line shows counts and the rate
// rather than a bar that would keep moving its own end.
func startProgress(w io.Writer, sc *scan.Scanner) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	start := time.Now()
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
				p := sc.Progress()
				rate := float64(p.Bytes) / time.Since(start).Seconds()
				fmt.Fprintf(w, "\r\033[Kscanning: %d files  %s  %d findings  %d errors  %s/s", p.Items, humanBytes(p.Bytes), p.Findings, p.Errors, humanBytes(int64(rate)))
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
