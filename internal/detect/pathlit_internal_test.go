package detect

import (
	"regexp"
	"strings"
	"testing"
)

// TestRequiredLiteral checks the literal that stands in front of each path
// regex: the text itself, and that every path the regex matches, in any
// case and with the non-ASCII folds of k and s, holds it.
func TestRequiredLiteral(t *testing.T) {
	for _, tc := range []struct {
		re    string
		want  pathLiteral
		paths []string // each matched by re
	}{
		{`(^|/)\.?htpasswd[^/]*$`, pathLiteral{"htpasswd", false}, []string{"/srv/.htpasswd", "htpasswd.bak"}},
		{`(^|/)(g?shadow)(-|\.bak|\.old)?$`, pathLiteral{"shadow", false}, []string{"/etc/gshadow-"}},
		{`(^|/)config/master\.key$`, pathLiteral{"config/master.key", false}, []string{"app/config/master.key"}},
		{`(?i)dbeaver`, pathLiteral{"dbeaver", true}, []string{"/home/u/.local/share/DBeaverData/x", "DBEAVER"}},
		// s folds to the long s, which lower-casing keeps: the literal
		// stops short of it.
		{`(?i)(^|/)winscp\.ini$`, pathLiteral{"cp.ini", true}, []string{"/c/WinSCP.ini", "WINSCP.INI", "winſcp.ini"}},
		{`(?i)WINSCP\.INI$`, pathLiteral{"cp.ini", true}, []string{"/c/winscp.ini"}},
		// The Kelvin sign lower-cases to k.
		{`(?i)keepass\.db$`, pathLiteral{"keepa", true}, []string{"KEEPASS.DB", "\u212Aeepass.db"}},
		{`(?i)ſ`, pathLiteral{"", true}, []string{"S"}},
		{`[a-z]+\.conf`, pathLiteral{".conf", false}, []string{"a.conf"}},
		// Alternatives: the longer of their common prefix and suffix.
		{`(^|/)\.?(?:esmtprc|msmtprc|fetchmailrc)$`, pathLiteral{"rc", false}, []string{"/home/u/.esmtprc", "fetchmailrc"}},
		{`(?:abc|xyz)`, pathLiteral{"", false}, []string{"xyz"}},
		{`(?:prod\.key|prod-old)`, pathLiteral{"prod", false}, []string{"a/prod-old"}},
	} {
		re := regexp.MustCompile(tc.re)
		got := requiredLiteral(re)
		if got != tc.want {
			t.Errorf("%s: literal %+v, want %+v", tc.re, got, tc.want)
		}
		for _, p := range tc.paths {
			if !re.MatchString(p) {
				t.Fatalf("%s does not match %q: a broken case", tc.re, p)
			}
			if !got.in(p, strings.ToLower(p)) {
				t.Errorf("%s matches %q, but its literal %+v is not in it", tc.re, p, got)
			}
		}
	}
}
