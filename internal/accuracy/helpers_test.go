package accuracy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

// testRules are tiny rules whose findings the end-to-end tests can predict,
// independent of the built-in set that other people are changing.
const testRules = `
rules:
  - id: test-token
    name: test token
    kind: secret
    severity: high
    keywords: [tok_]
    pattern: '(tok_[a-z0-9]{8})'
  - id: test-pem
    name: test multi-line key
    kind: secret
    severity: high
    keywords: ["-----begin test-----"]
    pattern: '(?s)(-----BEGIN TEST-----.{1,200}?-----END TEST-----)'
  - id: test-email
    name: test e-mail
    kind: pii
    entity: EMAIL
    severity: medium
    keywords: ["@"]
    pattern: '([a-z0-9.]+@[a-z0-9]+\.[a-z]{2,})'
  - id: test-digits
    name: test card
    kind: pii
    entity: CREDIT_CARD
    severity: medium
    pattern: '\b(4\d{15})\b'
`

func testEngine(t *testing.T) *detect.Engine {
	t.Helper()
	rs, err := rules.Parse([]byte(testRules), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("accuracy-test"))))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// writeFiles creates files (slash paths relative to root) with contents.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
