//go:build !unix

package edm

import "time"

// cpuTime is unknown here; benchmarks then report wall-clock numbers only.
func cpuTime() time.Duration { return 0 }
