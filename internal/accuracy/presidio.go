package accuracy

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
)

// PresidioDir is where Presidio's data sits under the shared data directory,
// and PresidioFiles are its generated sentence sets, largest first.
const PresidioDir = "pii"

// PresidioFiles returns the names of Presidio's generated sentence sets.
func PresidioFiles() []string { return []string{"generated_large.json", "generated_small.json"} }

// PresidioResult scores PII findings on one of Presidio's generated sets.
// Each sentence is scanned as its own input; only entity types that at
// least one rule claims are scored, per type and in total, with spans in
// Unicode code points as the set gives them. A gold and a predicted span
// match when they overlap (one to one, as many pairs as possible) and, in
// the Exact counts, when their bounds are equal.
type PresidioResult struct {
	File     string
	Texts    int
	Entities []EntityScore // claimed types seen in the gold spans or the findings
	Overlap  PRF           // totals over Entities
	Exact    PRF
	// Unclaimed counts gold spans of types no rule claims (PERSON, …).
	Unclaimed map[string]int
	// Pred counts all findings, OnPII those that overlap a gold span of
	// any type: the "is it PII at all" precision Presidio also publishes.
	// A date of birth on a span Presidio calls DATE_TIME is a false hit of
	// DATE_OF_BIRTH per type, but it is personal data.
	Pred, OnPII int
	Examples    []SpanExample // misses and false hits, by overlap
}

// EntityScore is one entity type's score.
type EntityScore struct {
	Entity     string
	Gold, Pred int
	Overlap    PRF
	Exact      PRF
	// OtherType counts false hits (by overlap) that lie on a gold span of
	// another type: the value is personal data, labelled differently.
	OtherType int
}

// OnPIIPrecision is the share of findings that overlap a gold span of any
// type.
func (r *PresidioResult) OnPIIPrecision() float64 { return ratio(r.OnPII, r.Pred) }

// SpanExample is a missed gold span (Miss) or a predicted span that
// matched none, with the sentence around it.
type SpanExample struct {
	Miss    bool
	Entity  string
	Rule    string // for a false hit
	OnType  string // for a false hit on a gold span of another type, that type
	Value   string
	Snippet string
}

type presidioSample struct {
	FullText string `json:"full_text"`
	Spans    []struct {
		Type  string `json:"entity_type"`
		Value string `json:"entity_value"`
		Start int    `json:"start_position"`
		End   int    `json:"end_position"`
	} `json:"spans"`
}

