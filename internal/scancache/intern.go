package scancache

import (
	"encoding/binary"
	"sync"
)

// maxInterned bounds an interner: past it, strings not yet held are
// allocated as they come, as if there were no interner. A share's cache
// holds a few hundred thousand distinct strings (rule ids, paths, masked
// previews); the bound is for the cache whose previews never repeat.
const maxInterned = 1 << 20

// An interner keeps one copy of each string the records of a cache hold.
// The same rule ids, names, severities and masked previews come back in
// record after record: decoded through it they cost no allocation after
// the first, and findings replayed from the cache share their strings,
// which lets a consumer that interns them again compare pointers first.
// It is safe for concurrent use.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

// table fills strs with the strings of a record's table: lens holds their
// lengths as uvarints (already checked against tab), tab their bytes one
// after another.
func (in *interner) table(strs []string, lens, tab []byte) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.m == nil {
		in.m = map[string]string{}
	}
	for i := range strs {
		l, k := binary.Uvarint(lens)
		lens = lens[k:]
		b := tab[:l]
		tab = tab[l:]
		s, ok := in.m[string(b)] // no allocation to look up
		if !ok {
			s = string(b)
			if len(in.m) < maxInterned {
				in.m[s] = s
			}
		}
		strs[i] = s
	}
}
