package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/jsonlist"
)

// newEncoder does not escape <, > and & so that paths read as they are; the
// output is a file, not HTML.
func newEncoder(w io.Writer, indent bool) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc
}

// writeJSON writes the document a finding at a time (see jsonlist), so
// that a report of a million findings is never held in memory twice (once
// as findings, once as encoded text). Each finding is appendFinding's
// encoding: encoding/json's reflection and indenting cost 3 s of a scan of
// 448k findings.
func writeJSON(w io.Writer, r *Result) error {
	doc := struct {
		Findings []finding.Finding   `json:"findings"`
		Errors   []finding.ItemError `json:"errors"`
		Stats    finding.Stats       `json:"stats"`
	}{[]finding.Finding{}, r.Errors, r.Stats}
	if doc.Errors == nil {
		doc.Errors = []finding.ItemError{}
	}
	var frame bytes.Buffer
	if err := newEncoder(&frame, true).Encode(doc); err != nil {
		return err
	}
	l := jsonlist.New(w, frame.Bytes(), "findings")
	var compact []byte
	var enc findingEncoder
	if err := r.each(func(_ int, f finding.Finding) error {
		var err error
		if compact, err = enc.append(compact[:0], &f); err != nil {
			return err
		}
		return l.Add(compact)
	}); err != nil {
		return err
	}
	return l.End(frame.Bytes())
}

// writeJSONL writes one compact finding per line, for streaming consumers
// (jq, log shippers); errors and stats are not findings and stay out.
func writeJSONL(w io.Writer, r *Result) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	var enc findingEncoder
	if err := r.each(func(_ int, f finding.Finding) error {
		var err error
		if line, err = enc.append(line[:0], &f); err != nil {
			return err
		}
		line = append(line, '\n')
		_, err = bw.Write(line)
		return err
	}); err != nil {
		return err
	}
	return bw.Flush()
}
