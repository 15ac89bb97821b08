package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// TokensFile is the tokens' file name inside the state directory.
const TokensFile = "tokens.json"

// TokenPrefix starts every token, so that a leaked one is recognisable
// (and a scanner rule can find it).
const TokenPrefix = "lgt_"

// tokenBytes is the random part of a token: 256 bits.
const tokenBytes = 32

// Tokens are the bearer tokens of the API, kept in a JSON file of the state
// directory (mode 0600) as name, creation time and SHA-256 of the token:
// the token itself is shown once, at creation, and never stored.
//
// Verify rereads the file when it changed, so that tokens created or
// revoked with `leakguard tokens` take effect in a running server at once.
// Tokens is safe for concurrent use within a process; two processes
// changing the file at the same instant may lose one change (the file is
// replaced atomically, never left half written).
type Tokens struct {
	path string

	mu      sync.Mutex
	entries []tokenEntry
	stamp   fileStamp
}

// TokenInfo describes a token without its value.
type TokenInfo struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// tokenEntry is one token as stored.
type tokenEntry struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	SHA256  string    `json:"sha256"` // hex of SHA-256 of the whole token, prefix included
	sum     [sha256.Size]byte
}

// tokenFile is the file's layout.
type tokenFile struct {
	Tokens []tokenEntry `json:"tokens"`
}

// fileStamp identifies a version of the file cheaply. The file is always
// replaced by a rename, so a new version is a new file (os.SameFile), even
// when written within the file system's time resolution at the same size.
type fileStamp struct {
	info os.FileInfo // nil when the file does not exist
}

func (a fileStamp) same(b fileStamp) bool {
	if a.info == nil || b.info == nil {
		return a.info == nil && b.info == nil
	}
	return os.SameFile(a.info, b.info) && a.info.ModTime().Equal(b.info.ModTime()) && a.info.Size() == b.info.Size()
}

// OpenTokens reads the tokens of the state directory dir. A missing file
// is an empty set.
func OpenTokens(dir string) (*Tokens, error) {
	t := &Tokens{path: filepath.Join(dir, TokensFile)}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.reload(); err != nil {
		return nil, err
	}
	return t, nil
}

// Path is the tokens' file.
func (t *Tokens) Path() string { return t.path }

// reload reads the file if it changed since last read. Called with mu held.
func (t *Tokens) reload() error {
	st, err := stampOf(t.path)
	if err != nil {
		return err
	}
	if st.same(t.stamp) && t.entries != nil {
		return nil
	}
	var entries []tokenEntry
	if st.info != nil {
		if entries, err = readTokens(t.path); err != nil {
			return err
		}
	}
	if entries == nil {
		entries = []tokenEntry{}
	}
	t.entries, t.stamp = entries, st
	return nil
}

func stampOf(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileStamp{}, nil
	}
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{info: fi}, nil
}

func readTokens(path string) ([]tokenEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f tokenFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("tokens file %s: %w", path, err)
	}
	for i := range f.Tokens {
		e := &f.Tokens[i]
		h, err := hex.DecodeString(e.SHA256)
		if err != nil || len(h) != sha256.Size {
			return nil, fmt.Errorf("tokens file %s: token %q: sha256 is not %d hex digits", path, e.Name, 2*sha256.Size)
		}
		copy(e.sum[:], h)
	}
	return f.Tokens, nil
}

// write replaces the file atomically with entries, mode 0600. Called with
// mu held.
func (t *Tokens) write(entries []tokenEntry) error {
	dir := filepath.Dir(t.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(tokenFile{Tokens: entries}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, TokensFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), t.path); err != nil {
		return err
	}
	t.entries = entries
	t.stamp, err = stampOf(t.path)
	return err
}

// ValidTokenName says whether name can name a token: 1 to 64 letters,
// digits, '.', '_', '-' or '@'.
func ValidTokenName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-' || c == '@'
		if !ok {
			return false
		}
	}
	return true
}

// Create makes a new token named name, stores its hash and returns the
// token, which is never available again.
func (t *Tokens) Create(name string) (string, error) {
	if !ValidTokenName(name) {
		return "", fmt.Errorf("token name %q: want 1 to 64 letters, digits, '.', '_', '-' or '@'", name)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.reload(); err != nil {
		return "", err
	}
	if slices.ContainsFunc(t.entries, func(e tokenEntry) bool { return e.Name == name }) {
		return "", fmt.Errorf("a token named %q exists; revoke it first or choose another name", name)
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	e := tokenEntry{Name: name, Created: time.Now().UTC().Truncate(time.Second),
		SHA256: hex.EncodeToString(sum[:]), sum: sum}
	if err := t.write(append(slices.Clone(t.entries), e)); err != nil {
		return "", err
	}
	return token, nil
}

// List returns the tokens by name.
func (t *Tokens) List() ([]TokenInfo, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.reload(); err != nil {
		return nil, err
	}
	out := make([]TokenInfo, len(t.entries))
	for i, e := range t.entries {
		out[i] = TokenInfo{Name: e.Name, Created: e.Created}
	}
	slices.SortFunc(out, func(a, b TokenInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Revoke removes the token named name.
func (t *Tokens) Revoke(name string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.reload(); err != nil {
		return err
	}
	i := slices.IndexFunc(t.entries, func(e tokenEntry) bool { return e.Name == name })
	if i < 0 {
		return fmt.Errorf("no token named %q", name)
	}
	return t.write(slices.Delete(slices.Clone(t.entries), i, i+1))
}

// Verify returns the name of the token equal to token. It compares hashes
// in constant time against every stored token. When the file cannot be
// reread, no token is accepted: a broken file must not keep revoked
// tokens alive.
func (t *Tokens) Verify(token string) (name string, ok bool) {
	if t == nil || !strings.HasPrefix(token, TokenPrefix) {
		return "", false
	}
	sum := sha256.Sum256([]byte(token))
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.reload(); err != nil {
		t.entries, t.stamp = nil, fileStamp{}
		return "", false
	}
	for _, e := range t.entries {
		if subtle.ConstantTimeCompare(sum[:], e.sum[:]) == 1 && !ok {
			name, ok = e.Name, true
		}
	}
	return name, ok
}
