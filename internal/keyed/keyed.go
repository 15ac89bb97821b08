// Package keyed makes the keyed hashes that stand in for sensitive values
// everywhere leakguard remembers one: finding fingerprints, baselines, the
// inventory and the fingerprint index. The key is per installation, so a
// hash is useless to anyone who has the data but not the key.
package keyed

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// KeySize is the length of an installation key in bytes.
const KeySize = 32

// Hasher computes keyed hashes with one key. It is safe for concurrent use.
type Hasher struct {
	key []byte
	// macs are HMACs of the key ready for reuse: a new one hashes the
	// key's two padded blocks and allocates, a reset one restores its
	// saved state, which every finding of a scan would otherwise pay.
	macs sync.Pool
}

// New returns a Hasher for key.
func New(key []byte) *Hasher {
	h := &Hasher{key: append([]byte(nil), key...)}
	h.macs.New = func() any { return hmac.New(sha256.New, h.key) }
	return h
}

// Sum returns the hex HMAC-SHA-256 of value, cut to 128 bits: enough to
// tell values apart, short enough to read.
func (h *Hasher) Sum(value []byte) string {
	m := h.macs.Get().(hash.Hash)
	m.Reset()
	m.Write(value)
	var out [sha256.Size]byte
	sum := m.Sum(out[:0])
	h.macs.Put(m)
	return hex.EncodeToString(sum[:16])
}

// Check returns a digest that names the key without revealing it: the
// keyed hash of a fixed label. What stores keyed hashes (the inventory)
// keeps it, so that hashes made with another key are refused instead of
// being taken for other values.
func (h *Hasher) Check() string { return h.Sum([]byte("leakguard installation key check")) }

// KeyFile is the key's name inside the state directory.
const KeyFile = "key"

// EnvKey names the environment variable that can carry the key as 64 hex
// digits, so that CI runs and several machines share fingerprints (and
// baselines) without sharing a state directory.
const EnvKey = "LEAKGUARD_KEY"

// Load returns the key from $LEAKGUARD_KEY when set, else from dir.
func Load(dir string) ([]byte, error) {
	if v := os.Getenv(EnvKey); v != "" {
		k, err := hex.DecodeString(v)
		if err != nil || len(k) != KeySize {
			return nil, fmt.Errorf("%s must be %d hex digits", EnvKey, 2*KeySize)
		}
		return k, nil
	}
	return LoadOrCreate(dir)
}

// Source says where Load takes the key from for dir, for messages:
// $LEAKGUARD_KEY when set, else the key file in dir.
func Source(dir string) string {
	if os.Getenv(EnvKey) != "" {
		return "$" + EnvKey
	}
	return filepath.Join(dir, KeyFile)
}

// LoadOrCreate reads the key in dir, creating dir (0700) and a new random key
// (file mode 0600) on first use.
func LoadOrCreate(dir string) ([]byte, error) {
	p := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(p)
	if err == nil {
		if len(b) != KeySize {
			return nil, fmt.Errorf("key file %s: %d bytes, want %d", p, len(b), KeySize)
		}
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process won the race: use its key
		return LoadOrCreate(dir)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

// StateDir is where leakguard keeps its key and, later, its inventory:
// flag value if given, else $LEAKGUARD_HOME, else the user's data directory.
func StateDir(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if v := os.Getenv("LEAKGUARD_HOME"); v != "" {
		return v, nil
	}
	if v := os.Getenv("XDG_DATA_HOME"); v != "" {
		return filepath.Join(v, "leakguard"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no state directory: set --state or LEAKGUARD_HOME (%w)", err)
	}
	return filepath.Join(home, ".local", "share", "leakguard"), nil
}
