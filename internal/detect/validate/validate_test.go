package validate

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

// cases is a table of values a validator must accept and must reject.
type cases struct {
	valid, invalid []string
}

// checkTable runs one validator, by its registered name, over a table.
func checkTable(t *testing.T, name string, c cases) {
	t.Helper()
	fn := All()[name]
	if fn == nil {
		t.Fatalf("validator %q is not registered", name)
	}
	for _, v := range c.valid {
		if !fn(v) {
			t.Errorf("%s(%q) = false, want true", name, v)
		}
	}
	for _, v := range c.invalid {
		if fn(v) {
			t.Errorf("%s(%q) = true, want false", name, v)
		}
	}
}

// runTables runs a map of tables as subtests.
func runTables(t *testing.T, tables map[string]cases) {
	t.Helper()
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) { checkTable(t, n, tables[n]) })
	}
}

func TestAllNames(t *testing.T) {
	want := strings.Fields(`luhn card iban us_ssn us_itin us_ein aba_routing us_npi us_dea uk_nino uk_nhs
		de_idnr fr_nir es_dni es_nie it_codicefiscale nl_bsn be_nn pl_pesel se_personnummer fi_hetu
		dk_cpr no_fodselsnummer ch_ahv at_svnr pt_nif ie_ppsn in_aadhaar in_pan cn_ric jp_mynumber
		kr_rrn sg_nric au_tfn au_medicare au_abn nz_ird ca_sin br_cpf br_cnpj mx_curp za_id il_id
		tr_tckimlik email ipv4 ipv6 mac imei vin bic btc_address eth_address date phone not_sequence`)
	all := All()
	for _, n := range want {
		if all[n] == nil {
			t.Errorf("missing validator %q", n)
		}
	}
	if len(all) != len(want) {
		t.Errorf("All() has %d validators, want %d", len(all), len(want))
	}
}

// TestEmptyAndJunk: no validator accepts the empty string, whitespace or
// obvious junk.
func TestEmptyAndJunk(t *testing.T) {
	for name, fn := range All() {
		if name == "not_sequence" {
			continue // passes anything without a run; it is a veto, not a detector
		}
		for _, v := range []string{"", " ", "-", "x", "0", "\x00", "ünïcödé", strings.Repeat("9", 201)} {
			if fn(v) {
				t.Errorf("%s(%q) = true", name, v)
			}
		}
	}
}

func TestLuhnAndEntropy(t *testing.T) {
	runTables(t, map[string]cases{
		"luhn": {valid: []string{"78949", "79927398713", "4111 1111 1111 1111"},
			invalid: []string{"7894", "79927398710", "1"}},
	})
	if e := Entropy("aaaa"); e != 0 {
		t.Errorf("Entropy(aaaa) = %v", e)
	}
	if e := Entropy("abcd"); e != 2 {
		t.Errorf("Entropy(abcd) = %v, want 2", e)
	}
}

func TestSplitExactly(t *testing.T) {
	for _, tc := range []struct {
		v    string
		n    int
		ok   bool
		want []string
	}{
		{"2024-01-31", 3, true, []string{"2024", "01", "31"}},
		{"2024-01", 3, false, nil},
		{"2024-01-31-5", 3, false, nil},
		{"10.0.0.1", 4, true, []string{"10", "0", "0", "1"}},
		{"..", 3, true, []string{"", "", ""}},
		{"", 1, true, []string{""}},
	} {
		out := make([]string, tc.n)
		sep := byte('-')
		if strings.Contains(tc.v, ".") {
			sep = '.'
		}
		ok := splitExactly(tc.v, sep, out)
		if ok != tc.ok || (ok && !slices.Equal(out, tc.want)) {
			t.Errorf("splitExactly(%q, %d) = %v %q, want %v %q", tc.v, tc.n, ok, out, tc.ok, tc.want)
		}
	}
}
