package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Digest is a SHA-256 (hex) of rs as JSON, in the order given: what the
// caches derived from a rule set are named by. It is "" if a rule cannot
// be encoded, which names nothing.
func Digest(rs []*Rule) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, r := range rs {
		if err := enc.Encode(r); err != nil {
			return ""
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
