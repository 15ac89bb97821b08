package media

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Index is every loaded media set, ready for matching. It is immutable and
// safe for concurrent use; each worker matches with its own Matcher.
type Index struct {
	keys   Keys
	params Params
	files  []fileRef

	// Open addressing from a chunk hash's first word to a distinct chunk
	// id (0 marks an empty slot); second holds the other word, checked on
	// a hit.
	mask   uint64
	slots  []uint64
	ids    []uint32
	second []uint64

	start []uint32 // postings of chunk id c: post[start[c]:start[c+1]]
	post  []posting
}

type fileRef struct {
	set, name string
	version   int
	size      int64
	indexed   int64 // bytes in indexed chunks: the denominator of coverage
	chunks    int
}

// posting says that a file holds a chunk count times.
type posting struct {
	file  uint32
	count uint32
	n     uint32 // chunk length
}

// LoadIndex loads every media set in dir; all must share keys and p.
func LoadIndex(dir string, keys Keys, p Params) (*Index, error) {
	names, err := ListSets(dir)
	if err != nil {
		return nil, err
	}
	var sets []*Set
	for _, n := range names {
		s, err := loadSet(dir, n, keys)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return NewIndex(sets, keys, p)
}

// NewIndex builds an index over sets.
func NewIndex(sets []*Set, keys Keys, p Params) (*Index, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	ix := &Index{keys: keys, params: p}
	type entry struct {
		sum  sum
		file uint32
		n    uint32
	}
	var entries []entry
	for _, s := range sets {
		if s.keys != keys {
			return nil, fmt.Errorf("media: set %s was made with another key", s.name)
		}
		if s.params != p {
			return nil, fmt.Errorf("media: set %s has chunk parameters %+v, the index %+v", s.name, s.params, p)
		}
		for _, f := range s.files {
			id := uint32(len(ix.files))
			ref := fileRef{set: s.name, name: f.name, version: f.version, size: f.size, chunks: f.nchunks}
			for _, c := range f.chunks {
				entries = append(entries, entry{sum: c.sum, file: id, n: c.n})
				ref.indexed += int64(c.n)
			}
			ix.files = append(ix.files, ref)
		}
	}
	if len(entries) > 1<<31 {
		return nil, errors.New("media: index too large")
	}
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.sum[0], b.sum[0]), cmp.Compare(a.sum[1], b.sum[1]), cmp.Compare(a.file, b.file))
	})
	var distinct []sum
	for i := 0; i < len(entries); {
		s := entries[i].sum
		distinct = append(distinct, s)
		ix.start = append(ix.start, uint32(len(ix.post)))
		for i < len(entries) && entries[i].sum == s {
			p := posting{file: entries[i].file, n: entries[i].n}
			for i < len(entries) && entries[i].sum == s && entries[i].file == p.file {
				p.count++
				i++
			}
			ix.post = append(ix.post, p)
		}
	}
	ix.start = append(ix.start, uint32(len(ix.post)))
	size := uint64(16)
	for size < 2*uint64(len(distinct)) {
		size <<= 1
	}
	ix.mask = size - 1
	ix.slots = make([]uint64, size)
	ix.ids = make([]uint32, size)
	ix.second = make([]uint64, len(distinct))
	for id, s := range distinct {
		i := s[0] & ix.mask
		for ix.slots[i] != 0 {
			i = (i + 1) & ix.mask
		}
		ix.slots[i], ix.ids[i] = s[0], uint32(id)
		ix.second[id] = s[1]
	}
	return ix, nil
}

// find returns the distinct chunk id of s.
func (ix *Index) find(s sum) (uint32, bool) {
	for i := s[0] & ix.mask; ; i = (i + 1) & ix.mask {
		switch ix.slots[i] {
		case s[0]:
			id := ix.ids[i]
			return id, ix.second[id] == s[1]
		case 0:
			return 0, false
		}
	}
}

// IndexStats describes a loaded index.
type IndexStats struct {
	Files  int // registered file versions
	Chunks int // distinct chunks indexed
}

// Stats describes the index.
func (ix *Index) Stats() IndexStats {
	return IndexStats{Files: len(ix.files), Chunks: len(ix.start) - 1}
}
