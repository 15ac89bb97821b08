package detect

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

// ExampleProblem is an example a rule does not find, or a negative example it
// does.
type ExampleProblem struct {
	Rule     string
	Negative bool
	Text     string
	Path     string
	Got      []string // rules that fired on the text
}

func (p ExampleProblem) String() string {
	what := "example not found"
	if p.Negative {
		what = "negative example found"
	}
	return fmt.Sprintf("%s: %s: %q (path %q; rules that fired: %s)", p.Rule, what, p.Text, p.Path, strings.Join(p.Got, ", "))
}

// CheckExamples runs every rule's examples and negative examples through the
// engine itself, all rules enabled, as a scan would: an example must yield a
// finding of its rule, a negative example must not. Example texts may hold
// secrets-shaped strings, so problems name rules, never masked values.
func (e *Engine) CheckExamples(ctx context.Context) ([]ExampleProblem, error) {
	for _, c := range e.rules {
		if c.recognise == nil {
			if _, err := c.matcher(); err != nil {
				return nil, err
			}
		}
	}
	var problems []ExampleProblem
	for _, c := range e.rules {
		for _, neg := range []bool{false, true} {
			list := c.Examples
			if neg {
				list = c.NegativeExamples
			}
			for _, ex := range list {
				p := ex.Path
				if p == "" {
					p = "example.txt"
				}
				var got []string
				hit := false
				in := Input{Location: finding.Location{Path: p}, R: strings.NewReader(ex.Text)}
				collect := func(f finding.Finding) error {
					got = append(got, f.Rule)
					hit = hit || f.Rule == c.ID
					return nil
				}
				var err error
				if ex.Hex != "" {
					head, herr := hex.DecodeString(ex.Hex)
					if herr != nil {
						return nil, fmt.Errorf("rule %s: example hex: %w", c.ID, herr)
					}
					_, err = e.ScanBinary(ctx, in, head, collect)
				} else {
					_, err = e.Scan(ctx, in, collect)
				}
				if err != nil {
					return nil, err
				}
				if hit == neg {
					problems = append(problems, ExampleProblem{Rule: c.ID, Negative: neg, Text: ex.Text, Path: ex.Path, Got: got})
				}
			}
		}
	}
	return problems, nil
}
