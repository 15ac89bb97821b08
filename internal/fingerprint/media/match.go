package media

import (
	"cmp"
	"io"
	"slices"
	"strings"
)

// MatchOptions are the report thresholds; the zero value means defaults.
type MatchOptions struct {
	// MinChunks is the number of a file's chunks a stream must hold for
	// the file to be reported (0 means 2), unless it holds at least
	// MinCoverage of the file (0 means 0.5), as a copy of a file of one
	// chunk does.
	MinChunks   int
	MinCoverage float64
	// MaxSpans caps the spans reported per file. 0 means 1000.
	MaxSpans int
	// AllVersions reports every matching version of a file, not only the
	// best of each name.
	AllVersions bool
}

func (o MatchOptions) withDefaults() MatchOptions {
	if o.MinChunks <= 0 {
		o.MinChunks = 2
	}
	if o.MinCoverage <= 0 {
		o.MinCoverage = 0.5
	}
	if o.MaxSpans <= 0 {
		o.MaxSpans = 1000
	}
	return o
}

// Span is a byte range [Start, End) of the scanned stream.
type Span struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// FileMatch says how much of a registered file a stream holds.
type FileMatch struct {
	Set     string `json:"set"`
	Name    string `json:"file"`
	Version int    `json:"version"`
	Size    int64  `json:"size"`
	// Chunks is the file's chunk count; MatchedChunks how many of its
	// chunks the stream holds, MatchedBytes their bytes.
	Chunks        int   `json:"chunks"`
	MatchedChunks int   `json:"matched_chunks"`
	MatchedBytes  int64 `json:"matched_bytes"`
	// Coverage is MatchedBytes over the file's bytes, runs of one
	// repeated byte left out of both.
	Coverage float64 `json:"coverage"`
	// Exact is set when the stream is the whole file and nothing else.
	Exact bool `json:"exact"`
	// Spans are where the stream holds the file's chunks, merged.
	Spans []Span `json:"spans"`

	file uint32
}

// Matcher matches streams against an Index, one at a time. It keeps the
// chunker's buffers between streams; it is not safe for concurrent use.
type Matcher struct {
	ix  *Index
	opt MatchOptions
	cr  *chunkReader

	found   []uint32 // per posting: occurrences found in this stream
	counted []uint32 // postings with found > 0
	hits    []*fileHits
	touched []uint32
}

type fileHits struct {
	chunks int
	bytes  int64
	spans  []Span
}

// NewMatcher returns a Matcher over ix.
func (ix *Index) NewMatcher(opt MatchOptions) *Matcher {
	return &Matcher{
		ix:    ix,
		opt:   opt.withDefaults(),
		cr:    newChunkReader(ix.keys, ix.params),
		found: make([]uint32, len(ix.post)),
		hits:  make([]*fileHits, len(ix.files)),
	}
}

// Match reads r to its end and returns the registered files it holds,
// most bytes first. Memory is bounded by the chunk size, whatever the
// stream's length.
func (m *Matcher) Match(r io.Reader) ([]FileMatch, error) {
	defer m.reset()
	size, err := m.cr.each(r, m.chunk)
	if err != nil {
		return nil, err
	}
	return m.results(size), nil
}

func (m *Matcher) chunk(c chunk) {
	if c.flat {
		return
	}
	id, ok := m.ix.find(c.sum)
	if !ok {
		return
	}
	for pi := m.ix.start[id]; pi < m.ix.start[id+1]; pi++ {
		p := m.ix.post[pi]
		h := m.hits[p.file]
		if h == nil {
			h = &fileHits{}
			m.hits[p.file] = h
			m.touched = append(m.touched, p.file)
		}
		if m.found[pi] == 0 {
			m.counted = append(m.counted, pi)
		}
		m.found[pi]++
		// A chunk the file holds n times counts at most n times.
		if m.found[pi] <= p.count {
			h.chunks++
			h.bytes += int64(p.n)
		}
		end := c.off + int64(c.n)
		switch n := len(h.spans); {
		case n > 0 && (h.spans[n-1].End == c.off || n >= m.opt.MaxSpans):
			h.spans[n-1].End = end
		default:
			h.spans = append(h.spans, Span{Start: c.off, End: end})
		}
	}
}

func (m *Matcher) results(size int64) []FileMatch {
	var out []FileMatch
	for _, f := range m.touched {
		h, ref := m.hits[f], m.ix.files[f]
		fm := FileMatch{
			Set: ref.set, Name: ref.name, Version: ref.version, Size: ref.size,
			Chunks: ref.chunks, MatchedChunks: h.chunks, MatchedBytes: h.bytes,
			Coverage: float64(h.bytes) / float64(max(1, ref.indexed)),
			Spans:    h.spans,
			file:     f,
		}
		fm.Exact = size == ref.size && h.bytes == ref.indexed
		if fm.MatchedChunks >= m.opt.MinChunks || fm.Coverage >= m.opt.MinCoverage {
			out = append(out, fm)
		}
	}
	if !m.opt.AllVersions {
		slices.SortFunc(out, func(a, b FileMatch) int {
			return cmp.Or(strings.Compare(a.Set, b.Set), strings.Compare(a.Name, b.Name),
				cmp.Compare(b.MatchedBytes, a.MatchedBytes), cmp.Compare(b.Coverage, a.Coverage), cmp.Compare(b.Version, a.Version))
		})
		out = slices.CompactFunc(out, func(a, b FileMatch) bool { return a.Set == b.Set && a.Name == b.Name })
	}
	slices.SortFunc(out, func(a, b FileMatch) int {
		return cmp.Or(cmp.Compare(b.MatchedBytes, a.MatchedBytes), strings.Compare(a.Set, b.Set),
			strings.Compare(a.Name, b.Name), cmp.Compare(b.Version, a.Version))
	})
	return out
}

func (m *Matcher) reset() {
	for _, pi := range m.counted {
		m.found[pi] = 0
	}
	for _, f := range m.touched {
		m.hits[f] = nil
	}
	m.counted, m.touched = m.counted[:0], m.touched[:0]
}

// Stream is a push-style match: Write the stream's bytes as they come,
// then Close for the result. It runs the chunker in a goroutine fed
// through a pipe, since the chunker pulls from a reader; Close (or Abort)
// must be called to end it.
type Stream struct {
	pw   *io.PipeWriter
	done chan struct{}
	res  []FileMatch
	err  error
}

// Stream starts a push-style match on m; m is busy until it is closed.
func (m *Matcher) Stream() *Stream {
	pr, pw := io.Pipe()
	s := &Stream{pw: pw, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.res, s.err = m.Match(pr)
		pr.CloseWithError(s.err) // unblocks a writer if matching failed
	}()
	return s
}

// Write feeds the next bytes of the stream.
func (s *Stream) Write(p []byte) (int, error) { return s.pw.Write(p) }

// Close ends the stream and returns the files it holds.
func (s *Stream) Close() ([]FileMatch, error) {
	s.pw.Close()
	<-s.done
	return s.res, s.err
}

// Abort ends the stream without a result.
func (s *Stream) Abort(err error) {
	s.pw.CloseWithError(err)
	<-s.done
}
