package detect_test

import (
	"context"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

func builtinEngine(t testing.TB, opts ...detect.Option) *detect.Engine {
	t.Helper()
	rs := rules.Builtin()
	e, err := detect.Compile(rs, append([]detect.Option{detect.WithHasher(keyed.New([]byte("test key")))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestBuiltinRuleExamples runs every built-in rule's examples and negative
// examples through the real engine, as `leakguard rules check` does.
func TestBuiltinRuleExamples(t *testing.T) {
	e := builtinEngine(t)
	problems, err := e.CheckExamples(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	for _, r := range e.Rules() {
		if len(r.Examples) == 0 || len(r.NegativeExamples) == 0 {
			t.Errorf("rule %s: needs at least one example and one negative example", r.ID)
		}
	}
}
