package report

import (
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
// Lines are encoded straight into one block that goes to w whenever it
// holds jsonlBlock bytes: encoding each line apart and copying it into a
// bufio.Writer copied the whole report once more (174 MB for the
// benchmark corpus).
func writeJSONL(w io.Writer, r *Result) error {
	block := make([]byte, 0, jsonlBlock+4<<10)
	var enc findingEncoder
	if err := r.each(func(_ int, f finding.Finding) error {
		var err error
		if block, err = enc.append(block, &f); err != nil {
			return err
		}
		block = append(block, '\n')
		if len(block) < jsonlBlock {
			return nil
		}
		_, err = w.Write(block)
		block = block[:0]
		return err
	}); err != nil {
		return err
	}
	if len(block) == 0 {
		return nil
	}
	_, err := w.Write(block)
	return err
}

// jsonlBlock is how much encoded text writeJSONL hands to its writer at a
// time.
const jsonlBlock = 64 << 10