// PresidioPII scores the PII findings on each of PresidioFiles.
func PresidioPII(ctx context.Context, dataDir string, e *detect.Engine) ([]*PresidioResult, error) {
	var out []*PresidioResult
	for _, name := range PresidioFiles() {
		r, err := presidioFile(ctx, filepath.Join(dataDir, PresidioDir, name), e)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// predSpan is a finding as Presidio would see it.
type predSpan struct {
	span
	entity, rule string
}

// piiSpans scans one text and returns its PII findings as code point spans
// with Presidio entity names; identical spans of one entity count once.
func piiSpans(ctx context.Context, e *detect.Engine, path, text string) ([]predSpan, error) {
	fs, err := scanText(ctx, e, path, []byte(text))
	if err != nil {
		return nil, err
	}
	var out []predSpan
	seen := map[predSpan]bool{}
	for _, f := range ofKind(fs, finding.PII) {
		if f.Entity == "" {
			continue
		}
		p := predSpan{span: codePoints(text, f.Location.Offset, f.Location.EndOffset), entity: PresidioEntity(f.Entity)}
		if seen[p] {
			continue
		}
		seen[p] = true
		p.rule = f.Rule
		out = append(out, p)
	}
	return out, nil
}

// codePoints converts byte offsets in text to code point offsets.
func codePoints(text string, start, end int64) span {
	s := min(max(int(start), 0), len(text))
	t := min(max(int(end), s), len(text))
	a := utf8.RuneCountInString(text[:s])
	return span{a, a + utf8.RuneCountInString(text[s:t])}
}

func presidioFile(ctx context.Context, name string, e *detect.Engine) (*PresidioResult, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var samples []presidioSample
	if err := json.Unmarshal(b, &samples); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	base := strings.TrimSuffix(filepath.Base(name), ".json")
	preds := make([][]predSpan, len(samples))
	err = parallel(ctx, len(samples), func(ctx context.Context, i int) error {
		// A neutral .txt path: these are sentences, not source code.
		p, err := piiSpans(ctx, e, fmt.Sprintf("%s/%d.txt", base, i), samples[i].FullText)
		preds[i] = p
		return err
	})
	if err != nil {
		return nil, err
	}
	claimed := claimedEntities(e)
	r := &PresidioResult{File: filepath.Base(name), Texts: len(samples), Unclaimed: map[string]int{}}
	scores := map[string]*EntityScore{}
	for i, s := range samples {
		runes := []rune(s.FullText)
		gold := map[string][]span{}
		onGold := func(p span) string {
			for _, g := range s.Spans {
				if p.overlaps(span{g.Start, g.End}) {
					return g.Type
				}
			}
			return ""
		}
		for _, p := range preds[i] {
			r.Pred++
			if onGold(p.span) != "" {
				r.OnPII++
			}
		}
		for _, g := range s.Spans {
			if !claimed[g.Type] {
				r.Unclaimed[g.Type]++
				continue
			}
			gold[g.Type] = append(gold[g.Type], span{g.Start, g.End})
		}
		pred := map[string][]predSpan{}
		for _, p := range preds[i] {
			pred[p.entity] = append(pred[p.entity], p)
		}
		for _, ent := range sortedKeys(gold, pred) {
			ps := pred[ent]
			pspans := make([]span, len(ps))
			for k, p := range ps {
				pspans[k] = p.span
			}
			ov, ex, goldHit, predHit := scoreSpans(gold[ent], pspans)
			sc := scores[ent]
			if sc == nil {
				sc = &EntityScore{Entity: ent}
				scores[ent] = sc
			}
			sc.Gold += len(gold[ent])
			sc.Pred += len(ps)
			sc.Overlap = sc.Overlap.Add(ov)
			sc.Exact = sc.Exact.Add(ex)
			for k, hit := range goldHit {
				if !hit {
					g := gold[ent][k]
					r.Examples = append(r.Examples, SpanExample{Miss: true, Entity: ent, Value: cut(runes, g), Snippet: snippet(runes, g)})
				}
			}
			for k, hit := range predHit {
				if !hit {
					p := ps[k]
					on := onGold(p.span)
					if on != "" {
						sc.OtherType++
					}
					r.Examples = append(r.Examples, SpanExample{Entity: ent, Rule: p.rule, OnType: on, Value: cut(runes, p.span), Snippet: snippet(runes, p.span)})
				}
			}
		}
	}
	for _, ent := range sortedKeys(scores, map[string][]predSpan(nil)) {
		sc := *scores[ent]
		r.Entities = append(r.Entities, sc)
		r.Overlap = r.Overlap.Add(sc.Overlap)
		r.Exact = r.Exact.Add(sc.Exact)
	}
	return r, nil
}

// sortedKeys returns the union of two maps' keys, sorted.
func sortedKeys[A, B any](a map[string]A, b map[string]B) []string {
	set := map[string]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// cut returns the text of s, clipped to the text.
func cut(runes []rune, s span) string {
	a, b := min(max(s.start, 0), len(runes)), min(max(s.end, 0), len(runes))
	return string(runes[a:max(a, b)])
}

// snippet shows s in its sentence, marked «…», cut to 120 characters.
func snippet(runes []rune, s span) string {
	const around = 40
	a, b := min(max(s.start, 0), len(runes)), min(max(s.end, 0), len(runes))
	b = max(a, b)
	lo, hi := max(a-around, 0), min(b+around, len(runes))
	out := string(runes[lo:a]) + "«" + string(runes[a:b]) + "»" + string(runes[b:hi])
	out = strings.ReplaceAll(out, "\n", " ")
	if lo > 0 {
		out = "…" + out
	}
	return truncate(out, maxQuote)
}
