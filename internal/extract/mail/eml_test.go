package mail

import (
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// nestedMessage is an attached message with an attachment of its own.
func nestedMessage() string {
	return lines(
		"From: Carol <carol@example.com>",
		"Subject: Fwd budget",
		"Date: Wed, 19 Nov 2014 08:00:00 +0100",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="inner"`,
		"",
		"--inner",
		"Content-Type: text/plain; charset=us-ascii",
		"",
		"the numbers are below PLANT-nestedbody",
		"--inner",
		"Content-Type: text/plain",
		`Content-Disposition: attachment; filename="inner.txt"`,
		"",
		"token PLANT-nestedattach",
		"--inner--",
	)
}

// richMessage is a message with every kind of part.
func richMessage(t *testing.T) string {
	html := "<html><body><p>na\u00efve PLANT-htmlbody</p></body></html>"
	return lines(
		"Received: from mx.example.com by mail.example.com; PLANT-received",
		"From: =?UTF-8?B?"+strings.TrimSpace(b64([]byte("Zoë PLANT-from")))+"?= <alice@example.com>",
		"To: Bob <bob@example.com>,",
		"  Dave <dave@example.com>",
		"Subject: =?ISO-8859-1?Q?Caf=E9_PLANT-subject?=",
		"Date: Thu, 20 Nov 2014 10:00:00 +0000",
		"X-Secret-Note: PLANT-xheader",
		"Message-ID: <PLANT-messageid@example.com>",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="outer"`,
		"",
		"This is a multi-part message in MIME format.",
		"--outer",
		`Content-Type: multipart/alternative; boundary="alt"`,
		"",
		"--alt",
		"Content-Type: text/plain; charset=ISO-8859-1",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		strings.TrimRight(qpLatin1(t, "Crème brûlée password: PLANT-plainbody"), "\n"),
		"--alt",
		"Content-Type: text/html; charset=UTF-8",
		"Content-Transfer-Encoding: base64",
		"",
		strings.TrimRight(b64([]byte(html)), "\n"),
		"--alt--",
		"--outer",
		`Content-Type: text/plain; charset=UTF-8; name="passwords.txt"`,
		`Content-Disposition: attachment; filename="passwords.txt"`,
		"Content-Transfer-Encoding: base64",
		"",
		strings.TrimRight(b64([]byte("root: PLANT-attachment\n")), "\n"),
		"--outer",
		"Content-Type: application/zip",
		`Content-Disposition: attachment; filename="archive.zip"`,
		"Content-Transfer-Encoding: base64",
		"",
		strings.TrimRight(b64(zipOf(t, "secret.txt", "PLANT-inzip")), "\n"),
		"--outer",
		"Content-Type: message/rfc822",
		"",
		strings.TrimRight(nestedMessage(), "\r\n"),
		"--outer--",
		"epilogue PLANT-epilogue",
	)
}

func TestEmlPartsAndChains(t *testing.T) {
	res := extracttest.Run(t, "mail.eml", []byte(richMessage(t)), extracttest.Options{}, New())
	if len(res.Problems) != 0 {
		t.Errorf("problems: %+v", res.Problems)
	}
	wantWhere(t, res, "PLANT-subject", "mail.eml")
	wantWhere(t, res, "PLANT-from", "mail.eml")
	wantWhere(t, res, "PLANT-xheader", "mail.eml")
	wantWhere(t, res, "PLANT-plainbody", "mail.eml")
	wantWhere(t, res, "PLANT-htmlbody", "mail.eml!part:2.html")
	wantWhere(t, res, "PLANT-attachment", "mail.eml!attachment:passwords.txt")
	wantWhere(t, res, "PLANT-nestedbody", "mail.eml!attachment:Fwd budget.eml")
	wantWhere(t, res, "PLANT-nestedattach", "mail.eml!attachment:Fwd budget.eml!attachment:inner.txt")
	// Routing fields, the preamble and the epilogue are not text of the
	// message.
	wantWhere(t, res, "PLANT-received")
	wantWhere(t, res, "PLANT-messageid")
	wantWhere(t, res, "PLANT-epilogue")

	body := textAt(res, "mail.eml")
	for _, want := range []string{
		"From: Zoë PLANT-from <alice@example.com>\n",
		"To: Bob <bob@example.com>, Dave <dave@example.com>\n",
		"Subject: Café PLANT-subject\n",
		"Date: Thu, 20 Nov 2014 10:00:00 +0000\n",
		"X-Secret-Note: PLANT-xheader\n",
		"Crème brûlée password: PLANT-plainbody\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("message text lacks %q:\n%s", want, body)
		}
	}
	if html := textAt(res, "mail.eml!part:2.html"); !strings.Contains(html, "naïve") {
		t.Errorf("html part not decoded: %q", html)
	}
	// The zip is a child the registry identifies; this registry has no zip
	// reader, so it is a binary leaf at its place.
	if !containsString(res.Binaries, "mail.eml!attachment:archive.zip") {
		t.Errorf("zip attachment not a child: %v", res.Binaries)
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestEmlCorruptPartSiblingsGoOn(t *testing.T) {
	msg := lines(
		"From: a@example.com",
		"Subject: broken",
		`Content-Type: multipart/mixed; boundary="b"`,
		"",
		"--b",
		"Content-Type: text/plain",
		"Content-Transfer-Encoding: base64",
		"",
		"UExBTlQtYmVmb3Jl", // "PLANT-before"
		"!!!% not base64 %!!!",
		"--b",
		"Content-Type: text/plain",
		"",
		"after the damage PLANT-sibling",
		"--b--",
	)
	res := extracttest.Run(t, "bad.eml", []byte(msg), extracttest.Options{}, New())
	wantWhere(t, res, "PLANT-sibling", "bad.eml!part:2")
	wantWhere(t, res, "PLANT-before", "bad.eml")
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt ||
		res.Problems[0].Location.Where() != "bad.eml!part:1" {
		t.Fatalf("want one corrupt problem at bad.eml!part:1, got %+v", res.Problems)
	}
}

func TestEmlLenient(t *testing.T) {
	cases := []struct {
		name, msg, token, where string
	}{
		{"no blank line after the header", lines(
			"From: a@example.com",
			"Subject: hurried",
			"body right away PLANT-noblank",
		), "PLANT-noblank", "m.eml"},
		{"multipart without boundary", lines(
			"From: a@example.com",
			"Subject: x",
			"Content-Type: multipart/mixed",
			"",
			"text anyway PLANT-noboundary",
		), "PLANT-noboundary", "m.eml"},
		{"unknown charset", lines(
			"From: a@example.com",
			"Subject: x",
			"Content-Type: text/plain; charset=x-made-up",
			"",
			"caf\xe9 PLANT-charset",
		), "PLANT-charset", "m.eml"},
		{"missing close delimiter", lines(
			"From: a@example.com",
			"Subject: x",
			`Content-Type: multipart/mixed; boundary="b"`,
			"",
			"--b",
			"Content-Type: text/plain",
			"",
			"cut short PLANT-unclosed",
		), "PLANT-unclosed", "m.eml"},
		{"digest parts are messages", lines(
			"From: a@example.com",
			"Subject: digest",
			`Content-Type: multipart/digest; boundary="d"`,
			"",
			"--d",
			"",
			"From: b@example.com",
			"Subject: first",
			"",
			"digest body PLANT-digest",
			"--d--",
		), "PLANT-digest", "m.eml!attachment:first.eml"},
		{"second text part", lines(
			"From: a@example.com",
			"Subject: x",
			`Content-Type: multipart/mixed; boundary="b"`,
			"",
			"--b",
			"",
			"first",
			"--b",
			"Content-Type: image/png",
			"",
			"\x89PNG",
			"--b",
			"Content-Type: text/plain",
			"",
			"footer PLANT-second",
			"--b--",
		), "PLANT-second", "m.eml!part:3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := extracttest.Run(t, "m.eml", []byte(c.msg), extracttest.Options{}, New())
			wantWhere(t, res, c.token, c.where)
		})
	}
	res := extracttest.Run(t, "m.eml", []byte(cases[2].msg), extracttest.Options{}, New())
	if !strings.Contains(res.All(), "café PLANT-charset") {
		t.Errorf("unknown charset not read as Latin-1: %q", res.All())
	}
}

func TestEmlDeepNestingIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nSubject: deep\r\n")
	for i := 0; i < 200; i++ {
		b.WriteString("Content-Type: multipart/mixed; boundary=\"b" + string(rune('a'+i%26)) + strings.Repeat("x", i) + "\"\r\n\r\n")
		b.WriteString("--b" + string(rune('a'+i%26)) + strings.Repeat("x", i) + "\r\n")
	}
	b.WriteString("\r\nPLANT-deep\r\n")
	res := extracttest.Run(t, "deep.eml", []byte(b.String()), extracttest.Options{}, New())
	limit := false
	for _, p := range res.Problems {
		limit = limit || p.Reason == finding.ReasonLimit
	}
	if !limit {
		t.Errorf("no limit problem for 200 nested multiparts: %+v", res.Problems)
	}
}
