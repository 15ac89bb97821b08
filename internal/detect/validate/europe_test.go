package validate

import (
	"testing"
	"time"
)

func TestUSUKTables(t *testing.T) {
	runTables(t, map[string]cases{
		"us_ssn": {
			valid: []string{"536-90-4399", "536 90 4399", "536904399", "772-12-3456"},
			invalid: []string{
				"078-05-1120", "123-45-6789", "219-09-9999", // advertising and documentation numbers
				"000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000",
				"536-90-439", "536-90-43999", "53A-90-4399",
			},
		},
		"us_itin": {
			valid:   []string{"912-90-3456", "900-70-0000", "999-50-1234", "912-94-3456"},
			invalid: []string{"912-69-3456", "912-93-3456", "812-90-3456", "912-49-3456", "91290345"},
		},
		"us_ein": {
			valid:   []string{"91-1144442", "911144442", "12-3456789", "01-0000001"},
			invalid: []string{"07-3456789", "00-1234567", "89-1234567", "911-14-4442", "91-114444", "9-11444422"},
		},
		"us_npi": {
			valid:   []string{"1234567893", "808401234567893"},
			invalid: []string{"1234567890", "3234567893", "123456789", "808411234567893"},
		},
		"us_dea": {
			valid:   []string{"AB1234563", "BJ1234563", "F91234563"},
			invalid: []string{"AB1234564", "ZB1234563", "A11234563", "AB123456"},
		},
		"uk_nino": {
			valid:   []string{"AB 12 34 56 C", "AB123456A", "JG103759A"},
			invalid: []string{"QQ 12 34 56 C", "BG123456A", "AB123456E", "DA123456A", "AO123456A", "AB12345A", "AB123456"},
		},
		"uk_nhs": {
			valid:   []string{"943 476 5919", "943-476-5870", "9434765919"},
			invalid: []string{"943 476 5918", "943 476 591", "1000000010"},
		},
	})
}

func TestEuropeTables(t *testing.T) {
	runTables(t, map[string]cases{
		"de_idnr": {
			valid: []string{"36 574 261 809", "12345678995", "12113456784"},
			invalid: []string{
				"36574261890", "02345678995",
				"12345678903", // no digit repeated
				"11223456785", // two digits repeated
				"11123456786", // a digit three times in a row
			},
		},
		"fr_nir": {
			valid:   []string{"2 95 10 99 126 111 93", "253072B07300470", "253072A07300443"},
			invalid: []string{"253072C07300443", "253072B07300471", "6546546546546703", "553072B07300470", "2 95 13 99 126 111 93"},
		},
		"es_dni": {
			valid:   []string{"54362315-K", "54362315K", "54362315 k", "00000000T"},
			invalid: []string{"54362315-J", "5436231-K", "54362315"},
		},
		"es_nie": {
			valid:   []string{"x-2482300w", "X2482300W", "Y0000000Z"},
			invalid: []string{"X2482300A", "A2482300W", "X248230W"},
		},
		"it_codicefiscale": {
			valid: []string{
				"RSSMRA45C12F205C", "MRTNTN23M02D969P", "MRSMSR81D60Z611H",
				"RSSMRA45C12F20RX", "RSSMRAQRCMNFNLRG", // omocodia
			},
			invalid: []string{"RSSMRA45C12F205D", "RCCMNL83S18D969", "RSSMRA45Z12F205C", "RSSMRA45C32F205C", "RSSMRA45C12F2A5C"},
		},
		"nl_bsn": {
			valid:   []string{"1112.22.333", "111222333", "11122341"},
			invalid: []string{"1112.52.333", "1112223334", "000000000"},
		},
		"be_nn": {
			valid:   []string{"85 07 30 033 28", "85.07.30-033.28", "17 07 30 033 84", "98 47 28 997 65"},
			invalid: []string{"12345678901", "85 07 30 033 29", "85 13 30 033 xx", "85 07 30 000 13"},
		},
		"pl_pesel": {
			valid:   []string{"44051401359", "02270803624"},
			invalid: []string{"44051401358", "44053201359", "4405140135"},
		},
		"se_personnummer": {
			valid:   []string{"880320-0016", "8803200016", "19880320-0016", "198803200016", "880320+0016", "880380-0013"},
			invalid: []string{"880320-0018", "881320-0016", "18880320-0016+", "20880320-0016", "21880320-0016"},
		},
		"fi_hetu": {
			valid:   []string{"131052-308T", "131052Y308T", "131052+308T", "010101A002S"},
			invalid: []string{"131052-308U", "310252-308Y", "131052G308T", "131052-001T", "131052-3O8T"},
		},
		"no_fodselsnummer": {
			valid:   []string{"151086 95088", "15108695088", "10048745364", "26111593816"},
			invalid: []string{"15108695077", "15108695089", "1510869508"},
		},
		"ch_ahv": {
			valid:   []string{"756.9217.0769.85", "7569217076985"},
			invalid: []string{"756.9217.0769.84", "123.4567.8910.19", "756.9217.0769.8"},
		},
		"at_svnr": {
			valid:   []string{"1237 010180", "1237010180"},
			invalid: []string{"2237 010180", "0237 010180", "1237 320180", "1237 01018"},
		},
		"pt_nif": {
			valid:   []string{"PT 501 964 843", "501964843", "123456789"},
			invalid: []string{"501964842", "401964843", "50196484"},
		},
		"ie_ppsn": {
			valid:   []string{"1234567T", "1234567FA", "1234567TW", "IE 1234567T"},
			invalid: []string{"1234567A", "1234567FB", "1234567TZ", "123456T"},
		},
		"tr_tckimlik": {
			valid:   []string{"17291716060", "10000000146"},
			invalid: []string{"17291716050", "1729171606", "07291716060"},
		},
	})
}

// TestBirthDatesNotInFuture pins "now" so the future-date rules are tested
// without depending on the day the test runs. Each future number is
// otherwise well-formed: it passes once "now" has moved past its date.
func TestBirthDatesNotInFuture(t *testing.T) {
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	later := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		fn     func(string, time.Time) bool
		past   string
		future string
	}{
		{"dk_cpr", dkCPR, "211062-5629", "2110525629"}, // 2052
		{"pl_pesel", plPESEL, "44051401359", "24271401359"},
		{"se_personnummer", sePersonnummer, "880320-0016", "20240620-0002"},
		{"no_fodselsnummer", noFodselsnummer, "26111593816", "01013050038"},
		{"kr_rrn", krRRN, "880411-2238459", "250101-3000000"}, // random digits since 2020-10
		{"cn_ric", cnRIC, "11010519491231002X", "110105202412310020"},
		{"fi_hetu", fiHETU, "131052-308T", "131052A308T"}, // 2052
		{"be_nn", beNN, "17 07 30 033 84", "24 12 30 033 72"},
	}
	for _, tc := range tests {
		if !tc.fn(tc.past, now) {
			t.Errorf("%s(%q) = false, want true", tc.name, tc.past)
		}
		if tc.fn(tc.future, now) {
			t.Errorf("%s(%q) before its date = true, want false", tc.name, tc.future)
		}
		if !tc.fn(tc.future, later) {
			t.Errorf("%s(%q) after its date = false, want true", tc.name, tc.future)
		}
	}
	if dkCPR("310262-1234", now) {
		t.Error("dk_cpr accepted 31 February")
	}
}
