// Package validate holds the checks that tell a real identifier from a string
// of the right shape: checksums (Luhn, mod-97, Verhoeff, mod-11, …), issuer
// ranges and structural rules of national identifiers, and Shannon entropy.
// Each check is a pure function of the matched value; rules name them.
package validate

import "math"

// Func reports whether value, as matched (separators included), is valid.
type Func func(value string) bool

// All returns every named check. Rules refer to these names in their
// `validators` list; an unknown name is an error when rules are compiled.
func All() map[string]Func {
	return map[string]Func{
		"luhn": Luhn,
		// payment and banking
		"card":        Card,
		"iban":        IBAN,
		"bic":         BIC,
		"aba_routing": ABARouting,
		// United States
		"us_ssn":  USSSN,
		"us_itin": USITIN,
		"us_ein":  USEIN,
		"us_npi":  USNPI,
		"us_dea":  USDEA,
		// Europe
		"uk_nino":          UKNINO,
		"uk_nhs":           UKNHS,
		"de_idnr":          DEIdNr,
		"fr_nir":           FRNIR,
		"es_dni":           ESDNI,
		"es_nie":           ESNIE,
		"it_codicefiscale": ITCodiceFiscale,
		"nl_bsn":           NLBSN,
		"be_nn":            BENN,
		"pl_pesel":         PLPESEL,
		"se_personnummer":  SEPersonnummer,
		"fi_hetu":          FIHETU,
		"dk_cpr":           DKCPR,
		"no_fodselsnummer": NOFodselsnummer,
		"ch_ahv":           CHAHV,
		"at_svnr":          ATSVNR,
		"pt_nif":           PTNIF,
		"ie_ppsn":          IEPPSN,
		"tr_tckimlik":      TRTCKimlik,
		// Asia and Oceania
		"in_aadhaar":  INAadhaar,
		"in_pan":      INPAN,
		"cn_ric":      CNRIC,
		"jp_mynumber": JPMyNumber,
		"kr_rrn":      KRRRN,
		"sg_nric":     SGNRIC,
		"au_tfn":      AUTFN,
		"au_medicare": AUMedicare,
		"au_abn":      AUABN,
		"nz_ird":      NZIRD,
		// Americas, Africa, Middle East
		"ca_sin":  CASIN,
		"br_cpf":  BRCPF,
		"br_cnpj": BRCNPJ,
		"mx_curp": MXCURP,
		"za_id":   ZAID,
		"il_id":   ILID,
		// network, devices, crypto
		"email":       Email,
		"ipv4":        IPv4,
		"ipv6":        IPv6,
		"mac":         MAC,
		"imei":        IMEI,
		"vin":         VIN,
		"btc_address": BTCAddress,
		"eth_address": ETHAddress,
		// general
		"date":         Date,
		"phone":        Phone,
		"not_sequence": NotSequence,
	}
}

// Digits returns the ASCII digits of s in order, dropping everything else.
func Digits(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			out = append(out, c-'0')
		}
	}
	return out
}

// Luhn checks the mod-10 "double every second digit" sum used by card
// numbers, IMEIs, Canadian SINs and NPIs. Non-digits are ignored.
func Luhn(value string) bool {
	// From the last digit back, without a copy of the digits: the card
	// and number shapes ask it of every piece of a run.
	sum, n := 0, 0
	for i := len(value) - 1; i >= 0; i-- {
		c := value[i]
		if c < '0' || c > '9' {
			continue
		}
		v := int(c - '0')
		if n%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		n++
	}
	return n >= 2 && sum%10 == 0
}

// Entropy returns the Shannon entropy of s in bits per byte.
func Entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
