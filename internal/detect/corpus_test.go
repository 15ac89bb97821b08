package detect_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// officeText returns about n bytes of seeded, made-up "corporate" text of
// the kinds a file server holds besides code: HR CSV exports, application
// logs, configuration and mail. It is what the PII rules spend their time
// on (digits, dates, addresses, identifiers everywhere), so the benchmarks
// measure the engine on it as well as on Go source. Every value is
// synthetic; a few are shaped like real identifiers so that validators run.
func officeText(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 4))
	var b strings.Builder
	b.Grow(n + 4096)
	for b.Len() < n {
		switch r.IntN(4) {
		case 0:
			hrCSV(r, &b)
		case 1:
			appLog(r, &b)
		case 2:
			configFile(r, &b)
		default:
			mailText(r, &b)
		}
	}
	return b.String()
}

var (
	firstNames = []string{"Anna", "Ben", "Chloé", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Mateo", "Nora", "Omar", "Priya"}
	lastNames  = []string{"Smith", "Müller", "Garcia", "Rossi", "Dubois", "Novak", "Kowalski", "Jansen", "Silva", "Tanaka", "Okafor", "Larsen", "Nguyen", "Brown"}
	depts      = []string{"Sales", "Finance", "Engineering", "Legal", "HR", "Support", "Marketing", "Operations"}
	words      = strings.Fields("the quarterly report is attached please review before our meeting on thursday we agreed to move the deadline and the budget for the project was approved by the board thanks for your help with the customer escalation let me know if you have questions about the invoice or the contract renewal regards")
)

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

func date(r *rand.Rand) string {
	return fmt.Sprintf("%04d-%02d-%02d", 1950+r.IntN(75), 1+r.IntN(12), 1+r.IntN(28))
}

func hrCSV(r *rand.Rand, b *strings.Builder) {
	b.WriteString("employee_id,first_name,last_name,email,phone,birth_date,hire_date,salary,cost_center,department,manager_id\n")
	for range 20 + r.IntN(200) {
		fn, ln := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		fmt.Fprintf(b, "%d,%s,%s,%s.%s@example.com,+1 %03d-555-%04d,%s,%s,%d.%02d,CC-%s,%s,%d\n",
			10000+r.IntN(90000), fn, ln, strings.ToLower(fn), strings.ToLower(ln), 200+r.IntN(700), r.IntN(10000),
			date(r), date(r), 30000+r.IntN(150000), r.IntN(100), digits(r, 6), depts[r.IntN(len(depts))], 10000+r.IntN(90000))
	}
}

func appLog(r *rand.Rand, b *strings.Builder) {
	levels := []string{"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"}
	paths := []string{"/api/v1/orders/", "/api/v1/customers/", "/static/img/", "/login", "/api/v2/invoices/"}
	for range 50 + r.IntN(500) {
		fmt.Fprintf(b, "%sT%02d:%02d:%02d.%03dZ %s [worker-%d] req=%08x-%04x-%04x-%04x-%012x ip=%d.%d.%d.%d method=GET path=%s%d status=%d bytes=%d dur=%dms\n",
			date(r), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000), levels[r.IntN(len(levels))], r.IntN(32),
			r.Uint32(), r.IntN(1<<16), r.IntN(1<<16), r.IntN(1<<16), r.Int64N(1<<48),
			10+r.IntN(200), r.IntN(256), r.IntN(256), r.IntN(256), paths[r.IntN(len(paths))], r.IntN(1000000),
			[]int{200, 200, 200, 201, 304, 404, 500}[r.IntN(7)], r.IntN(1<<20), r.IntN(2000))
	}
}

func configFile(r *rand.Rand, b *strings.Builder) {
	for range 5 + r.IntN(30) {
		fmt.Fprintf(b, "[service_%d]\nhost = app%02d.internal.example.com\nport = %d\ntimeout_ms = %d\nretries = %d\nlog_level = info\nmax_connections = %d\ncache_ttl = %ds\nversion = %d.%d.%d\n\n",
			r.IntN(100), r.IntN(100), 1024+r.IntN(60000), 100+r.IntN(30000), r.IntN(10), 10+r.IntN(1000), r.IntN(86400), r.IntN(10), r.IntN(30), r.IntN(100))
	}
}

func mailText(r *rand.Rand, b *strings.Builder) {
	fn, ln := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	fmt.Fprintf(b, "From: %s %s <%s.%s@example.org>\nTo: team@example.org\nDate: Tue, %d Mar 2025 %02d:%02d:%02d +0100\nMessage-ID: <%s.%s@mail.example.org>\nSubject: Re: %s\n\n",
		fn, ln, strings.ToLower(fn), strings.ToLower(ln), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), digits(r, 12), digits(r, 6), words[r.IntN(len(words))])
	for range 3 + r.IntN(12) {
		for range 8 + r.IntN(20) {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		switch r.IntN(6) {
		case 0:
			fmt.Fprintf(b, "Invoice %s for EUR %d,%02d is due on %s. ", digits(r, 8), r.IntN(100000), r.IntN(100), date(r))
		case 1:
			fmt.Fprintf(b, "Call me on +44 20 7946 %04d. ", r.IntN(10000))
		case 2:
			fmt.Fprintf(b, "Order #%s shipped in %d boxes. ", digits(r, 7), 1+r.IntN(9))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "\n--\n%s %s | %s | Tel. +49 30 %s\n\n", fn, ln, depts[r.IntN(len(depts))], digits(r, 8))
}
