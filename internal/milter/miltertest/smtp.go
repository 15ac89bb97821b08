package miltertest

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
)

// Helo is the name SendMail greets with.
const Helo = "client.leakguard.test"

// SendMail sends one message over SMTP to addr and returns the server's
// answer to the end of DATA (or to an earlier command) as an error: a
// *textproto.Error for a refusal.
func SendMail(addr, from, to, msg string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello(Helo); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// WantSMTPError fails the test unless err is an SMTP refusal with code
// whose text holds text.
func WantSMTPError(t testing.TB, err error, code int, text string) {
	t.Helper()
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != code || !strings.Contains(te.Msg, text) {
		t.Fatalf("SMTP answer %v, want %d %q", err, code, text)
	}
}

// ZipMail builds a multipart mail from alice@example.org to
// eve@example.com with a short text part and one base64 zip attachment,
// files.zip, holding name with content. hidden says content does not
// show in the raw mail, so that finding it proves the attachment was
// opened.
func ZipMail(t testing.TB, name, content string) (msg string, hidden bool) {
	t.Helper()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, content)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	enc := base64.StdEncoding.EncodeToString(zb.Bytes())
	var lines []string
	for len(enc) > 76 {
		lines = append(lines, enc[:76])
		enc = enc[76:]
	}
	lines = append(lines, enc)
	msg = "From: alice@example.org\r\nTo: eve@example.com\r\nSubject: the files\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" +
		"--b1\r\nContent-Type: application/zip; name=\"files.zip\"\r\nContent-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"files.zip\"\r\n\r\n" +
		strings.Join(lines, "\r\n") + "\r\n--b1--\r\n"
	return msg, !strings.Contains(msg, content)
}
