// Package finding defines what leakguard reports: a Finding (what was found,
// how sure we are, where), the Location chain that points into nested content,
// per-item errors and the statistics of a scan. It is the contract every stage
// shares, so it imports nothing internal.
package finding

import (
	"fmt"
	"strings"
)

// Kind is the family a rule belongs to.
type Kind string

// The kinds of rules.
const (
	Secret  Kind = "secret"  // a credential: key, token, password, private key
	PII     Kind = "pii"     // personal data: identifiers, contact details
	Marking Kind = "marking" // a classification marking such as "CONFIDENTIAL"
	// Registered is a match against the organisation's own registered data
	// (records, documents, files): not a rule's, so no rule has this kind.
	Registered Kind = "registered"
)

// ParseKind accepts the lower-case name of a kind.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case Secret, PII, Marking, Registered:
		return k, nil
	}
	return "", fmt.Errorf("unknown kind %q (want secret, pii, marking or registered)", s)
}

// Confidence says how sure the engine is that a candidate is real. The zero
// value is "unset", so a rule that does not name one gets its default.
type Confidence int

// Confidence levels, ordered so that a larger value is surer.
const (
	Low    Confidence = 1
	Medium Confidence = 2
	High   Confidence = 3
)

func (c Confidence) String() string {
	switch c {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return "unset"
}

// ParseConfidence accepts "low", "medium" or "high".
func ParseConfidence(s string) (Confidence, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high":
		return High, nil
	}
	return 0, fmt.Errorf("unknown confidence %q (want low, medium or high)", s)
}

