package registered

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/fingerprint/docs"
	"github.com/leakguard/leakguard/internal/fingerprint/edm"
	"github.com/leakguard/leakguard/internal/fingerprint/media"
)

// Rule ids of registered-data findings, one per set type.
const (
	RuleRecord   = "registered-record"
	RuleDocument = "registered-document"
	RuleFile     = "registered-file"
)

// Session matches one item at a time against a Library: Begin, Write the
// item's content, End. Records and documents are matched in text; files
// in text and binary content alike (a dump or a film, whole or cut, in an
// archive or not). A Session is not safe for concurrent use: one per
// worker.
type Session struct {
	lib     *Library
	records []*edm.Matcher
	doc     *docs.Matcher
	files   *media.Matcher

	// Per item.
	loc    finding.Location
	text   bool
	emit   func(finding.Finding) error
	stream *media.Stream
	err    error // the first error of emit; the rest of the item is ignored
	// pending holds records found but not yet emitted: the engine reports
	// its findings in ascending offset order, and sub-locations (a sheet's
	// cells) are resolved in that order, so records wait for End unless
	// there are very many.
	pending []finding.Finding
}

// maxPending bounds the records held back per item.
const maxPending = 10000

// NewSession returns a session over lib, or nil when lib is empty: callers
// test for nil and skip the work.
func (lib *Library) NewSession() *Session {
	if lib.Empty() {
		return nil
	}
	s := &Session{lib: lib}
	for _, ix := range lib.records {
		s.records = append(s.records, ix.NewMatcher(edm.MatchOptions{}, s.record))
	}
	if lib.docs != nil {
		s.doc = lib.docs.NewMatcher(docs.MatchOptions{})
	}
	if lib.files != nil {
		s.files = lib.files.NewMatcher(media.MatchOptions{})
	}
	return s
}

// Begin starts an item at loc; text says whether its content is decoded
// text (records and documents are looked for) or raw bytes (only files).
// Findings go to emit, records as they are found, documents and files at
// End.
func (s *Session) Begin(loc finding.Location, text bool, emit func(finding.Finding) error) {
	s.loc, s.text, s.emit, s.err = loc, text, emit, nil
	if s.files != nil {
		s.stream = s.files.Stream()
	}
}

// Write adds the next piece of the item's content. It fails only with the
// error of emit.
func (s *Session) Write(p []byte) (int, error) {
	if s.err != nil {
		return len(p), nil
	}
	if s.text {
		for _, m := range s.records {
			if _, err := m.Write(p); err != nil {
				s.err = err
				return len(p), nil
			}
		}
		if s.doc != nil {
			s.doc.Write(p)
		}
	}
	if s.stream != nil {
		if _, err := s.stream.Write(p); err != nil {
			s.stream.Abort(err)
			s.stream = nil
		}
	}
	return len(p), nil
}

// End finishes the item, emits the documents and files it holds and
// returns the first error of emit.
func (s *Session) End() error {
	if s.text {
		for _, m := range s.records {
			if err := m.Close(); err != nil && s.err == nil {
				s.err = err
			}
			m.Reset()
		}
		s.flush()
		if s.doc != nil {
			for _, d := range s.doc.End() {
				s.send(s.document(d))
			}
		}
	}
	if s.stream != nil {
		ms, err := s.stream.Close()
		s.stream = nil
		if err == nil {
			for _, m := range ms {
				s.send(s.file(m))
			}
		}
	}
	err := s.err
	s.emit, s.err, s.pending = nil, nil, s.pending[:0]
	return err
}

// flush emits the records held back.
func (s *Session) flush() {
	for _, f := range s.pending {
		s.send(f)
	}
	clear(s.pending)
	s.pending = s.pending[:0]
}

// Abort drops the item in progress.
func (s *Session) Abort() {
	for _, m := range s.records {
		m.Reset()
	}
	if s.doc != nil {
		s.doc.Reset()
	}
	if s.stream != nil {
		s.stream.Abort(fmt.Errorf("item aborted"))
		s.stream = nil
	}
	clear(s.pending)
	s.emit, s.err, s.pending = nil, nil, s.pending[:0]
}

