package store

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]Target{
		"postgres://u:p@db/leakguard":         {Postgres, "postgres://u:p@db/leakguard"},
		"postgresql://db/leakguard?sslmode=x": {Postgres, "postgresql://db/leakguard?sslmode=x"},
		"host=db dbname=leakguard":            {Postgres, "host=db dbname=leakguard"},
		"sqlite:/var/lib/lg/inv":              {SQLite, "/var/lib/lg/inv"},
		"/tmp/x.db":                           {SQLite, "/tmp/x.db"},
		"inv.sqlite3":                         {SQLite, "inv.sqlite3"},
		"/home/a/.local/share/leakguard":      {SQLite, filepath.Join("/home/a/.local/share/leakguard", DBFile)},
	} {
		if got := ParseTarget(in); got != want {
			t.Errorf("ParseTarget(%q) = %+v, want %+v", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"postgres://lg:s3cret@db:5432/inv": "postgres://lg:***@db:5432/inv",
		"postgres://lg@db/inv":             "postgres://lg@db/inv",
		"host=db password=s3cret dbname=x": "host=db password=*** dbname=x",
	} {
		if got := ParseTarget(in).String(); got != want {
			t.Errorf("String of %q = %q, want %q", in, got, want)
		}
	}
}

func TestIDs(t *testing.T) {
	id := FindingID("aws-key", "00112233445566778899aabbccddeeff")
	if len(id) != IDLen || id != FindingID("aws-key", "00112233445566778899aabbccddeeff") || id == FindingID("aws-key2", "00112233445566778899aabbccddeeff") {
		t.Errorf("FindingID not a stable function of rule and fingerprint: %q", id)
	}
	// The ids an inventory already holds stay valid: the first 64 bits of
	// SHA-256 over rule, a zero byte and fingerprint.
	for _, c := range [][3]string{{"aws-key", "00112233445566778899aabbccddeeff", "29070236765a6d29"}, {"", "", "6e340b9cffb37a98"},
		{"generic-password-assignment", "ffeeddccbbaa99887766554433221100", "5aa0912d38e80edc"}, {strings.Repeat("r", 200), "x", "c191f3c2600308d8"}} {
		if got := FindingID(c[0], c[1]); got != c[2] {
			t.Errorf("FindingID(%.20q, %q) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
	// The separator keeps ("ab", "c") and ("a", "bc") apart.
	if FindingID("ab", "c") == FindingID("a", "bc") {
		t.Error("rule and fingerprint run together")
	}
	lo, hi, err := IDRange("ABCDEF1")
	if err != nil || lo != "abcdef1" || !(hi > "abcdef1fffffffff") || hi > "abcdef2" {
		t.Errorf("IDRange = %q %q %v", lo, hi, err)
	}
	for _, bad := range []string{"abcde", "abcdeg", "0123456789abcdef0"} {
		if _, _, err := IDRange(bad); err == nil {
			t.Errorf("IDRange(%q) accepted", bad)
		}
	}
	for in, want := range map[string]string{"/srv/": "/srv0", "a\xff": "b", "\xff\xff": "", "": ""} {
		if got := PrefixEnd(in); got != want {
			t.Errorf("PrefixEnd(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range [][]string{nil, {"a.zip"}, {"a > b", "c\"d", "é"}} {
		if got := DecodeContainer(EncodeContainer(c)); !slices.Equal(got, c) {
			t.Errorf("container %q round-trips to %q", c, got)
		}
	}
	cur := LocationCursor{Path: "/a b", Container: `["x"]`, Offset: 42}
	if got, ok, err := DecodeLocationCursor(cur.Encode()); !ok || err != nil || got != cur {
		t.Errorf("cursor round trip: %+v %v %v", got, ok, err)
	}
	if _, _, err := DecodeLocationCursor("!!"); err == nil {
		t.Error("bad cursor accepted")
	}
}

// PrepareRows writes findings in id order, each row whole: the sort moves
// rows through a permutation of keys, which must put every row's fields
// where its id goes.
func TestPrepareRowsSortsByID(t *testing.T) {
	var b Batch
	for i := range 5000 {
		b.Findings = append(b.Findings, finding.Finding{Rule: fmt.Sprintf("rule-%d", i%13), Name: fmt.Sprintf("name %d", i),
			Kind: finding.Secret, Severity: finding.Severity("high"), Masked: "a…z", Fingerprint: fmt.Sprintf("%032x", i*7919),
			Location: finding.Location{Path: fmt.Sprintf("f%d", i%17), Offset: int64(i)}})
	}
	rows, err := PrepareRows(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows.Findings) != len(b.Findings) {
		t.Fatalf("%d rows for %d findings", len(rows.Findings), len(b.Findings))
	}
	names := map[string]bool{}
	for i, r := range rows.Findings {
		if r.ID != FindingID(r.Rule, r.Finger) {
			t.Fatalf("row %d: id %s is not its rule's and fingerprint's", i, r.ID)
		}
		if i > 0 && rows.Findings[i-1].ID >= r.ID {
			t.Fatalf("rows %d and %d out of order: %s, %s", i-1, i, rows.Findings[i-1].ID, r.ID)
		}
		names[r.Name] = true
	}
	if len(names) != len(b.Findings) {
		t.Errorf("%d distinct rows of %d", len(names), len(b.Findings))
	}
}
