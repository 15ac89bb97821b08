package server

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/finding"
)

// redactResponse is the answer of /v1/redact.
type redactResponse struct {
	Text     string            `json:"text"`
	Findings []finding.Finding `json:"findings"`
}

// utf8BOM is dropped before scanning, as the text decoder does, so that
// offsets count from the first character, and put back in the answer.
const utf8BOM = "\uFEFF"

// redact answers POST /v1/redact: the text with each finding's span
// replaced by [ENTITY], and the findings.
func (s *server) redact(w *statusWriter, r *http.Request) {
	text, ok := s.readText(w, r)
	if !ok {
		return
	}
	bom := ""
	if strings.HasPrefix(text, utf8BOM) {
		bom, text = utf8BOM, text[len(utf8BOM):]
	}
	res, err := s.scanText(r.Context(), text)
	if s.answered(w, r, err) {
		return
	}
	fs := clean(res.Findings)
	w.counted(fs)
	out, unplaced := redactText(text, fs)
	if len(unplaced) > 0 {
		// Text that still holds a finding must not come back as redacted.
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{
			Error: fmt.Sprintf("%d of %d findings cannot be redacted in place (inside embedded content, or without a span in the text); no text is returned",
				len(unplaced), len(fs)),
			Findings: unplaced,
		})
		return
	}
	writeJSON(w, http.StatusOK, redactResponse{Text: bom + out, Findings: fs})
}

// readText reads a text body whole (redact), answering 415 or a limit's
// error itself when it is not UTF-8 text or cannot be read.
func (s *server) readText(w http.ResponseWriter, r *http.Request) (string, bool) {
	if err := textMedia(r.Header.Get("Content-Type")); err != nil {
		writeError(w, http.StatusUnsupportedMediaType, err.Error())
		return "", false
	}
	b, _ := io.ReadAll(r.Body) // a read error is the body's, answered next
	if s.answered(w, r, nil) {
		return "", false
	}
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		writeError(w, http.StatusUnsupportedMediaType, "the body is not UTF-8 text: /v1/redact replaces values in place in text only; scan files with /v1/scan")
		return "", false
	}
	return string(b), true
}

// textMedia accepts a declared media type that can be UTF-8 text: none,
// text/*, JSON, XML, YAML and the like, form data, or octet-stream (what
// some clients send for anything; the content decides).
func textMedia(ct string) error {
	if strings.TrimSpace(ct) == "" {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("unreadable Content-Type %q", ct)
	}
	if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
		return fmt.Errorf("charset %s: /v1/redact takes UTF-8 text", cs)
	}
	sub, _ := strings.CutPrefix(mt, "application/")
	switch {
	case strings.HasPrefix(mt, "text/"):
		return nil
	case sub != mt && (strings.HasSuffix(sub, "+json") || strings.HasSuffix(sub, "+xml") || strings.HasSuffix(sub, "+yaml")):
		return nil
	}
	switch sub {
	case "json", "x-ndjson", "xml", "yaml", "x-yaml", "toml", "javascript", "x-sh", "sql",
		"x-www-form-urlencoded", "octet-stream":
		if sub != mt {
			return nil
		}
	}
	return fmt.Errorf("%s is not text: /v1/redact replaces values in place in text only; scan documents and archives with /v1/scan", mt)
}

// span is a byte range of the text to replace.
type span struct {
	start, end int
	label      string
}

// label is what replaces a finding's value: its entity, else its rule id.
func label(f finding.Finding) string {
	if f.Entity != "" {
		return f.Entity
	}
	return f.Rule
}

// spansOf returns where a finding lies in text, or false when it cannot be
// placed there: inside a container, without a span, or with offsets that
// do not fall on characters of text.
func spansOf(text string, f finding.Finding) ([]span, bool) {
	if len(f.Location.Container) > 0 {
		return nil, false
	}
	ranges := [][2]int64{{f.Location.Offset, f.Location.EndOffset}}
	if f.Match != nil && len(f.Match.Spans) > 0 {
		ranges = f.Match.Spans
	}
	out := make([]span, 0, len(ranges))
	for _, rg := range ranges {
		a, b := rg[0], rg[1]
		if a < 0 || b <= a || b > int64(len(text)) || !boundary(text, int(a)) || !boundary(text, int(b)) {
			return nil, false
		}
		out = append(out, span{int(a), int(b), label(f)})
	}
	return out, true
}

// boundary says whether byte offset i starts a character of text (or ends it).
func boundary(text string, i int) bool {
	return i == len(text) || utf8.RuneStart(text[i])
}

// redactText replaces every finding's span by "[LABEL]"; overlapping spans
// merge into one, labelled by the earliest (and, at a tie, longest). It
// returns the findings it could not place.
func redactText(text string, fs []finding.Finding) (string, []finding.Finding) {
	var spans []span
	var unplaced []finding.Finding
	for _, f := range fs {
		sp, ok := spansOf(text, f)
		if !ok {
			unplaced = append(unplaced, f)
			continue
		}
		spans = append(spans, sp...)
	}
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end), strings.Compare(a.label, b.label))
	})
	var sb strings.Builder
	sb.Grow(len(text))
	at := 0
	for i := 0; i < len(spans); {
		cur := spans[i]
		for i++; i < len(spans) && spans[i].start < cur.end; i++ {
			cur.end = max(cur.end, spans[i].end)
		}
		sb.WriteString(text[at:cur.start])
		sb.WriteString("[" + cur.label + "]")
		at = cur.end
	}
	sb.WriteString(text[at:])
	return sb.String(), unplaced
}