func (s *Session) send(f finding.Finding) {
	if s.err == nil {
		s.err = s.emit(f)
	}
}

// record is the edm matchers' emit.
func (s *Session) record(m edm.Match) error {
	if s.emit == nil || s.err != nil {
		return s.err
	}
	spans := make([][2]int64, len(m.Spans))
	for i, sp := range m.Spans {
		spans[i] = [2]int64{sp.Start, sp.End}
	}
	loc := s.loc
	loc.Offset, loc.EndOffset = m.Start, m.End
	row := strconv.FormatInt(m.Row, 10)
	s.pending = append(s.pending, finding.Finding{
		Rule: RuleRecord, Name: "Record of a registered set", Kind: finding.Registered, Entity: "RECORD",
		Confidence: m.Confidence, Severity: finding.Critical, Location: loc,
		Masked:      fmt.Sprintf("%s row %s (%s)", m.Set, row, strings.Join(m.Columns, ", ")),
		Fingerprint: s.lib.h.Sum([]byte(Records + "\x00" + m.Set + "\x00" + row)),
		Match:       &finding.Match{Set: m.Set, Type: Records, Row: m.Row, Columns: slices.Clone(m.Columns), Spans: spans},
	})
	if len(s.pending) >= maxPending {
		s.flush()
	}
	return s.err
}

func (s *Session) document(d docs.DocMatch) finding.Finding {
	spans := make([][2]int64, len(d.Spans))
	for i, sp := range d.Spans {
		spans[i] = [2]int64{sp.Start, sp.End}
	}
	loc := s.loc
	if len(spans) > 0 {
		loc.Offset, loc.EndOffset = spans[0][0], spans[len(spans)-1][1]
	}
	parts := make([][2]int64, len(d.DocRanges))
	for i, r := range d.DocRanges {
		parts[i] = [2]int64{r.First, r.Last}
	}
	version := strconv.Itoa(d.Version)
	return finding.Finding{
		Rule: RuleDocument, Name: "Part of a registered document", Kind: finding.Registered, Entity: "DOCUMENT",
		Confidence: d.Confidence, Severity: finding.SevHigh, Location: loc,
		Masked:      fmt.Sprintf("%s: %s v%s, %s of it", d.Set, d.Path, version, percent(d.Coverage)),
		Fingerprint: s.lib.h.Sum([]byte(Docs + "\x00" + d.Set + "\x00" + d.Path + "\x00" + version)),
		Match: &finding.Match{Set: d.Set, Type: Docs, Document: d.Path, Version: d.Version,
			Coverage: round4(d.Coverage), Share: round4(d.Share), Spans: spans, Parts: parts, Words: s.lib.words(d)},
	}
}

func (s *Session) file(m media.FileMatch) finding.Finding {
	spans := make([][2]int64, len(m.Spans))
	for i, sp := range m.Spans {
		spans[i] = [2]int64{sp.Start, sp.End}
	}
	loc := s.loc
	if len(spans) > 0 {
		loc.Offset, loc.EndOffset = spans[0][0], spans[len(spans)-1][1]
	}
	conf := finding.Medium
	if m.Exact || m.Coverage >= 0.5 {
		conf = finding.High
	}
	what := percent(m.Coverage) + " of it"
	if m.Exact {
		what = "an exact copy"
	}
	version := strconv.Itoa(m.Version)
	return finding.Finding{
		Rule: RuleFile, Name: "Copy of a registered file", Kind: finding.Registered, Entity: "FILE",
		Confidence: conf, Severity: finding.SevHigh, Location: loc,
		Masked:      fmt.Sprintf("%s: %s v%s, %s", m.Set, m.Name, version, what),
		Fingerprint: s.lib.h.Sum([]byte(Files + "\x00" + m.Set + "\x00" + m.Name + "\x00" + version)),
		Match: &finding.Match{Set: m.Set, Type: Files, Document: m.Name, Version: m.Version,
			Coverage: round4(m.Coverage), Spans: spans, Size: m.Size, Exact: m.Exact},
	}
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }
