package validate

import (
	"net/netip"
	"strings"
)

// fileExtensions are name endings that look like a TLD after an "@" but
// are file types, as in "logo@2x.png" or "icon@3x.webp". None of them is a
// delegated top-level domain.
const fileExtensions = " png jpg jpeg gif svg webp bmp ico tif tiff heic avif css scss less js mjs cjs jsx ts tsx " +
	"vue json map xml yml yaml toml ini html htm txt pdf woff woff2 ttf otf eot mp3 mp4 wav avi webm ogg " +
	"exe dll so dylib lock log bak tmp swp class jar pyc "

// Email checks that value is a plausible e-mail address: a dot-atom local
// part of at most 64 characters, and a domain of at least two labels whose
// last label is a real-looking TLD (2–24 letters, or an xn-- IDN label) and
// not a file extension.
func Email(value string) bool {
	at := strings.LastIndexByte(value, '@')
	if at <= 0 || at > 64 || at == len(value)-1 || len(value)-at-1 > 253 {
		return false
	}
	local, domain := value[:at], strings.ToLower(value[at+1:])
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') &&
			!strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", rune(c)) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(tld, "xn--") {
		return len(tld) >= 5
	}
	if len(tld) < 2 || len(tld) > 24 || strings.Contains(fileExtensions, " "+tld+" ") {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return true
}

// IPv4 checks dotted-quad notation: four decimal octets 0–255 without
// leading zeros (which some parsers read as octal).
func IPv4(value string) bool {
	var parts [4]string
	if !splitExactly(value, '.', parts[:]) {
		return false
	}
	for _, p := range parts {
		if !isDigits(p) || len(p) > 3 || (len(p) > 1 && p[0] == '0') || num(p) > 255 {
			return false
		}
	}
	return true
}

// IPv6 checks an IPv6 address in any RFC 4291/5952 text form (optionally in
// brackets, without a zone); the unspecified address "::" is rejected since
// in text it is nearly always a scope operator.
func IPv6(value string) bool {
	v := value
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		v = v[1 : len(v)-1]
	}
	if !strings.Contains(v, ":") || strings.Contains(v, "%") {
		return false
	}
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is6() && !a.IsUnspecified()
}

// MAC checks a 48-bit MAC address: six hex octets joined consistently by
// ':' or '-' (or Cisco's three dot-separated groups of four), neither all
// zero nor the broadcast address.
func MAC(value string) bool {
	var hex string
	switch {
	case len(value) == 17 && (value[2] == ':' || value[2] == '-'):
		sep := value[2]
		for i := 2; i < 17; i += 3 {
			if value[i] != sep {
				return false
			}
		}
		hex = strings.ReplaceAll(value, string(sep), "")
	case len(value) == 14 && value[4] == '.' && value[9] == '.':
		hex = value[:4] + value[5:9] + value[10:]
	default:
		return false
	}
	if len(hex) != 12 {
		return false
	}
	for i := 0; i < 12; i++ {
		c := hex[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	u := strings.ToUpper(hex)
	return u != "000000000000" && u != "FFFFFFFFFFFF"
}
