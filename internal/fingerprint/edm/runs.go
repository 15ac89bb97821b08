package edm

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
)

// entry is one primary value of one row: its keyed hash (hi, lo) and
// posting (row<<colBits | column).
type entry struct{ hi, lo, post uint32 }

func compareEntries(x, y entry) int {
	return cmp.Or(cmp.Compare(x.hi, y.hi), cmp.Compare(x.lo, y.lo), cmp.Compare(x.post, y.post))
}

// runSize is how many entries are sorted in memory (48 MiB) before they are
// spilled to a run file, so that registering ten million rows needs no
// more memory than one million.
const runSize = 4 << 20

// entrySorter collects entries, spilling sorted runs next to the index
// (they hold keyed hashes only), and gives them back in order.
type entrySorter struct {
	prefix string // run files are prefix.run0, prefix.run1, …
	limit  int    // entries per run; runSize when 0
	buf    []entry
	runs   []string
	total  int64
}

func (s *entrySorter) add(e entry) error {
	if s.buf == nil {
		s.buf = make([]entry, 0, 1<<16)
	}
	s.buf = append(s.buf, e)
	s.total++
	if len(s.buf) >= runSize || (s.limit > 0 && len(s.buf) >= s.limit) {
		return s.spill()
	}
	return nil
}

func (s *entrySorter) spill() error {
	slices.SortFunc(s.buf, compareEntries)
	name := fmt.Sprintf("%s.run%d", s.prefix, len(s.runs))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	s.runs = append(s.runs, name)
	w := bufio.NewWriterSize(f, 1<<20)
	var b [12]byte
	for _, e := range s.buf {
		binary.LittleEndian.PutUint32(b[0:], e.hi)
		binary.LittleEndian.PutUint32(b[4:], e.lo)
		binary.LittleEndian.PutUint32(b[8:], e.post)
		w.Write(b[:])
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	s.buf = s.buf[:0]
	return err
}

// each calls fn with every entry in order.
func (s *entrySorter) each(fn func(entry) error) error {
	slices.SortFunc(s.buf, compareEntries)
	if len(s.runs) == 0 {
		for _, e := range s.buf {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	h := &runHeap{}
	if len(s.buf) > 0 {
		h.srcs = append(h.srcs, &runSource{mem: s.buf})
	}
	for _, name := range s.runs {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		h.srcs = append(h.srcs, &runSource{r: bufio.NewReaderSize(f, 256<<10)})
	}
	live := h.srcs[:0]
	for _, src := range h.srcs {
		ok, err := src.next()
		if err != nil {
			return err
		}
		if ok {
			live = append(live, src)
		}
	}
	h.srcs = live
	heap.Init(h)
	for len(h.srcs) > 0 {
		src := h.srcs[0]
		if err := fn(src.cur); err != nil {
			return err
		}
		ok, err := src.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	return nil
}

// remove deletes the run files.
func (s *entrySorter) remove() {
	for _, name := range s.runs {
		os.Remove(name)
	}
	s.runs, s.buf = nil, nil
}

type runSource struct {
	mem []entry
	r   *bufio.Reader
	cur entry
	b   [12]byte
}

func (s *runSource) next() (bool, error) {
	if s.r == nil {
		if len(s.mem) == 0 {
			return false, nil
		}
		s.cur, s.mem = s.mem[0], s.mem[1:]
		return true, nil
	}
	if _, err := io.ReadFull(s.r, s.b[:]); err == io.EOF {
		return false, nil
	} else if err != nil {
		return false, err
	}
	le := binary.LittleEndian
	s.cur = entry{le.Uint32(s.b[0:]), le.Uint32(s.b[4:]), le.Uint32(s.b[8:])}
	return true, nil
}

type runHeap struct{ srcs []*runSource }

func (h *runHeap) Len() int           { return len(h.srcs) }
func (h *runHeap) Less(i, j int) bool { return compareEntries(h.srcs[i].cur, h.srcs[j].cur) < 0 }
func (h *runHeap) Swap(i, j int)      { h.srcs[i], h.srcs[j] = h.srcs[j], h.srcs[i] }
func (h *runHeap) Push(x any)         { h.srcs = append(h.srcs, x.(*runSource)) }
func (h *runHeap) Pop() any {
	x := h.srcs[len(h.srcs)-1]
	h.srcs = h.srcs[:len(h.srcs)-1]
	return x
}
