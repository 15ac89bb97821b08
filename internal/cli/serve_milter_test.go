package cli

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	gomilter "github.com/d--j/go-milter"
)

// mailWithZip returns a MIME body (after the header) whose only attachment
// is a zip holding text, so that nothing of the text shows in the raw mail.
func mailWithZip(t *testing.T, text string) string {
	t.Helper()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("export/customers.txt")
	w.Write([]byte(text))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(zb.Bytes())
	var lines []string
	for len(b64) > 76 {
		lines, b64 = append(lines, b64[:76]), b64[76:]
	}
	lines = append(lines, b64)
	return "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" +
		"--b1\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"export.zip\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + strings.Join(lines, "\r\n") + "\r\n--b1--\r\n"
}

// sendMilter sends one mail to the milter at addr as an MTA would.
func sendMilter(t *testing.T, addr, body string) (*gomilter.Action, []gomilter.ModifyAction) {
	t.Helper()
	c := gomilter.NewClient("tcp", addr, gomilter.WithActions(gomilter.AllClientSupportedActionMasks))
	sess, err := c.Session(gomilter.NewMacroBag())
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	steps := []func() (*gomilter.Action, error){
		func() (*gomilter.Action, error) {
			return sess.Conn("mx.example.org", gomilter.FamilyInet, 40000, "192.0.2.9")
		},
		func() (*gomilter.Action, error) { return sess.Helo("mx.example.org") },
		func() (*gomilter.Action, error) { return sess.Mail("<alice@example.org>", "") },
		func() (*gomilter.Action, error) { return sess.Rcpt("<bob@example.net>", "") },
		func() (*gomilter.Action, error) { return sess.DataStart() },
		func() (*gomilter.Action, error) { return sess.HeaderField("From", " alice@example.org", nil) },
		func() (*gomilter.Action, error) { return sess.HeaderField("Subject", " export", nil) },
		func() (*gomilter.Action, error) { return sess.HeaderField("MIME-Version", " 1.0", nil) },
		func() (*gomilter.Action, error) {
			return sess.HeaderField("Content-Type", ` multipart/mixed; boundary="b1"`, nil)
		},
		func() (*gomilter.Action, error) { return sess.HeaderEnd() },
	}
	for _, step := range steps {
		act, err := step()
		if err != nil {
			t.Fatal(err)
		}
		if act.StopProcessing() {
			t.Fatalf("milter stopped early: %v", act)
		}
	}
	mods, act, err := sess.BodyReadFrom(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return act, mods
}

// TestServeMilter runs 'serve' with the real engine and extractors: a mail
// whose zipped attachment holds a card number is rejected with 550 5.7.1,
// a clean one is accepted untouched.
func TestServeMilter(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"serve", "--http", "off", "--icap", "off", "--milter", addr}, strings.NewReader(""), io.Discard, &stderr)
	}()
	waitListen(t, addr, &stderr)

	act, _ := sendMilter(t, addr, mailWithZip(t, "name;card\nAda Lovelace;4111 1111 1111 1111\n"))
	if act.Type != gomilter.ActionRejectWithCode || act.SMTPCode != 550 || !strings.Contains(act.SMTPReply, "5.7.1") {
		t.Errorf("card number in a zipped attachment: got %+v, want 550 5.7.1", act)
	}
	act, mods := sendMilter(t, addr, mailWithZip(t, "meeting notes, nothing sensitive\n"))
	if act.Type != gomilter.ActionAccept || len(mods) != 1 || mods[0].HeaderName != "X-Leakguard" || strings.TrimSpace(mods[0].HeaderValue) != "clean" {
		t.Errorf("clean mail: got %+v %+v, want accepted with X-Leakguard: clean", act, mods)
	}
	if !stopServe(t, cancel, done, &stderr) {
		t.FailNow()
	}
	if log := stderr.String(); !strings.Contains(log, `"channel":"milter"`) || strings.Contains(log, "4111 1111") {
		t.Errorf("event log: want a masked milter event:\n%s", log)
	}
}

// bombZip returns a small zip whose one member declares 16 GiB: what a
// compression bomb looks like to the reader.
func bombZip(t *testing.T) []byte {
	t.Helper()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	var body bytes.Buffer
	fw, _ := flate.NewWriter(&body, flate.BestCompression)
	fw.Write(bytes.Repeat([]byte{0}, 1<<20))
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "zeros.bin", Method: zip.Deflate,
		CRC32: 0, CompressedSize64: uint64(body.Len()), UncompressedSize64: 16 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return zb.Bytes()
}

// TestServeMilterBomb sends a mail with a zip bomb attached: the milter
// answers at once without expanding it, and goes on serving.
func TestServeMilterBomb(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"serve", "--http", "off", "--icap", "off", "--milter", addr}, strings.NewReader(""), io.Discard, &stderr)
	}()
	waitListen(t, addr, &stderr)
	b64 := base64.StdEncoding.EncodeToString(bombZip(t))
	var lines []string
	for len(b64) > 76 {
		lines, b64 = append(lines, b64[:76]), b64[76:]
	}
	lines = append(lines, b64)
	body := "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" +
		"--b1\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"big.zip\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + strings.Join(lines, "\r\n") + "\r\n--b1--\r\n"
	start := time.Now()
	act, mods := sendMilter(t, addr, body)
	if took := time.Since(start); act.Type != gomilter.ActionAccept || took > 10*time.Second {
		t.Errorf("zip bomb: got %+v after %v, want a quick answer", act, took)
	}
	if len(mods) != 1 || !strings.Contains(mods[0].HeaderValue, "incomplete; 1 parts not read (limit)") {
		t.Errorf("zip bomb: want an X-Leakguard header saying what was not read, got %+v", mods)
	}
	if act, _ := sendMilter(t, addr, mailWithZip(t, "card 4111 1111 1111 1111\n")); act.Type != gomilter.ActionRejectWithCode {
		t.Errorf("after the bomb the milter no longer refuses a card number: %+v", act)
	}
	cancel()
	<-done
}
