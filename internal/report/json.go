package report

import (
	"encoding/json"
	"io"

	"github.com/leakguard/leakguard/internal/finding"
)

// document is the JSON report: the contract types with their own tags.
type document struct {
	Findings []finding.Finding   `json:"findings"`
	Errors   []finding.ItemError `json:"errors"`
	Stats    finding.Stats       `json:"stats"`
}

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

func writeJSON(w io.Writer, r *Result) error {
	d := document{Findings: findings(r), Errors: r.Errors, Stats: r.Stats}
	// Consumers iterate these; an empty list is [], never null.
	if d.Findings == nil {
		d.Findings = []finding.Finding{}
	}
	if d.Errors == nil {
		d.Errors = []finding.ItemError{}
	}
	return newEncoder(w, true).Encode(d)
}

// writeJSONL writes one compact finding per line, for streaming consumers
// (jq, log shippers); errors and stats are not findings and stay out.
func writeJSONL(w io.Writer, r *Result) error {
	enc := newEncoder(w, false)
	fs := findings(r)
	for i := range fs {
		if err := enc.Encode(&fs[i]); err != nil {
			return err
		}
	}
	return nil
}
