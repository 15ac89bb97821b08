package milter

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// postfixMain is a private Postfix on loopback that relays everything to
// the test's sink and passes each message to the milter. {{…}} are filled
// in by startPostfix.
const postfixMain = `compatibility_level = 3.6
queue_directory = {{DIR}}/queue
data_directory = {{DIR}}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mta.leakguard.test
mydomain = leakguard.test
myorigin = $myhostname
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:{{SINK}}
smtp_dns_support_level = disabled
smtp_tls_security_level = none
smtpd_tls_security_level = none
biff = no
smtpd_milters = inet:{{MILTER}}
milter_default_action = accept
maillog_file = {{DIR}}/maillog
maillog_file_prefixes = {{DIR}}
`

// postfixMaster runs every service unchrooted (nothing to copy into the
// queue directory) and two SMTP listeners: one with the fail-open milter,
// one with the fail-closed milter.
const postfixMaster = `127.0.0.1:{{SMTP}} inet n - n - - smtpd
127.0.0.1:{{SMTP_CLOSED}} inet n - n - - smtpd -o smtpd_milters=inet:{{MILTER_CLOSED}}
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
`

// ssnPattern finds a US SSN-shaped value; the test's stand-in for the
// engine.
var ssnPattern = regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`)

// mailCheck is the integration test's Check: markers in the raw message
// pick a verdict, and zip attachments are opened and searched for an
// SSN-shaped value, as the real extractor chain would.
type mailCheck struct {
	mu   sync.Mutex
	seen []Message
}

func (c *mailCheck) check(_ context.Context, m Message) (Verdict, error) {
	raw, err := io.ReadAll(m.Body)
	if err != nil {
		return Verdict{}, err
	}
	c.mu.Lock()
	m.Body = nil
	c.seen = append(c.seen, m)
	c.mu.Unlock()
	switch {
	case bytes.Contains(raw, []byte("REJECT-ME")):
		return Verdict{Action: Reject, Reason: "test marker"}, nil
	case bytes.Contains(raw, []byte("HOLD-ME")):
		return Verdict{Action: Quarantine, Reason: "held for review", Header: "held; test marker"}, nil
	case bytes.Contains(raw, []byte("FAIL-ME")):
		return Verdict{}, errors.New("scanner failed")
	}
	found, err := ssnInZip(raw)
	if err != nil {
		return Verdict{}, err
	}
	if found {
		return Verdict{Action: Reject, Reason: "US social security number in an attachment"}, nil
	}
	return Verdict{Action: AddHeader, Header: "clean; checked"}, nil
}

func (c *mailCheck) last() Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) == 0 {
		return Message{}
	}
	return c.seen[len(c.seen)-1]
}

// ssnInZip reports whether a zip attachment of a multipart message holds
// an SSN-shaped value.
func ssnInZip(raw []byte) (bool, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return false, err
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return false, nil
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); pt != "application/zip" {
			continue
		}
		data, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		if err != nil {
			return false, err
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return false, err
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return false, err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return false, err
			}
			if ssnPattern.Match(b) {
				return true, nil
			}
		}
	}
}

// TestPostfix runs Debian's postfix with a private configuration on
// loopback, its smtpd_milters pointing at this package's Server, relaying
// to a Go SMTP sink, and sends mail through it with net/smtp. It needs the
// postfix package and root (Postfix's master starts as root and runs its
// daemons as the postfix user).
func TestPostfix(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	if os.Geteuid() != 0 {
		t.Skip("Postfix's master daemon must be started as root; skipping the Postfix integration test")
	}
	postfix, err := exec.LookPath("postfix")
	if err != nil {
		if postfix, err = exec.LookPath("/usr/sbin/postfix"); err != nil {
			t.Skip("postfix not installed (DEBIAN_FRONTEND=noninteractive apt-get install -y postfix); skipping the Postfix integration test")
		}
	}

	var chk mailCheck
	open := startServer(t, &Server{Check: chk.check})
	closed := startServer(t, &Server{Check: chk.check, FailClosed: true})
	sinkAddr, delivered := startSink(t)
	pf := startPostfix(t, postfix, open, closed, sinkAddr)

	t.Run("clean mail is delivered with the header", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: lunch\r\n" +
			"X-Leakguard: clean (forged by the sender)\r\n\r\nNoon at the usual place?\r\n"
		if err := sendMail(pf.smtp, "alice@example.org", "bob@example.net", msg); err != nil {
			t.Fatalf("send: %v", err)
		}
		got := waitMail(t, delivered)
		if !strings.Contains(got.data, "\nX-Leakguard: clean; checked\n") {
			t.Errorf("delivered mail lacks the X-Leakguard header:\n%s", got.data)
		}
		if strings.Contains(got.data, "forged") {
			t.Errorf("the sender's own X-Leakguard header was delivered:\n%s", got.data)
		}
		if !strings.Contains(got.data, "\n\nNoon at the usual place?\n") || got.from != "alice@example.org" || len(got.to) != 1 || got.to[0] != "bob@example.net" {
			t.Errorf("delivered %q → %q:\n%s", got.from, got.to, got.data)
		}
		m := chk.last()
		if m.From != "alice@example.org" || len(m.To) != 1 || m.To[0] != "bob@example.net" ||
			m.Client != "127.0.0.1" || m.Helo != "client.leakguard.test" || m.QueueID == "" {
			t.Errorf("Check saw envelope %+v", m)
		}
	})

	t.Run("marked mail is rejected with 550 5.7.1", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: eve@example.com\r\nSubject: x\r\n\r\nREJECT-ME\r\n"
		err := sendMail(pf.smtp, "alice@example.org", "eve@example.com", msg)
		wantSMTPError(t, err, 550, "5.7.1 test marker")
	})

	t.Run("SSN in a zip attachment is rejected with 550 5.7.1", func(t *testing.T) {
		msg, hidden := zipMail(t, "records/staff.csv", "name,ssn\nJane Roe,123-45-6789\n")
		if !hidden {
			t.Fatal("the SSN is visible in the raw mail; the test would not show that the attachment was opened")
		}
		err := sendMail(pf.smtp, "alice@example.org", "eve@example.com", msg)
		wantSMTPError(t, err, 550, "5.7.1 US social security number in an attachment")
	})

	t.Run("clean zip attachment is delivered intact", func(t *testing.T) {
		msg, _ := zipMail(t, "notes.txt", "nothing personal here\n")
		if err := sendMail(pf.smtp, "alice@example.org", "bob@example.net", msg); err != nil {
			t.Fatalf("send: %v", err)
		}
		got := waitMail(t, delivered)
		if found, err := ssnInZip([]byte(strings.ReplaceAll(got.data, "\n", "\r\n"))); err != nil || found {
			t.Errorf("delivered attachment unreadable or changed: found=%v err=%v", found, err)
		}
		if !strings.Contains(got.data, "X-Leakguard: clean; checked") {
			t.Errorf("delivered mail lacks the header:\n%s", got.data)
		}
	})

	t.Run("quarantined mail lands in the hold queue", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: eve@example.com\r\nSubject: y\r\n\r\nHOLD-ME\r\n"
		if err := sendMail(pf.smtp, "alice@example.org", "eve@example.com", msg); err != nil {
			t.Fatalf("send: %v (a quarantined mail is accepted)", err)
		}
		m := chk.last()
		held := pf.holdQueue(t)
		found := false
		for _, id := range held {
			found = found || id == m.QueueID
		}
		if !found {
			t.Fatalf("queue id %q not in the hold queue %v", m.QueueID, held)
		}
		out, err := exec.Command("postcat", "-c", pf.conf, "-h", "-q", m.QueueID).CombinedOutput()
		if err != nil {
			t.Fatalf("postcat: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "X-Leakguard: held; test marker") {
			t.Errorf("held mail lacks the header:\n%s", out)
		}
	})

	t.Run("check failure, fail-open: delivered without header", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: z\r\n\r\nFAIL-ME\r\n"
		if err := sendMail(pf.smtp, "alice@example.org", "bob@example.net", msg); err != nil {
			t.Fatalf("send: %v", err)
		}
		got := waitMail(t, delivered)
		if strings.Contains(got.data, "X-Leakguard") || !strings.Contains(got.data, "FAIL-ME") {
			t.Errorf("delivered:\n%s", got.data)
		}
	})

	t.Run("check failure, fail-closed: 451 4.7.1", func(t *testing.T) {
		msg := "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: z\r\n\r\nFAIL-ME\r\n"
		err := sendMail(pf.smtpClosed, "alice@example.org", "bob@example.net", msg)
		wantSMTPError(t, err, 451, "4.7.1 ")
	})

	// Nothing rejected or held may have reached the sink.
	select {
	case m := <-delivered:
		t.Errorf("unexpected delivery:\n%s", m.data)
	case <-time.After(time.Second):
	}
}

// zipMail builds a multipart mail with one zip attachment holding name with
// content, and says whether content is invisible in the raw mail.
func zipMail(t *testing.T, name, content string) (string, bool) {
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
	msg := "From: alice@example.org\r\nTo: eve@example.com\r\nSubject: the files\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" +
		"--b1\r\nContent-Type: application/zip; name=\"files.zip\"\r\nContent-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"files.zip\"\r\n\r\n" +
		strings.Join(lines, "\r\n") + "\r\n--b1--\r\n"
	return msg, !strings.Contains(msg, content)
}

// sendMail sends one message over SMTP and returns the server's answer to
// the end of DATA (or an earlier command) as an error.
func sendMail(addr, from, to, msg string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("client.leakguard.test"); err != nil {
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

func wantSMTPError(t *testing.T, err error, code int, text string) {
	t.Helper()
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != code || !strings.Contains(te.Msg, text) {
		t.Fatalf("SMTP answer %v, want %d %q", err, code, text)
	}
}

func waitMail(t *testing.T, delivered <-chan sinkMail) sinkMail {
	t.Helper()
	select {
	case m := <-delivered:
		return m
	case <-time.After(30 * time.Second):
		t.Fatal("no mail reached the sink within 30 s")
		return sinkMail{}
	}
}

// postfixInstance is a running private Postfix.
type postfixInstance struct {
	conf       string // config directory, for postfix -c, postqueue -c
	smtp       string // smtpd with the fail-open milter
	smtpClosed string // smtpd with the fail-closed milter
}

// holdQueue lists the queue ids in the hold queue.
func (p *postfixInstance) holdQueue(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("postqueue", "-c", p.conf, "-j").Output()
	if err != nil {
		t.Fatalf("postqueue -j: %v", err)
	}
	var ids []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var e struct {
			QueueName string `json:"queue_name"`
			QueueID   string `json:"queue_id"`
		}
		if err := dec.Decode(&e); err == io.EOF {
			return ids
		} else if err != nil {
			t.Fatalf("postqueue -j output: %v\n%s", err, out)
		}
		if e.QueueName == "hold" {
			ids = append(ids, e.QueueID)
		}
	}
}

// startPostfix writes a private configuration into a temporary directory,
// starts Postfix's master in the foreground in its own process group and
// stops it when the test ends.
func startPostfix(t *testing.T, postfix, milterOpen, milterClosed, sink string) *postfixInstance {
	t.Helper()
	pfUser, err := user.Lookup("postfix")
	if err != nil {
		t.Skip("no postfix user; is the postfix package installed?")
	}
	// The postfix user must traverse the path to its queue.
	dir, err := os.MkdirTemp("", "leakguard-postfix-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	conf := filepath.Join(dir, "conf")
	for _, d := range []string{dir, conf, filepath.Join(dir, "queue"), filepath.Join(dir, "data")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	uid, _ := strconv.Atoi(pfUser.Uid)
	if err := os.Chown(filepath.Join(dir, "data"), uid, -1); err != nil {
		t.Fatal(err)
	}
	_, sinkPort, _ := net.SplitHostPort(sink)
	p := &postfixInstance{conf: conf, smtp: "127.0.0.1:" + freePort(t), smtpClosed: "127.0.0.1:" + freePort(t)}
	_, smtpPort, _ := net.SplitHostPort(p.smtp)
	_, smtpClosedPort, _ := net.SplitHostPort(p.smtpClosed)
	fill := strings.NewReplacer("{{DIR}}", dir, "{{SINK}}", sinkPort, "{{MILTER}}", milterOpen,
		"{{MILTER_CLOSED}}", milterClosed, "{{SMTP}}", smtpPort, "{{SMTP_CLOSED}}", smtpClosedPort)
	if err := os.WriteFile(filepath.Join(conf, "main.cf"), []byte(fill.Replace(postfixMain)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(conf, "master.cf"), []byte(fill.Replace(postfixMaster)), 0o644); err != nil {
		t.Fatal(err)
	}
	maillog := func() string {
		b, _ := os.ReadFile(filepath.Join(dir, "maillog"))
		return string(b)
	}
	if out, err := exec.Command(postfix, "-c", conf, "check").CombinedOutput(); err != nil {
		t.Fatalf("postfix check: %v\n%s\n%s", err, out, maillog())
	}

	var output bytes.Buffer
	cmd := exec.Command(postfix, "-c", conf, "start-fg")
	cmd.Stdout, cmd.Stderr = &output, &output
	// Postfix's master signals its whole process group when it stops: keep
	// it away from the test binary's.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		exec.Command(postfix, "-c", conf, "stop").Run()
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("postfix output:\n%s\nmaillog:\n%s", output.String(), maillog())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for _, addr := range []string{p.smtp, p.smtpClosed} {
		for {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case err := <-exited:
				t.Fatalf("postfix exited: %v\n%s\n%s", err, output.String(), maillog())
			case <-time.After(100 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("postfix did not listen on %s within 30 s\n%s", addr, maillog())
			}
		}
	}
	return p
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
