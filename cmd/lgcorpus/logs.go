package main

import "time"

// Application and system logs, the bulk of the corpus: Java-style service
// logs, JSON structured logs, web access logs and syslog. The noise is what
// real logs hold — trace and span ids, hashes, durations, paths, some UUIDs
// and IP addresses — and, rarely, what they should not hold: user e-mail
// addresses, and now and then a token, a connection URL with its password
// or a card number written by a debug statement.

// Share of application log lines with an IP address, a UUID, a user's
// e-mail address, and with one of the rarer leaked values.
const (
	logIPShare    = 0.03
	logUUIDShare  = 0.03
	logEmailShare = 0.01
	logLeakShare  = 0.0002
)

var logKinds = []string{"app", "app", "app", "json", "json", "syslog", "access"}

// logClock formats the timestamps of one log, re-rendering the date and
// time only when the second changes.
type logClock struct {
	ms     int64
	sec    int64
	iso    []byte // 2006-01-02T15:04:05
	syslog []byte // Jan _2 15:04:05
	clf    []byte // 02/Jan/2006:15:04:05 -0700
}

func (c *logClock) tick(d *doc) {
	c.ms += int64(d.r.IntN(400))
	if s := c.ms / 1000; s != c.sec || c.iso == nil {
		c.sec = s
		t := time.Unix(s, 0).UTC()
		c.iso = t.AppendFormat(c.iso[:0], "2006-01-02T15:04:05")
		c.syslog = t.AppendFormat(c.syslog[:0], "Jan _2 15:04:05")
		c.clf = t.AppendFormat(c.clf[:0], "02/Jan/2006:15:04:05 -0700")
	}
}

func (d *doc) ip(private bool) {
	if private {
		d.s("10.")
	} else {
		d.int(11 + d.r.IntN(180))
		d.b('.')
	}
	d.int(d.r.IntN(256))
	d.b('.')
	d.int(d.r.IntN(256))
	d.b('.')
	d.int(1 + d.r.IntN(254))
}

func genLog(d *doc, kind string, target int) {
	svc := pick(d.r, services)
	host := pick(d.r, hosts)
	domain := pick(d.r, companyDomains)
	c := &logClock{ms: time.Date(2024, time.Month(1+d.r.IntN(12)), 1+d.r.IntN(28), 0, 0, 0, 0, time.UTC).UnixMilli()}
	for len(d.buf) < target {
		c.tick(d)
		switch kind {
		case "json":
			d.jsonLine(c, svc, domain)
		case "syslog":
			d.syslogLine(c, host)
		case "access":
			d.accessLine(c)
		default:
			d.appLine(c, svc, domain)
		}
	}
}

func (d *doc) millis(c *logClock) {
	d.b('.')
	d.pad(int(c.ms%1000), 3)
	d.b('Z')
}

func (d *doc) appLine(c *logClock, svc, domain string) {
	d.buf = append(d.buf, c.iso...)
	d.millis(c)
	level := d.r.IntN(100)
	switch {
	case level < 70:
		d.s(" INFO  [")
	case level < 85:
		d.s(" DEBUG [")
	case level < 96:
		d.s(" WARN  [")
	default:
		d.s(" ERROR [")
	}
	d.s("http-nio-8080-exec-")
	d.int(1 + d.r.IntN(200))
	d.s("] ")
	d.s(pick(d.r, javaClasses))
	d.s(" - ")
	if chance(d.r, logLeakShare) {
		d.logLeak(svc)
		d.nl()
		return
	}
	d.s(pick(d.r, logMessages))
	d.s(" trace_id=")
	d.hex(32)
	d.s(" span_id=")
	d.hex(16)
	if chance(d.r, logUUIDShare) {
		d.s(" order=")
		d.uuid()
	}
	if chance(d.r, logEmailShare) {
		d.s(" user=")
		d.plant(kindEmail, email(d.r, randPerson(d.r), domain))
	} else {
		d.s(" user_id=")
		d.int(10000 + d.r.IntN(90000))
	}
	if chance(d.r, logIPShare) {
		d.s(" client_ip=")
		d.ip(false)
	}
	d.s(" status=")
	d.int(pick(d.r, []int{200, 200, 200, 201, 204, 304, 400, 404, 500}))
	d.s(" duration_ms=")
	d.int(d.r.IntN(2500))
	d.s(" path=")
	d.s(pick(d.r, urlPaths))
	if d.r.IntN(4) == 0 {
		d.s(" etag=")
		d.hex(40)
	}
	d.nl()
}

