package miltertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// postfixMain is a private Postfix on loopback that relays everything to
// the test's sink. {{…}} are filled in by StartPostfix; which milter a
// message goes through is set per listener in master.cf.
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
milter_default_action = accept
maillog_file = {{DIR}}/maillog
maillog_file_prefixes = {{DIR}}
`

// postfixServices runs every service unchrooted (nothing to copy into the
// queue directory); StartPostfix puts one smtpd line per milter before
// them.
const postfixServices = `pickup    unix  n - n 60 1 pickup
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

// Postfix is a running private Postfix.
type Postfix struct {
	// SMTP holds one loopback SMTP listener per milter given to
	// StartPostfix, in the same order: mail sent to SMTP[i] goes through
	// milter i.
	SMTP []string
	Conf string // configuration directory, for postfix -c, postqueue -c, postcat -c
	dir  string
}

// StartPostfix writes a private configuration into a temporary directory,
// with one SMTP listener per milter address (host:port) relaying to sink,
// starts Postfix's master in the foreground in its own process group,
// waits until every listener answers, and stops it when the test ends
// (logging its maillog if the test failed). It skips the test under -short,
// when not root (Postfix's master starts as root and runs its daemons as
// the postfix user) and when Postfix is not installed.
func StartPostfix(t testing.TB, sink string, milters ...string) *Postfix {
	t.Helper()
	postfix, pfUser := NeedPostfix(t)
	if len(milters) == 0 {
		t.Fatal("StartPostfix: no milter")
	}
	// The postfix user must traverse the path to its queue: not under
	// t.TempDir's private tree.
	dir, err := os.MkdirTemp("", "leakguard-postfix-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p := &Postfix{Conf: filepath.Join(dir, "conf"), dir: dir}
	for _, d := range []string{dir, p.Conf, filepath.Join(dir, "queue"), filepath.Join(dir, "data")} {
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
	_, sinkPort, err := net.SplitHostPort(sink)
	if err != nil {
		t.Fatalf("sink address %q: %v", sink, err)
	}
	var master strings.Builder
	for _, m := range milters {
		port := freePort(t)
		p.SMTP = append(p.SMTP, "127.0.0.1:"+port)
		fmt.Fprintf(&master, "127.0.0.1:%s inet n - n - - smtpd -o smtpd_milters=inet:%s\n", port, m)
	}
	master.WriteString(postfixServices)
	mainCf := strings.NewReplacer("{{DIR}}", dir, "{{SINK}}", sinkPort).Replace(postfixMain)
	if err := os.WriteFile(filepath.Join(p.Conf, "main.cf"), []byte(mainCf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.Conf, "master.cf"), []byte(master.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(postfix, "-c", p.Conf, "check").CombinedOutput(); err != nil {
		t.Fatalf("postfix check: %v\n%s\n%s", err, out, p.maillog())
	}

	var output bytes.Buffer
	cmd := exec.Command(postfix, "-c", p.Conf, "start-fg")
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
		exec.Command(postfix, "-c", p.Conf, "stop").Run()
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("postfix output:\n%s\nmaillog:\n%s", output.String(), p.maillog())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for _, addr := range p.SMTP {
		for {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case err := <-exited:
				t.Fatalf("postfix exited: %v\n%s\n%s", err, output.String(), p.maillog())
			case <-time.After(100 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("postfix did not listen on %s within 30 s\n%s", addr, p.maillog())
			}
		}
	}
	return p
}

// NeedPostfix skips the test under -short, when not root and when Postfix
// is not installed, and returns the postfix program and user: a test calls
// it before any costly setup of its own.
func NeedPostfix(t testing.TB) (string, *user.User) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test with Postfix; skipped under -short")
	}
	if os.Geteuid() != 0 {
		t.Skip("Postfix's master daemon must be started as root; skipping the Postfix integration test")
	}
	postfix := lookPath("postfix", "/usr/sbin/postfix")
	if postfix == "" {
		t.Skip("postfix not installed (DEBIAN_FRONTEND=noninteractive apt-get install -y postfix); skipping the Postfix integration test")
	}
	pfUser, err := user.Lookup("postfix")
	if err != nil {
		t.Skip("no postfix user; is the postfix package installed?")
	}
	return postfix, pfUser
}

func (p *Postfix) maillog() string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "maillog"))
	return string(b)
}

// HoldQueue lists the queue ids in the hold (quarantine) queue.
func (p *Postfix) HoldQueue(t testing.TB) []string {
	t.Helper()
	out, err := exec.Command("postqueue", "-c", p.Conf, "-j").Output()
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

// Held returns the header of the message with queue id in the hold queue,
// as postcat prints it.
func (p *Postfix) Held(t testing.TB, id string) string {
	t.Helper()
	out, err := exec.Command("postcat", "-c", p.Conf, "-h", "-q", id).CombinedOutput()
	if err != nil {
		t.Fatalf("postcat: %v\n%s", err, out)
	}
	return string(out)
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// lookPath finds a program on PATH or at its Debian location (sbin
// directories are not on every user's PATH); "" when it is neither.
func lookPath(name, debian string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p, err := exec.LookPath(debian); err == nil {
		return p
	}
	return ""
}
