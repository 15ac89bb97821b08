// Package report turns the result of a scan into text for people and machines:
// a terminal listing with a summary, JSON, JSON Lines, SARIF 2.1.0 for code
// scanning services, and CSV for spreadsheets. Writers only format. A value
// in clear appears only when the finding carries it (--show-secrets), and
// never in SARIF, whose files are uploaded to third-party services.
package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/redact"
)

// Result is everything a report shows about one scan.
type Result struct {
	// Findings are in the order they are to be shown; the caller sorts them.
	Findings []finding.Finding
	// List, when set, replaces Findings: a scan with hundreds of thousands
	// of findings keeps them compact and hands them out one at a time.
	List   List
	Errors []finding.ItemError
	Stats  finding.Stats
	// Rules describe the rules that produced findings. A finding whose rule
	// is missing here is still reported, with metadata taken from the finding.
	Rules []RuleInfo
	Tool  ToolInfo
}

// List is a read-only sequence of findings in report order.
type List interface {
	Len() int
	At(i int) finding.Finding
}

// count is the number of findings.
func (r *Result) count() int {
	if r.List != nil {
		return r.List.Len()
	}
	return len(r.Findings)
}

// SecretHolder is a List that knows whether any of its findings carries a
// plaintext value, so that writers need not read them all to find out.
type SecretHolder interface{ HasSecrets() bool }

// hasSecrets reports whether some finding carries its plaintext value.
func (r *Result) hasSecrets() bool {
	if h, ok := r.List.(SecretHolder); ok {
		return h.HasSecrets()
	}
	errFound := errors.New("found")
	return r.each(func(_ int, f finding.Finding) error {
		if f.Secret != "" {
			return errFound
		}
		return nil
	}) != nil
}

// each calls fn for every finding in order, with the masking policy
// applied: a finding that carries its value but no preview gets one from
// the shared policy, so that no format falls back to the value itself.
func (r *Result) each(fn func(i int, f finding.Finding) error) error {
	for i := range r.count() {
		var f finding.Finding
		if r.List != nil {
			f = r.List.At(i)
		} else {
			f = r.Findings[i]
		}
		if f.Masked == "" && f.Secret != "" {
			f.Masked = redact.Mask(f.Secret)
		}
		if err := fn(i, f); err != nil {
			return err
		}
	}
	return nil
}

// RuleInfo is the metadata of a rule that reports show (SARIF's rule list).
type RuleInfo struct {
	ID          string
	Name        string
	Description string
	Kind        finding.Kind
	Entity      string
	Severity    finding.Severity
}

// ToolInfo names the program that produced the report.
type ToolInfo struct {
	Name    string // "leakguard" when empty
	Version string
}

func (t ToolInfo) name() string {
	if t.Name == "" {
		return "leakguard"
	}
	return t.Name
}

// Writer writes a whole report for one Result.
type Writer interface {
	Write(w io.Writer, r *Result) error
}

// WriterFunc adapts a function to Writer.
type WriterFunc func(w io.Writer, r *Result) error

// Write calls f.
func (f WriterFunc) Write(w io.Writer, r *Result) error { return f(w, r) }

// Formats lists the names New accepts.
func Formats() []string {
	return []string{"text", "json", "jsonl", "sarif", "csv"}
}

// New returns the writer for a format name (case-insensitive). Text comes
// without color; use NewText for a terminal.
func New(format string) (Writer, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "text":
		return NewText(false), nil
	case "json":
		return WriterFunc(writeJSON), nil
	case "jsonl":
		return WriterFunc(writeJSONL), nil
	case "sarif":
		return WriterFunc(writeSARIF), nil
	case "csv":
		return WriterFunc(writeCSV), nil
	}
	return nil, fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

// rulesFor returns the rule list a report describes: every rule of r.Rules
// plus one made from the first finding of any rule missing there, sorted by
// id so that output does not depend on the caller's map order, with an index
// by id. The first entry wins when an id repeats.
func rulesFor(r *Result) ([]RuleInfo, map[string]int) {
	seen := make(map[string]bool, len(r.Rules))
	var out []RuleInfo
	for _, ri := range r.Rules {
		if !seen[ri.ID] {
			seen[ri.ID] = true
			out = append(out, ri)
		}
	}
	r.each(func(_ int, f finding.Finding) error {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, RuleInfo{ID: f.Rule, Name: f.Name, Kind: f.Kind, Entity: f.Entity, Severity: f.Severity})
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b RuleInfo) int { return strings.Compare(a.ID, b.ID) })
	index := make(map[string]int, len(out))
	for i, ri := range out {
		index[ri.ID] = i
	}
	return out, index
}