func (d *doc) jsonLine(c *logClock, svc, domain string) {
	d.s(`{"ts":"`)
	d.buf = append(d.buf, c.iso...)
	d.millis(c)
	d.s(`","level":"`)
	d.s(pick(d.r, []string{"info", "info", "info", "debug", "warn", "error"}))
	d.s(`","svc":"` + svc + `","msg":"`)
	if chance(d.r, logLeakShare) {
		d.logLeak(svc)
		d.s("\"}\n")
		return
	}
	d.s(pick(d.r, logMessages))
	d.s(`","trace_id":"`)
	d.hex(32)
	if chance(d.r, logUUIDShare) {
		d.s(`","session":"`)
		d.uuid()
	}
	if chance(d.r, logEmailShare) {
		d.s(`","user":"`)
		d.plant(kindEmail, email(d.r, randPerson(d.r), domain))
	}
	if chance(d.r, logIPShare) {
		d.s(`","remote_addr":"`)
		d.ip(false)
	}
	d.s(`","status":`)
	d.int(pick(d.r, []int{200, 200, 200, 201, 204, 400, 404, 500}))
	d.s(`,"latency_ms":`)
	d.int(d.r.IntN(900))
	d.b('.')
	d.int(d.r.IntN(10))
	d.s(`,"bytes":`)
	d.int(d.r.IntN(200000))
	d.s(`,"sha256":"`)
	d.hex(64)
	d.s("\"}\n")
}

func (d *doc) accessLine(c *logClock) {
	d.ip(chance(d.r, 0.5))
	d.s(" - - [")
	d.buf = append(d.buf, c.clf...)
	d.s(`] "`)
	d.s(pick(d.r, []string{"GET", "GET", "GET", "POST", "PUT", "DELETE"}))
	d.b(' ')
	d.s(pick(d.r, urlPaths))
	d.s(` HTTP/1.1" `)
	d.int(pick(d.r, []int{200, 200, 200, 301, 304, 404, 500}))
	d.b(' ')
	d.int(d.r.IntN(90000))
	d.s(` "-" "`)
	d.s(pick(d.r, userAgents))
	d.s(`" rt=0.`)
	d.pad(d.r.IntN(1000), 3)
	d.s(" req=")
	d.hex(16)
	d.nl()
}

func (d *doc) syslogLine(c *logClock, host string) {
	d.buf = append(d.buf, c.syslog...)
	d.s(" " + host + " ")
	switch d.r.IntN(10) {
	case 0:
		d.s("sshd[")
		d.int(1000 + d.r.IntN(60000))
		d.s("]: Accepted publickey for deploy from ")
		d.ip(true)
		d.s(" port ")
		d.int(30000 + d.r.IntN(30000))
		d.s(" ssh2: ED25519 SHA256:")
		d.s(randFrom(d.r, b64ch[:62], 43))
	case 1, 2:
		d.s("CRON[")
		d.int(1000 + d.r.IntN(60000))
		d.s("]: (root) CMD (/usr/local/bin/" + pick(d.r, []string{"backup.sh", "rotate-logs", "sync-ldap", "renew-certs"}) + ")")
	case 3, 4:
		d.s("kernel: [")
		d.int(d.r.IntN(900000))
		d.b('.')
		d.pad(d.r.IntN(1000000), 6)
		d.s("] " + pick(d.r, []string{"eth0: link up, 10Gbps, full duplex", "EXT4-fs (nvme0n1p2): re-mounted", "TCP: request_sock_TCP: Possible SYN flooding on port 443", "audit: type=1400 apparmor=\"ALLOWED\""}))
	default:
		d.s("systemd[1]: ")
		d.s(pick(d.r, []string{"Started Daily apt upgrade and clean activities.", "Starting Cleanup of Temporary Directories...", "Finished Rotate log files.", "Reloading.", "Started Session of user deploy."}))
	}
	d.nl()
}

// logLeak writes the message of a log line that leaks a value.
func (d *doc) logLeak(svc string) {
	switch d.r.IntN(7) {
	case 0:
		d.s("could not connect to postgres://" + svc + "_app:")
		d.plant(kindPostgres, dbPassword(d.r))
		d.s("@" + svc + "-db.internal:5432/" + svc + ": connection refused")
	case 1:
		d.s("outgoing request headers: Accept=application/json Authorization=token ")
		d.plant(kindGitHub, githubToken(d.r))
	case 2:
		d.s("stripe call failed, retrying with api_key=")
		d.plant(kindStripe, stripeLiveKey(d.r))
	case 3:
		d.s("posting alert to slack with token ")
		d.plant(kindSlack, slackBotToken(d.r))
	case 4:
		d.s("payment declined card_number=")
		d.plant(kindCard, cardNumber(d.r))
		d.s(" reason=insufficient_funds")
	case 5:
		d.s("employee record updated ssn=")
		d.plant(kindSSN, ssn(d.r, "-"))
		d.s(" field=tax_withholding")
	default:
		d.s("bootstrap config loaded aws_access_key_id=")
		d.plant(kindAWSKeyID, awsKeyID(d.r))
		d.s(" aws_secret_access_key=")
		d.plant(kindAWSSecret, awsSecret(d.r))
	}
}
