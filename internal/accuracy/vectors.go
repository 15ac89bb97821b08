package accuracy

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leakguard/leakguard/internal/detect"
)

// VectorsFile is Presidio's recognizer test vectors under the data directory.
const VectorsFile = "pii/presidio_recognizer_vectors.jsonl"

// VectorsResult scores PII findings on Presidio's recognizer test cases. A
// case is in scope when every entity it names is claimed by a rule (a case
// about PERSON or DATE_TIME cannot be passed by a DATE_TIME rule alone). A
// positive case passes when at least expected_count distinct spans of its
// entities are found; a negative case (expected_count 0) passes when none is.
type VectorsResult struct {
	Entities      []VectorScore // per entity (or "A+B" for a case naming several)
	Pos, PosFound int           // positive cases in scope, and passed
	Neg, NegClean int           // negative cases in scope, and passed
	OutOfScope    int           // cases naming an entity no rule claims
	Failures      []VectorFailure
}

// VectorScore is one entity's share.
type VectorScore struct {
	Entity                       string
	Pos, PosFound, Neg, NegClean int
}

// VectorFailure is a case that did not pass.
type VectorFailure struct {
	Entity, Source string
	Text           string // cut to 120 characters
	Expected, Got  int
}

type vectorCase struct {
	Source   string   `json:"source"`
	Entities []string `json:"entities"`
	Text     string   `json:"text"`
	Expected int      `json:"expected_count"`
}

// PresidioVectors runs every in-scope case of Presidio's recognizer vectors.
func PresidioVectors(ctx context.Context, dataDir string, e *detect.Engine) (*VectorsResult, error) {
	name := filepath.Join(dataDir, filepath.FromSlash(VectorsFile))
	cases, err := readVectors(name)
	if err != nil {
		return nil, err
	}
	claimed := claimedEntities(e)
	r := &VectorsResult{}
	var in []vectorCase
	for _, c := range cases {
		ok := len(c.Entities) > 0
		for _, ent := range c.Entities {
			ok = ok && claimed[ent]
		}
		if ok {
			in = append(in, c)
		} else {
			r.OutOfScope++
		}
	}
	got := make([]int, len(in))
	err = parallel(ctx, len(in), func(ctx context.Context, i int) error {
		ps, err := piiSpans(ctx, e, fmt.Sprintf("presidio_vectors/%d.txt", i), in[i].Text)
		if err != nil {
			return err
		}
		seen := map[span]bool{}
		for _, p := range ps {
			for _, ent := range in[i].Entities {
				if p.entity == ent && !seen[p.span] {
					seen[p.span] = true
					got[i]++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	per := map[string]*VectorScore{}
	for i, c := range in {
		key := strings.Join(c.Entities, "+")
		s := per[key]
		if s == nil {
			s = &VectorScore{Entity: key}
			per[key] = s
		}
		pass := false
		if c.Expected > 0 {
			s.Pos++
			r.Pos++
			if pass = got[i] >= c.Expected; pass {
				s.PosFound++
				r.PosFound++
			}
		} else {
			s.Neg++
			r.Neg++
			if pass = got[i] == 0; pass {
				s.NegClean++
				r.NegClean++
			}
		}
		if !pass {
			r.Failures = append(r.Failures, VectorFailure{Entity: key, Source: c.Source, Text: truncate(c.Text, maxQuote), Expected: c.Expected, Got: got[i]})
		}
	}
	for _, s := range per {
		r.Entities = append(r.Entities, *s)
	}
	sort.Slice(r.Entities, func(i, j int) bool { return r.Entities[i].Entity < r.Entities[j].Entity })
	return r, nil
}

func readVectors(name string) ([]vectorCase, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []vectorCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c vectorCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}
