package server

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/finding"
)

// Presidio compatibility: the request and answer shapes of Presidio
// Analyzer's REST API, so that tools built for it work unchanged.
// Presidio scores are in [0, 1]; leakguard has three confidence levels,
// mapped below. High is 0.85, not 1.0: Presidio keeps 1.0 for a value a
// checksum confirmed, and a high leakguard finding need not have one.
const (
	scoreHigh   = 0.85
	scoreMedium = 0.6
	scoreLow    = 0.4
)

func score(c finding.Confidence) float64 {
	switch c {
	case finding.High:
		return scoreHigh
	case finding.Medium:
		return scoreMedium
	}
	return scoreLow
}

// analyzeRequest is Presidio's AnalyzerRequest. Text is a string, or a
// list of strings for a batch (answered with a list of lists).
// Correlation ids, ad hoc recognizers and context words are accepted and
// ignored: leakguard's rules carry their own context.
type analyzeRequest struct {
	Text                  json.RawMessage `json:"text"`
	Language              string          `json:"language"`
	Entities              []string        `json:"entities"`
	ScoreThreshold        *float64        `json:"score_threshold"`
	ReturnDecisionProcess bool            `json:"return_decision_process"`
	AllowList             []string        `json:"allow_list"`
	AllowListMatch        string          `json:"allow_list_match"`
}

// analyzerResult is Presidio's RecognizerResult, fields in its (sorted)
// order. Start and End count Unicode code points, as Python strings do.
type analyzerResult struct {
	AnalysisExplanation *explanation        `json:"analysis_explanation"`
	End                 int                 `json:"end"`
	EntityType          string              `json:"entity_type"`
	RecognitionMetadata recognitionMetadata `json:"recognition_metadata"`
	Score               float64             `json:"score"`
	Start               int                 `json:"start"`
}

type recognitionMetadata struct {
	RecognizerName string `json:"recognizer_name"`
}

// explanation is Presidio's AnalysisExplanation, given when the request
// asks for the decision process. Pattern stays null: a rule's regular
// expression is leakguard's business, its id names it.
type explanation struct {
	Recognizer              string   `json:"recognizer"`
	PatternName             string   `json:"pattern_name"`
	Pattern                 *string  `json:"pattern"`
	OriginalScore           float64  `json:"original_score"`
	Score                   float64  `json:"score"`
	TextualExplanation      string   `json:"textual_explanation"`
	ScoreContextImprovement float64  `json:"score_context_improvement"`
	SupportiveContextWord   string   `json:"supportive_context_word"`
	ValidationResult        *float64 `json:"validation_result"`
}

// analyze answers POST /analyze.
func (s *server) analyze(w *statusWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	if s.answered(w, r, nil) {
		return
	}
	var req analyzeRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		writeError(w, http.StatusBadRequest, "Failed to parse /analyze request: "+err.Error())
		return
	}
	texts, batch, err := req.texts()
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.AllowListMatch != "" && req.AllowListMatch != "exact" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("allow_list_match %q is not supported (only \"exact\")", req.AllowListMatch))
		return
	}
	out := make([][]analyzerResult, len(texts))
	for i, text := range texts {
		res, err := s.scanText(r.Context(), text)
		if s.answered(w, r, err) {
			return
		}
		fs := clean(res.Findings)
		w.counted(fs)
		out[i] = req.results(text, fs)
	}
	if batch {
		writeJSON(w, http.StatusOK, out)
		return
	}
	writeJSON(w, http.StatusOK, out[0])
}

// texts returns the request's text or texts. Presidio's message for a
// missing text is kept, capital and all.
func (req *analyzeRequest) texts() (texts []string, batch bool, err error) {
	raw := bytes.TrimSpace(req.Text)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		return nil, false, errBadRequest{"No text provided"}
	case raw[0] == '[':
		if err := json.Unmarshal(raw, &texts); err != nil {
			return nil, false, errBadRequest{"text: want a string or a list of strings"}
		}
		if len(texts) == 0 {
			return nil, false, errBadRequest{"No text provided"}
		}
		return texts, true, nil
	}
	var t string
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, false, errBadRequest{"text: want a string or a list of strings"}
	}
	if t == "" {
		return nil, false, errBadRequest{"No text provided"}
	}
	return []string{t}, false, nil
}

// results turns the findings of text into Presidio results: only those
// with a span in the text itself, filtered by entities, threshold and allow
// list, ordered by position.
func (req *analyzeRequest) results(text string, fs []finding.Finding) []analyzerResult {
	type placed struct {
		f    finding.Finding
		a, b int // byte offsets
	}
	var ps []placed
	for _, f := range fs {
		sp, ok := spansOf(text, f)
		if !ok || len(sp) != 1 { // a registered document's passages are no entity span
			continue
		}
		if len(req.Entities) > 0 && !slices.Contains(req.Entities, label(f)) {
			continue
		}
		if req.ScoreThreshold != nil && score(f.Confidence) < *req.ScoreThreshold {
			continue
		}
		if slices.Contains(req.AllowList, text[sp[0].start:sp[0].end]) {
			continue
		}
		ps = append(ps, placed{f, sp[0].start, sp[0].end})
	}
	offs := make([]int, 0, 2*len(ps))
	for _, p := range ps {
		offs = append(offs, p.a, p.b)
	}
	cps := codePoints(text, offs)
	out := make([]analyzerResult, len(ps))
	for i, p := range ps {
		sc := score(p.f.Confidence)
		out[i] = analyzerResult{
			Start: cps[2*i], End: cps[2*i+1], EntityType: label(p.f), Score: sc,
			RecognitionMetadata: recognitionMetadata{RecognizerName: p.f.Rule},
		}
		if req.ReturnDecisionProcess {
			out[i].AnalysisExplanation = &explanation{
				Recognizer: p.f.Rule, PatternName: p.f.Name, OriginalScore: sc, Score: sc,
				TextualExplanation: fmt.Sprintf("leakguard rule %s (%s), confidence %s", p.f.Rule, p.f.Kind, p.f.Confidence),
			}
		}
	}
	slices.SortStableFunc(out, func(a, b analyzerResult) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.EntityType, b.EntityType))
	})
	return out
}

// codePoints converts byte offsets into text to code-point offsets, in one
// pass over the text however many offsets there are.
func codePoints(text string, offs []int) []int {
	order := make([]int, len(offs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(offs[a], offs[b]) })
	out := make([]int, len(offs))
	at, n := 0, 0 // byte position and code points before it
	for _, i := range order {
		if offs[i] > at {
			n += utf8.RuneCountInString(text[at:offs[i]])
			at = offs[i]
		}
		out[i] = n
	}
	return out
}

// supportedEntities answers GET /supportedentities (the language parameter
// is accepted and ignored: leakguard's rules are not per language).
func (s *server) supportedEntities(w *statusWriter, _ *http.Request) {
	es := slices.Clone(s.cfg.Entities)
	slices.Sort(es)
	writeJSON(w, http.StatusOK, nonNil(slices.Compact(es)))
}

// health answers GET /health, without a token, in plain text as Presidio
// does.
func (s *server) health(w *statusWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok")
}
