package store

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// IDLen is the length of a finding id; MinIDPrefix the shortest prefix
// Store.Finding accepts.
const (
	IDLen       = 16
	MinIDPrefix = 6
)

// FindingID is a finding's stable id: 64 bits of SHA-256 over its rule and
// keyed fingerprint, in hex. It depends on nothing a backend assigns, so two
// inventories holding the same data agree on it; at a million findings the
// chance that two collide is about 3 in 100 million.
//
// Every finding a scan records passes here: the bytes are hashed from a
// buffer on the stack and only the id's own 16 digits are allocated (a
// hash object, two copies of the strings and 64 hex digits were before).
func FindingID(rule, fingerprint string) string {
	var buf [128]byte
	in := append(append(append(buf[:0], rule...), 0), fingerprint...)
	sum := sha256.Sum256(in)
	return hex.EncodeToString(sum[:IDLen/2])
}

// CheckFinding is the gate every finding passes on its way in: no plaintext,
// and a fingerprint to deduplicate by.
func CheckFinding(f *finding.Finding) error {
	if f.Secret != "" {
		return fmt.Errorf("%w (rule %s at %s)", ErrPlaintext, f.Rule, f.Location.Where())
	}
	if f.Fingerprint == "" || f.Rule == "" {
		return fmt.Errorf("finding of rule %q at %s has no fingerprint: the inventory deduplicates by (rule, fingerprint)", f.Rule, f.Location.Where())
	}
	return nil
}

// IDRange returns the half-open range [lo, hi) of ids starting with prefix,
// or an error when prefix is too short or not hex.
func IDRange(prefix string) (lo, hi string, err error) {
	p := strings.ToLower(strings.TrimSpace(prefix))
	if len(p) < MinIDPrefix || len(p) > IDLen {
		return "", "", fmt.Errorf("finding id %q: want %d to %d hex digits", prefix, MinIDPrefix, IDLen)
	}
	if strings.Trim(p, "0123456789abcdef") != "" {
		return "", "", fmt.Errorf("finding id %q: not hex", prefix)
	}
	return p, p + "~", nil // '~' sorts after every hex digit
}

// PrefixEnd returns the smallest string greater than every string starting
// with p, for a range scan on a byte-ordered index; "" when there is none.
func PrefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// EncodeContainer turns a container chain into the single text column that
// stores it: "" for none, else a JSON array, which keeps any member name
// intact and compares the same way everywhere.
func EncodeContainer(c []string) string {
	if len(c) == 0 {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// DecodeContainer reverses EncodeContainer.
func DecodeContainer(s string) []string {
	if s == "" {
		return nil
	}
	var c []string
	if json.Unmarshal([]byte(s), &c) != nil {
		return []string{s}
	}
	return c
}

// LocationCursor is the keyset position of a location listing.
type LocationCursor struct {
	Path      string `json:"p"`
	Container string `json:"c"`
	Offset    int64  `json:"o"`
}

// Encode makes the opaque cursor string.
func (c LocationCursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeLocationCursor reads a cursor made by Encode; "" is the start.
func DecodeLocationCursor(s string) (LocationCursor, bool, error) {
	if s == "" {
		return LocationCursor{}, false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c LocationCursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return c, false, fmt.Errorf("bad location cursor %q", s)
	}
	return c, true, nil
}

// Micro truncates t to the microsecond, the precision both backends keep,
// so what is read back equals what was written. Zero stays zero.
func Micro(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Truncate(time.Microsecond).UTC()
}

// NowOr returns t, or the current time when t is zero, in microseconds.
func NowOr(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	return Micro(t)
}
