package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/leakguard/leakguard/internal/finding"
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

// writeJSON writes the document one element at a time, so that a report
// of a million findings is never held in memory twice (once as findings,
// once as encoded text); the bytes are those of encoding the document whole
// with a two-space indent.
func writeJSON(w io.Writer, r *Result) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := newEncoder(&buf, false)
	enc.SetIndent("    ", "  ")
	element := func(v any) error {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return nil
	}
	list := func(name string, n int, at func(i int) any) error {
		bw.WriteString("\n  \"" + name + "\": [")
		for i := range n {
			if i > 0 {
				bw.WriteByte(',')
			}
			if err := element(at(i)); err != nil {
				return err
			}
		}
		if n > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteString("],")
		return nil
	}
	bw.WriteByte('{')
	bw.WriteString("\n  \"findings\": [")
	var compact, indented []byte
	if err := r.each(func(i int, f finding.Finding) error {
		if i > 0 {
			bw.WriteByte(',')
		}
		// What encoding/json would write, at a sixth of the cost (see
		// appendIndented).
		var err error
		if compact, err = appendFinding(compact[:0], &f); err != nil {
			return err
		}
		bw.WriteString("\n    ")
		indented = appendIndented(indented[:0], compact, "    ")
		_, err = bw.Write(indented)
		return err
	}); err != nil {
		return err
	}
	if r.count() > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],")
	if err := list("errors", len(r.Errors), func(i int) any { return &r.Errors[i] }); err != nil {
		return err
	}
	enc.SetIndent("  ", "  ")
	buf.Reset()
	if err := enc.Encode(r.Stats); err != nil {
		return err
	}
	bw.WriteString("\n  \"stats\": ")
	bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// writeJSONL writes one compact finding per line, for streaming consumers
// (jq, log shippers); errors and stats are not findings and stay out.
func writeJSONL(w io.Writer, r *Result) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	if err := r.each(func(_ int, f finding.Finding) error {
		var err error
		if line, err = appendFinding(line[:0], &f); err != nil {
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
