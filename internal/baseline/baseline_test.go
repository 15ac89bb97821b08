package baseline

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func TestRoundTrip(t *testing.T) {
	f := finding.Finding{Rule: "r", Fingerprint: "fp", Masked: "ab…cd", Secret: "abXXcd", Location: finding.Location{Path: "a.env", Line: 3}}
	var buf bytes.Buffer
	if err := Write(&buf, slices.Values([]finding.Finding{f, f}), "check-a"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "abXXcd") || strings.Contains(buf.String(), "ab…cd") || strings.Count(buf.String(), `"rule"`) != 1 {
		t.Fatalf("baseline holds values or duplicates:\n%s", buf.String())
	}
	p := filepath.Join(t.TempDir(), "b.json")
	os.WriteFile(p, buf.Bytes(), 0o644)
	s, err := Load(p, "check-a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p, "check-b"); err == nil || !strings.Contains(err.Error(), "another installation key") {
		t.Errorf("a baseline of another key: %v, want it refused", err)
	}
	moved := f
	moved.Location.Line = 40 // edits above the secret do not make it new
	other := f
	other.Location.Path = "b.env"
	if !s.Contains(moved) || s.Contains(other) {
		t.Error("baseline matching")
	}
	os.WriteFile(p, []byte(`{"version": 9}`), 0o644)
	if _, err := Load(p, "check-a"); err == nil {
		t.Error("unknown version accepted")
	}
	// A baseline from before key checks is taken as it is.
	os.WriteFile(p, []byte(`{"version": 1, "entries": [{"rule": "r", "fingerprint": "fp", "where": "a.env"}]}`), 0o644)
	if s, err := Load(p, "check-b"); err != nil || !s.Contains(f) {
		t.Errorf("a baseline without a key check: %v", err)
	}
}

// The file written an entry at a time is byte for byte the document
// encoding/json writes whole, entries de-duplicated and sorted by where,
// rule and fingerprint.
func TestWriteIsEncodingJSONIndented(t *testing.T) {
	at := func(rule, fp, path string, container ...string) finding.Finding {
		return finding.Finding{Rule: rule, Fingerprint: fp, Location: finding.Location{Path: path, Container: container}}
	}
	fs := []finding.Finding{at("r2", "b", "z.env"), at("r1", "c", "a <&> b.env"), at("r1", "a", "a <&> b.env"),
		at("r2", "b", "z.env"), at("r1", "a", "m.zip", "in.txt"), at("r0", "f", `q"uote\.txt`)}
	for _, list := range [][]finding.Finding{fs, nil} {
		var got bytes.Buffer
		if err := Write(&got, slices.Values(list), "check"); err != nil {
			t.Fatal(err)
		}
		want := document{Version: Version, Note: note, KeyCheck: "check", Entries: []Entry{}}
		for _, f := range list {
			if e := Of(f); !slices.Contains(want.Entries, e) {
				want.Entries = append(want.Entries, e)
			}
		}
		slices.SortFunc(want.Entries, func(a, b Entry) int {
			return strings.Compare(a.Where+"\x00"+a.Rule+"\x00"+a.Fingerprint, b.Where+"\x00"+b.Rule+"\x00"+b.Fingerprint)
		})
		var wb bytes.Buffer
		enc := json.NewEncoder(&wb)
		enc.SetIndent("", "  ")
		if err := enc.Encode(want); err != nil {
			t.Fatal(err)
		}
		if got.String() != wb.String() {
			t.Errorf("%d findings:\n got %s\nwant %s", len(list), got.String(), wb.String())
		}
	}
}
