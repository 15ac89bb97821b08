package validate

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sharedData locates the labelled data shared by the project: the
// LEAKGUARD_SHARED_DATA directory, or ../../../../shared/data from this
// package. A missing directory fails the test: the vectors are part of the
// contract, not optional.
func sharedData(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("LEAKGUARD_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "data")
	}
	if st, err := os.Stat(filepath.Join(dir, "validators")); err != nil || !st.IsDir() {
		t.Fatalf("validator vectors not found at %s/validators (%v): set LEAKGUARD_SHARED_DATA to the shared data directory", dir, err)
	}
	return dir
}

// readTSV returns the rows of a tab-separated file without its header.
func readTSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open vectors: %v", err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		if !first {
			rows = append(rows, strings.Split(sc.Text(), "\t"))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return rows
}

// stdnumMap maps python-stdnum module names (as in the vector files, where
// a trailing or doubled underscore stands for a dot or a keyword clash) to
// our validator and the blind spots of its algorithm. A nil blind with
// checked=false means the identifier has no check digit, so corruptions are
// counted but not asserted.
type vectorSpec struct {
	name    string
	checked bool
	blind   blindFunc
	// inScope, if set, selects the vectors that are the format our
	// validator claims; the others are counted as out of scope.
	inScope func(number string) bool
}

func stdnumMap() map[string]vectorSpec {
	none := func(string, mutation) bool { return false }
	return map[string]vectorSpec{
		"at_vnr":           {name: "at_svnr", checked: true, blind: none},
		"au_abn":           {name: "au_abn", checked: true, blind: none},
		"au_tfn":           {name: "au_tfn", checked: true, blind: none},
		"be_nn":            {name: "be_nn", checked: true, blind: beNNBlind},
		"be_ssn":           {name: "be_nn", checked: true, blind: beNNBlind},
		"bic":              {name: "bic"},
		"bitcoin":          {name: "btc_address", checked: true, blind: none},
		"br_cnpj":          {name: "br_cnpj", checked: true, blind: cnpjBlind},
		"br_cpf":           {name: "br_cpf", checked: true, blind: cpfBlind},
		"ca_sin":           {name: "ca_sin", checked: true, blind: luhnBlind},
		"ch_ssn":           {name: "ch_ahv", checked: true, blind: evenStepSwapBlind},
		"cn_ric":           {name: "cn_ric", checked: true, blind: none},
		"de_idnr":          {name: "de_idnr", checked: true, blind: none},
		"dk_cpr":           {name: "dk_cpr"}, // no check digit since 2007
		"es_dni":           {name: "es_dni", checked: true, blind: none},
		"es_nie":           {name: "es_nie", checked: true, blind: none},
		"fi_hetu":          {name: "fi_hetu", checked: true, blind: none},
		"fr_nir":           {name: "fr_nir", checked: true, blind: none},
		"gb_nhs":           {name: "uk_nhs", checked: true, blind: none},
		"iban":             {name: "iban", checked: true, blind: none},
		"il_idnr":          {name: "il_id", checked: true, blind: luhnBlind},
		"imei":             {name: "imei", checked: true, blind: luhnBlind, inScope: fifteenDigits},
		"in__aadhaar":      {name: "in_aadhaar", checked: true, blind: none},
		"in__pan":          {name: "in_pan"},
		"in_pan":           {name: "in_pan"},
		"it_codicefiscale": {name: "it_codicefiscale", checked: true, blind: none},
		"jp_in_":           {name: "jp_mynumber", checked: true, blind: mod11Unchanged([]int{6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2}, 0, 1)},
		"kr_rrn":           {name: "kr_rrn", checked: true, blind: krBlind},
		"luhn":             {name: "luhn", checked: true, blind: luhnBlind},
		"mac":              {name: "mac"},
		"mx_curp":          {name: "mx_curp", checked: true, blind: curpBlind},
		"nl_bsn":           {name: "nl_bsn", checked: true, blind: none},
		"no_fodselsnummer": {name: "no_fodselsnummer", checked: true, blind: none},
		"nz_ird":           {name: "nz_ird", checked: true, blind: nzIRDBlind},
		"pl_pesel":         {name: "pl_pesel", checked: true, blind: evenStepSwapBlind},
		"pt_nif":           {name: "pt_nif", checked: true, blind: mod11Unchanged([]int{9, 8, 7, 6, 5, 4, 3, 2}, 0, 1)},
		"se_personnummer":  {name: "se_personnummer", checked: true, blind: luhnBlind},
		"tr_tckimlik":      {name: "tr_tckimlik", checked: true, blind: trBlind},
		"us_ein":           {name: "us_ein"},
		"us_itin":          {name: "us_itin"},
		"us_rtn":           {name: "aba_routing", checked: true, blind: evenStepSwapBlind},
		"us_ssn":           {name: "us_ssn"},
		"za_idnr":          {name: "za_id", checked: true, blind: luhnBlind},
	}
}

