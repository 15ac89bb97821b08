package detect

import "testing"

// These tests pin the judgement behind the generic assignment rule on
// single values; generic_rules_test.go runs whole lines through the engine.

func TestSecretKey(t *testing.T) {
	for key, want := range map[string]bool{
		"password": true, "DB_PASS": true, "api_key": true, "clientSecretKey": true, "x-api-key": true,
		"cookieValidationKey": true, "OVH_APPLICATION_KEY": true, "oauth_verifier": true,
		"key": false, "tenant_key": false, "cache_key": false, "sort_key": false, "hotkey": false,
	} {
		if got := secretKey([]byte(key)); got != want {
			t.Errorf("secretKey(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestLooksLikeKeyMaterial(t *testing.T) {
	for v, want := range map[string]bool{
		"d8Kq2Zt+m4Vn7Lw9Px3Rb6Hs1Jc5Fg0Ya8Ue2Wq4To=": true,
		"b1e07c94d25f83a6c0d9e4f7a2b5183c":            true,
		"user_profile_settings_v2":                    false, // a name
		"ecdsa-sha2-nistp256":                         false, // one case only, not hex
		"Ab1":                                         false, // too short
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123":        true,  // shape alone; notASecret rejects it as filler
	} {
		if got := looksLikeKeyMaterial(v); got != want {
			t.Errorf("looksLikeKeyMaterial(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestIsFiller(t *testing.T) {
	for v, want := range map[string]bool{
		"123456": true, "1234567890abcdef": true, "ABCDEFGHIJKL": true, "xxxxxxxx": true,
		"00000000-0000-0000-0000-000000000000": true,
		"Pass!12345":                           false, "admin123": false, "9f3c2a71": false, "20000000-0000-0000-0000-000000000001": false,
	} {
		if got := isFiller(v); got != want {
			t.Errorf("isFiller(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestNotASecret(t *testing.T) {
	cases := []struct {
		v, key string
		want   bool
	}{
		{"Xk29!pqLm#4", "password", false},
		{"jdwpq_zrhxtc", "password", false}, // people choose words joined by _
		{"favorite_character", "auth", true},
		{"favorite_character", "api_token", true},
		{"tzv quarry lnm", "passphrase", false},
		{"Enter the passphrase", "passphrase", true},
		{"two words", "password", true},
		{"请在此填写", "token", true},
		{"kqvle£8831207£%%Twpha", "secret", false},
		{"WWW-Authenticate", "authenticateHeaderKey", true},
		{"storage_backends.vault.unseal_key_ref", "UnsealKey", true},
		{"__goog_listener_id_", "pw", true},
		{"wqpzr<tkma>v", "password", false},
		{"<%= ENV['X'] %>", "password", true},
	}
	for _, c := range cases {
		if got := notASecret(c.v, []byte(c.key)); got != c.want {
			t.Errorf("notASecret(%q, %q) = %v, want %v", c.v, c.key, got, c.want)
		}
	}
}

func TestWeakButReal(t *testing.T) {
	for v, want := range map[string]bool{
		"password123": true, "dummy-pass": true, "sampleHerokuKey": true, "irc_pass": true,
		"123456": false, "same-origin": false, "admin": false, "key.pem": false, "a b": false,
	} {
		key := "IRC_PASS"
		if got := weakButReal(v, []byte(key)); got != want {
			t.Errorf("weakButReal(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestEmbeddedSecret(t *testing.T) {
	for doc, want := range map[string]bool{
		`{\"uid\":\"ops\",\"key\":\"6f3c91ab20e47d85c1b09e3a7d52f468\"}`: true,
		`{\"name\":\"string\",\"type\":\"string\"}`:                      false,
		`{\"id\":\"00000000000000000000\"}`:                              false,
	} {
		if got := embeddedSecret(doc); got != want {
			t.Errorf("embeddedSecret(%s) = %v, want %v", doc, got, want)
		}
	}
}

func TestIsPassphrase(t *testing.T) {
	if !isPassphrase("correct horse battery staple", []byte("ssh_passphrase")) {
		t.Error("four words under a passphrase key should read as a passphrase")
	}
	if isPassphrase("correct horse battery staple", []byte("secret")) {
		t.Error("only a passphrase key admits words with spaces")
	}
	if isPassphrase("the key for the vault", []byte("passphrase")) {
		t.Error("a sentence is a description, not a passphrase")
	}
}

func TestDetailPath(t *testing.T) {
	for p, want := range map[string]bool{
		".env": true, "config": true, "conf/app.yml": true, "sftp-config.json": true, "wp-config.php": true,
		"settings.py": true, "app/models/user.py": false, "README.md": false, "notes.txt": false,
	} {
		if got := detailPath(p); got != want {
			t.Errorf("detailPath(%q) = %v, want %v", p, got, want)
		}
	}
}
