package detect_test

import (
	"context"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
)

// TestGenericJudgement runs whole files through the built-in rules and
// checks what the generic rules decide, including the confidence and
// severity that examples alone do not pin.
func TestGenericJudgement(t *testing.T) {
	e := builtinEngine(t)
	cases := []struct {
		name, path, text string
		rule             string             // rule expected on the value, "" for none of want
		value            string             // the value it reports
		conf             finding.Confidence // 0: not checked
		sev              finding.Severity   // "": not checked
	}{
		{name: "strong password in config", path: "app.properties", text: "db.password=Xk29!pqLm#4\n",
			rule: "generic-password-assignment", value: "Xk29!pqLm#4", conf: finding.Medium},
		{name: "weak password in config is doubted", path: ".env", text: "MAIL_PASSWORD=Mailpass1234!\nRDS_PASSWORD=dummy-pass\n",
			rule: "generic-password-assignment", value: "dummy-pass", conf: finding.Low},
		{name: "weak password in code is a stand-in", path: "db.py", text: "password = 'dummy-pass'\n",
			value: "dummy-pass"},
		{name: "bare key in a .key-less name needs key material", path: "keys.json",
			text: `{"key": "d8Kq2Zt+m4Vn7Lw9Px3Rb6Hs1Jc5Fg0Ya8Ue2Wq4To="}` + "\n",
			rule: "generic-password-assignment", value: "d8Kq2Zt+m4Vn7Lw9Px3Rb6Hs1Jc5Fg0Ya8Ue2Wq4To=", conf: finding.Low},
		{name: "bare key holding a name", path: "cache.json", text: `{"key": "user_profile_settings"}` + "\n",
			value: "user_profile_settings"},
		{name: "detail beside a credential", path: ".env", text: "DB_HOST=db.internal\nDB_USERNAME=app\nDB_PASSWORD=Vq8zLm2pRt\n",
			rule: "connection-detail-beside-credential", value: "db.internal", conf: finding.Low, sev: finding.Info},
		{name: "detail beside a placeholder", path: ".env", text: "DB_HOST=db.internal\nDB_PASSWORD=changeme\n",
			value: "db.internal"},
		{name: "detail far from the credential", path: ".env",
			text:  "DB_HOST=db.internal\n" + strings.Repeat("FEATURE_X=on\n", 9) + "DB_PASSWORD=Vq8zLm2pRt\n",
			value: "db.internal"},
		{name: "detail in a data dump", path: "dump.txt", text: "host: db.internal\npassword: Vq8zLm2pRt\n",
			value: "db.internal"},
		{name: "detail in a one-line JSON body", path: "body.json", text: `{"user": "ops", "password": "Vq8zLm2pRt"}` + "\n",
			value: "ops"},
		{name: "weak password makes its block a credential block", path: "wp-config.php",
			text: "define( 'DB_USER', 'shop' );\ndefine( 'DB_PASSWORD', 'admin' );\n",
			rule: "connection-detail-beside-credential", value: "shop"},
		{name: "netrc-style password counts by format", path: ".esmtprc",
			text: "hostname smtp.example.org:587\nusername \"ops@example.org\"\npassword \"password\"\n",
			rule: "mail-client-rc-connection-detail", value: "smtp.example.org:587"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []finding.Finding
			in := detect.Input{Location: finding.Location{Path: c.path}, R: strings.NewReader(c.text)}
			_, err := e.Scan(context.Background(), in, func(f finding.Finding) error {
				got = append(got, f)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			start := int64(strings.Index(c.text, c.value))
			var hit *finding.Finding
			for i, f := range got {
				if f.Kind == finding.Secret && f.Location.Offset == start && f.Location.EndOffset == start+int64(len(c.value)) {
					hit = &got[i]
				}
			}
			switch {
			case c.rule == "" && hit != nil:
				t.Fatalf("%q reported by %s, want nothing", c.value, hit.Rule)
			case c.rule == "":
				return
			case hit == nil:
				t.Fatalf("%q not reported (findings: %v)", c.value, got)
			case hit.Rule != c.rule:
				t.Errorf("%q reported by %s, want %s", c.value, hit.Rule, c.rule)
			}
			if c.conf != 0 && hit.Confidence != c.conf {
				t.Errorf("confidence %v, want %v", hit.Confidence, c.conf)
			}
			if c.sev != "" && hit.Severity != c.sev {
				t.Errorf("severity %v, want %v", hit.Severity, c.sev)
			}
		})
	}
}