// MarshalText writes the level's name.
func (c Confidence) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a level's name.
func (c *Confidence) UnmarshalText(b []byte) error {
	v, err := ParseConfidence(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Severity says how bad a true finding would be.
type Severity string

// Severities, in increasing order of harm.
const (
	Info     Severity = "info"
	SevLow   Severity = "low"
	SevMed   Severity = "medium"
	SevHigh  Severity = "high"
	Critical Severity = "critical"
)

// Rank orders severities; an unknown one ranks 0.
func (s Severity) Rank() int {
	switch s {
	case Info:
		return 1
	case SevLow:
		return 2
	case SevMed:
		return 3
	case SevHigh:
		return 4
	case Critical:
		return 5
	}
	return 0
}

// ParseSeverity accepts info, low, medium, high or critical.
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	if v.Rank() == 0 {
		return "", fmt.Errorf("unknown severity %q (want info, low, medium, high or critical)", s)
	}
	return v, nil
}

// Location points at a span of scanned text. Path is the item as its source
// names it (a file on disk, "-" for standard input); Container is the chain
// inside it, outermost first, e.g. ["backup.zip", "hr/2014.xlsx", "sheet:Pay"].
// Line and Column are 1-based, columns count characters; Offset and EndOffset
// are byte offsets of the value within the scanned (decoded) text.
type Location struct {
	Path      string   `json:"path"`
	Container []string `json:"container,omitempty"`
	Line      int      `json:"line,omitempty"`
	Column    int      `json:"column,omitempty"`
	EndLine   int      `json:"end_line,omitempty"`
	EndColumn int      `json:"end_column,omitempty"`
	Offset    int64    `json:"offset"`
	EndOffset int64    `json:"end_offset"`
}

// Where renders the item part of a location, "path" or "path!a!b" for a chain.
func (l Location) Where() string {
	if len(l.Container) == 0 {
		return l.Path
	}
	return l.Path + "!" + strings.Join(l.Container, "!")
}

// Finding is one sensitive value at one place. It never carries the value in
// clear unless the user asked for it (Secret, set only with --show-secrets).
type Finding struct {
	Rule        string     `json:"rule"`
	Name        string     `json:"name,omitempty"`
	Kind        Kind       `json:"kind"`
	Entity      string     `json:"entity,omitempty"`
	Confidence  Confidence `json:"confidence"`
	Severity    Severity   `json:"severity"`
	Location    Location   `json:"location"`
	Masked      string     `json:"masked"`
	Fingerprint string     `json:"fingerprint"`
	// Secret is the plaintext value; empty unless explicitly requested.
	Secret string `json:"secret,omitempty"`
	// Match says which registered data a finding of kind Registered is.
	Match *Match `json:"match,omitempty"`
}

// Match describes a match against a registered set: which set, which
// record or document of it, and how much. It names rows and registration
// paths, never the registered values.
type Match struct {
	Set  string `json:"set"`
	Type string `json:"type"` // "records", "docs" or "files"
	// Row is the record's 1-based row in the registered file (records).
	Row int64 `json:"row,omitempty"`
	// Columns are the names of the record's columns found together.
	Columns []string `json:"columns,omitempty"`
	// Document is the registered document's or file's path at registration,
	// Version its registration version (docs, files).
	Document string `json:"document,omitempty"`
	Version  int    `json:"version,omitempty"`
	// Coverage is the share of the registered document or file present in
	// the scanned item; Share the share of the scanned item that comes from
	// it (docs, files).
	Coverage float64 `json:"coverage,omitempty"`
	Share    float64 `json:"share,omitempty"`
	// Spans are the matched byte ranges of the scanned text, merged.
	Spans [][2]int64 `json:"spans,omitempty"`
	// Parts are the ranges of the registered document found, in its own
	// word numbers [first, last], and Words its length in words (docs), so
	// that what several items hold of one document can be added up.
	Parts [][2]int64 `json:"parts,omitempty"`
	Words int64      `json:"words,omitempty"`
	// Size is the registered file's size in bytes, Exact set when the
	// item is the whole file and nothing else (files).
	Size  int64 `json:"size,omitempty"`
	Exact bool  `json:"exact,omitempty"`
}

// ItemError records an item (or part of one) that could not be scanned, and
// why. Scans go on after an item error; the summary counts them.
type ItemError struct {
	Location Location `json:"location"`
	Reason   string   `json:"reason"`
	Error    string   `json:"error"`
}

// Reasons for item errors and skips, shared so that counts group well.
const (
	ReasonUnreadable = "unreadable"
	ReasonBinary     = "binary"
	ReasonSpecial    = "special-file"
	ReasonIgnored    = "ignored"
	ReasonSymlink    = "symlink"
	ReasonTooLarge   = "too-large"
	ReasonPanic      = "panic"
	ReasonCanceled   = "canceled"
	// Extraction of containers and documents.
	ReasonLimit       = "limit"          // a size, ratio, depth, entry or time limit
	ReasonEncrypted   = "encrypted"      // content behind a password
	ReasonCorrupt     = "corrupt"        // a container or document that does not parse
	ReasonUnsupported = "unsupported"    // a known format this build cannot read
	ReasonNoHelper    = "helper-missing" // an external helper program is not installed
)

// Stats summarise a scan. Suppressed counts candidates that matched a rule but
// were not reported, by reason ("allow-comment", "baseline", "min-confidence",
// "placeholder", …), so nothing disappears silently.
type Stats struct {
	Items    int64 `json:"items"`
	Bytes    int64 `json:"bytes"`
	Findings int64 `json:"findings"`
	Errors   int64 `json:"errors"`
	// Deduped counts members whose content was seen before in this scan:
	// their findings are reported again at the new place without a rescan.
	Deduped int64 `json:"deduped,omitempty"`
	// Cached counts items unchanged since a previous scan whose results
	// were replayed from the scan cache without reading them.
	Cached     int64            `json:"cached,omitempty"`
	Skipped    map[string]int64 `json:"skipped,omitempty"`
	Suppressed map[string]int64 `json:"suppressed,omitempty"`
	DurationMS int64            `json:"duration_ms"`
}

// Add folds o into s.
func (s *Stats) Add(o Stats) {
	s.Items += o.Items
	s.Bytes += o.Bytes
	s.Findings += o.Findings
	s.Errors += o.Errors
	s.Deduped += o.Deduped
	s.Cached += o.Cached
	s.Skipped = addCounts(s.Skipped, o.Skipped)
	s.Suppressed = addCounts(s.Suppressed, o.Suppressed)
}

// Count adds n under reason in a count map, creating it when needed.
func Count(m *map[string]int64, reason string, n int64) {
	if *m == nil {
		*m = map[string]int64{}
	}
	(*m)[reason] += n
}

func addCounts(dst, src map[string]int64) map[string]int64 {
	for k, v := range src {
		Count(&dst, k, v)
	}
	return dst
}