// fifteenDigits keeps IMEIs proper: stdnum also accepts 14-digit IMEIs
// without check digit and 16-digit IMEISVs, which carry no check digit and
// which our imei validator does not claim.
func fifteenDigits(s string) bool { return len(Digits(s)) == 15 }

// tally accumulates one validator's results over the vector files.
type tally struct {
	valid, validOK, invalid, invalidOK, outOfScope int
	muts, mutRejected, blind, blindRejected        int
	failures                                       []string
}

func (c *tally) fail(format string) {
	if len(c.failures) < 8 {
		c.failures = append(c.failures, format)
	}
}

// run checks one labelled vector and, for valid ones, its corruptions.
func (c *tally) run(fn Func, spec vectorSpec, label, number string) {
	if spec.inScope != nil && !spec.inScope(number) {
		c.outOfScope++
		return
	}
	switch label {
	case "valid":
		c.valid++
		if fn(number) {
			c.validOK++
		} else {
			c.fail("valid rejected: " + number)
		}
		for _, m := range mutations(number) {
			rejected := !fn(m.value)
			if spec.checked && spec.blind(number, m) {
				c.blind++
				if rejected {
					c.blindRejected++
				}
				continue
			}
			c.muts++
			if rejected {
				c.mutRejected++
			} else if spec.checked {
				c.fail("corruption accepted: " + number + " -> " + m.value)
			}
		}
	case "invalid":
		c.invalid++
		if !fn(number) {
			c.invalidOK++
		} else {
			c.fail("invalid accepted: " + number)
		}
	}
}

// report logs a table row and fails on any wrong verdict or a corruption
// rejection rate under 99 % where the algorithm can see the corruption.
func (c *tally) report(t *testing.T, name string, checked bool) {
	t.Helper()
	share := func(a, b int) float64 {
		if b == 0 {
			return 100
		}
		return 100 * float64(a) / float64(b)
	}
	t.Logf("%-18s valid %4d/%-4d invalid %3d/%-3d corruptions rejected %6d/%-6d (%6.2f%%) blind-spot %4d/%-4d out-of-scope %d",
		name, c.validOK, c.valid, c.invalidOK, c.invalid, c.mutRejected, c.muts, share(c.mutRejected, c.muts),
		c.blindRejected, c.blind, c.outOfScope)
	if c.validOK != c.valid || c.invalidOK != c.invalid {
		t.Errorf("%s: wrong verdicts: %v", name, c.failures)
	}
	if checked && share(c.mutRejected, c.muts) < 99 {
		t.Errorf("%s: only %.2f%% of detectable corruptions rejected: %v", name, share(c.mutRejected, c.muts), c.failures)
	}
}

func TestVectorsStdnum(t *testing.T) {
	dir := filepath.Join(sharedData(t), "validators")
	all := All()
	specs := stdnumMap()
	tallies := map[string]*tally{}
	for _, file := range []string{"stdnum_vectors.tsv", "stdnum_docstring_vectors.tsv"} {
		for _, row := range readTSV(t, filepath.Join(dir, file)) {
			if len(row) < 3 {
				continue
			}
			spec, ok := specs[row[0]]
			if !ok {
				continue
			}
			fn := all[spec.name]
			if fn == nil {
				t.Fatalf("module %s maps to unregistered validator %q", row[0], spec.name)
			}
			if tallies[spec.name] == nil {
				tallies[spec.name] = &tally{}
			}
			tallies[spec.name].run(fn, spec, row[1], row[2])
		}
	}
	names := make([]string, 0, len(tallies))
	checked := map[string]bool{}
	for _, s := range specs {
		checked[s.name] = checked[s.name] || s.checked
	}
	for n := range tallies {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 35 {
		t.Errorf("only %d validators met a vector; the files look truncated", len(names))
	}
	for _, n := range names {
		tallies[n].report(t, n, checked[n])
	}
}
