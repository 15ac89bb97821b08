package validate

import "testing"

func TestAsiaOceaniaTables(t *testing.T) {
	runTables(t, map[string]cases{
		"in_aadhaar": {
			valid:   []string{"234123412346", "2341 2341 2346", "999941057058"},
			invalid: []string{"234123412347", "643343121", "123412341234", "034123412346"},
		},
		"in_pan": {
			valid:   []string{"ACUPA7085R", "AAKFD7113K", "AAACB1234C"},
			invalid: []string{"ACUPA7085RR", "ACUZA7085R", "acupa7085r", "ACUP17085R", "ACUPA0000R"},
		},
		"cn_ric": {
			valid:   []string{"360426199101010071", "11010519491231002X", "11010519491231002x"},
			invalid: []string{"360426199101010072", "360426199102300071", "060426199101010071", "36042619910101007"},
		},
		"jp_mynumber": {
			valid:   []string{"6214 9832 0257", "621498320257", "123456789018"},
			invalid: []string{"6214 9832 0258", "6214 9832 025X", "000000000000", "62149832025"},
		},
		"kr_rrn": {
			valid:   []string{"971013-9019902", "880411-2238459", "9710139019902"},
			invalid: []string{"880411-2238458", "881311-2238459", "880411-223845"},
		},
		"sg_nric": {
			valid:   []string{"S1234567D", "T1234567J", "F1234567N", "G1234567X", "M1234567K"},
			invalid: []string{"S1234567A", "M1234567L", "A1234567D", "S123456D", "S12345678D"},
		},
		"au_tfn": {
			valid:   []string{"123 456 782", "876543210", "812 239 321"},
			invalid: []string{"999 999 999", "123 456 783", "000000000", "1234567"},
		},
		"au_medicare": {
			valid:   []string{"2123 45670 1", "2123456701", "21234567011"},
			invalid: []string{"2123 45671 1", "1123456701", "2123456700", "21234567010"},
		},
		"au_abn": {
			valid:   []string{"83 914 571 673", "51 824 753 556", "53004085616"},
			invalid: []string{"99 999 999 999", "51 824 753 557", "01 824 753 556"},
		},
		"nz_ird": {
			valid:   []string{"49-098-576", "NZ 49-098-576", "4909185-0", "136410132"},
			invalid: []string{"136410133", "9125568", "150000006", "10000000"},
		},
	})
}

func TestAmericasAfricaTables(t *testing.T) {
	runTables(t, map[string]cases{
		"ca_sin": {
			valid:   []string{"123-456-782", "130 692 544", "923456784"},
			invalid: []string{"999-999-999", "12345678Z", "823456785", "046 454 286"},
		},
		"br_cpf": {
			valid:   []string{"390.533.447-05", "39053344705"},
			invalid: []string{"231.002.999-00", "111.111.111-11", "390.533.447-0"},
		},
		"br_cnpj": {
			valid:   []string{"16.727.230/0001-97", "16.727.230.0001-97", "61882613000194", "12.ABC.345/01DE-35"},
			invalid: []string{"16.727.230.0001-98", "11.111.111/1111-11", "12.ABC.345/01DE-36", "16.727.230/0001-9A"},
		},
		"mx_curp": {
			valid:   []string{"BOXW310820HNERXN09", "GODE561231MDFRRL06", "HEGG560427MVZRRL04"},
			invalid: []string{"BOXW310820HNERXN08", "BOXW311320HNERXN09", "BOXW310820HZZRXN09", "BOXW310820HNEAXN09", "BOXW310820HNERXN0"},
		},
		"za_id": {
			valid:   []string{"7503305044089", "8001015009087"},
			invalid: []string{"8503305044089", "7513305044089", "7503305044389", "9125568"},
		},
		"il_id": {
			valid:   []string{"3933742-3", "039337423", "000000018"},
			invalid: []string{"039337424", "000000000", "1234"},
		},
	})
}
