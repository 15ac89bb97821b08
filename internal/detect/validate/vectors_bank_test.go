package validate

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestVectorsCards runs braintree/card-validator's numbers: complete, valid
// numbers must pass, everything else (prefixes, wrong check digits,
// over-long numbers) must not.
func TestVectorsCards(t *testing.T) {
	rows := readTSV(t, filepath.Join(sharedData(t), "validators", "card_validator_vectors.tsv"))
	c := &tally{}
	spec := vectorSpec{name: "card", checked: true, blind: luhnBlind}
	for _, row := range rows {
		if len(row) < 4 {
			continue
		}
		label := "invalid"
		if row[3] == "true" {
			label = "valid"
		}
		c.run(Card, spec, label, row[0])
	}
	if c.valid < 15 || c.invalid < 20 {
		t.Fatalf("card vectors look truncated: %d valid, %d invalid", c.valid, c.invalid)
	}
	c.report(t, "card", true)
}

// TestVectorsIBANExamples runs php-iban's real-world IBANs, many in messy
// formats ("IBAN: FR 26 …", "AO.0600.0600…", "CG 39 … /22"): every one must
// pass, and their corruptions must fail (mod 97 sees every single-digit
// change and every adjacent swap).
func TestVectorsIBANExamples(t *testing.T) {
	dir := filepath.Join(sharedData(t), "validators", "php-iban", "example-ibans")
	files, err := filepath.Glob(filepath.Join(dir, "*-ibans"))
	if err != nil || len(files) < 50 {
		t.Fatalf("php-iban examples missing in %s (%d files, %v)", dir, len(files), err)
	}
	spec := vectorSpec{name: "iban", checked: true, blind: func(string, mutation) bool { return false }}
	perCountry := map[string]*tally{}
	total := &tally{}
	for _, path := range files {
		cc := strings.ToUpper(strings.TrimSuffix(filepath.Base(path), "-ibans"))
		c := &tally{}
		perCountry[cc] = c
		for _, line := range readLines(t, path) {
			if strings.TrimSpace(line) == "" {
				continue
			}
			c.run(IBAN, spec, "valid", strings.TrimSpace(line))
		}
		total.valid += c.valid
		total.validOK += c.validOK
		total.muts += c.muts
		total.mutRejected += c.mutRejected
		total.failures = append(total.failures, c.failures...)
	}
	ccs := make([]string, 0, len(perCountry))
	for cc := range perCountry {
		ccs = append(ccs, cc)
	}
	sort.Strings(ccs)
	for _, cc := range ccs {
		c := perCountry[cc]
		if c.validOK != c.valid {
			t.Logf("%s: %d/%d accepted: %v", cc, c.validOK, c.valid, c.failures)
		}
	}
	total.report(t, "iban (php-iban)", true)
}

// TestVectorsIBANRegistry checks each country of php-iban's registry: its
// example IBAN passes, so our per-country layout table knows the country
// and its length.
func TestVectorsIBANRegistry(t *testing.T) {
	lines := readLines(t, filepath.Join(sharedData(t), "validators", "php-iban", "registry.txt"))
	n := 0
	for _, line := range lines[1:] {
		f := strings.Split(line, "|")
		if len(f) < 11 || f[0] == "AA" { // AA is the experimental "IIBAN"
			continue
		}
		n++
		if !IBAN(f[7]) {
			t.Errorf("%s (%s): registry example %s rejected", f[0], f[1], f[7])
		}
	}
	if n < 100 {
		t.Fatalf("registry has only %d countries; file truncated?", n)
	}
	t.Logf("iban registry: %d countries' examples accepted", n)
}

// readLines returns the lines of a text file.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return out
}
