package docs

import (
	"testing"

	"github.com/leakguard/leakguard/internal/keyed"
)

// The tests' generated text comes from leakgen (leakgen.NewText), the
// one generator the library's and the CLI's evaluations share.

func testKeys(t testing.TB) Keys {
	t.Helper()
	k, err := NewKeys(keyed.New([]byte("a fixed test key, not a real one")))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
