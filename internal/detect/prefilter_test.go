package detect_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
)

// numberText returns about n bytes of seeded text dense with what the
// prefilters judge: numbers in every grouping (phone numbers, dates,
// times, card and national numbers, counters), IP addresses, hex ids,
// Bitcoin-like and Trello-like tokens, URLs with and without passwords,
// configuration lines with and without credentials, mail headers, and the
// words that gate rules, in random order and random neighbours.
func numberText(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 9))
	digits := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		return b.String()
	}
	hex := func(k int) string {
		const h = "0123456789abcdef"
		var b strings.Builder
		for range k {
			b.WriteByte(h[r.IntN(16)])
		}
		return b.String()
	}
	b58 := func(k int) string {
		const a = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
		var b strings.Builder
		for range k {
			b.WriteByte(a[r.IntN(len(a))])
		}
		return b.String()
	}
	seps := []string{" ", "-", ".", "/", "", "\u00a0", ", ", ":"}
	grouped := func() string {
		var b strings.Builder
		for i := range 1 + r.IntN(5) {
			if i > 0 {
				b.WriteString(seps[r.IntN(len(seps))])
			}
			b.WriteString(digits(1 + r.IntN(6)))
		}
		return b.String()
	}
	words := strings.Fields("phone tel call fax ird tfn iban bitcoin wallet ip address client_ip order invoice budget_usd host user db_host password token key auth curl -u http https office the and of to")
	lines := []func() string{
		grouped, grouped, grouped,
		func() string { return "+" + grouped() },
		func() string { return "(" + digits(3) + ") " + digits(3) + "-" + digits(4) },
		func() string {
			return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", 1990+r.IntN(50), 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000))
		},
		func() string { return fmt.Sprintf("%d.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(256)) },
		func() string { return fmt.Sprintf("%x:%x::%x", r.IntN(65536), r.IntN(65536), r.IntN(65536)) },
		func() string { return fmt.Sprintf("%02d:%02d:%02d", r.IntN(24), r.IntN(60), r.IntN(60)) },
		func() string { return hex(8 + r.IntN(56)) },
		func() string { return []string{"1", "3", "bc1"}[r.IntN(3)] + b58(24+r.IntN(12)) },
		func() string { return "ATTA" + hex(64) + strings.ToUpper(hex(8)) },
		func() string {
			return "https://user" + digits(2) + ":" + b58(10) + "@host" + digits(2) + ".example.net/x"
		},
		func() string { return "http://example.net/a/" + digits(6) },
		func() string { return "DB_PASSWORD=" + b58(12) + "\nDB_HOST=db" + digits(2) + ".internal" },
		func() string { return "DB_HOST=db" + digits(2) + ".internal\nDB_USER=app" },
		func() string { return "Message-ID: <" + hex(12) + "." + digits(6) + "@mail.example.org>" },
		func() string { return "curl -u ops:" + b58(10) + " https://api.example.net" },
		func() string { return `"GET /a HTTP/1.1" ` + digits(3) + " " + digits(5) + ` "-"` },
		func() string {
			return "DE" + digits(2) + " " + digits(4) + " " + digits(4) + " " + digits(4) + " " + digits(4) + " " + digits(2)
		},
		func() string { return words[r.IntN(len(words))] },
		func() string { return "\n" },
		func() string { return "," },
		func() string { return "leakguard:allow" },
	}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(lines[r.IntN(len(lines))]())
		b.WriteString([]string{" ", " ", ",", "\n", "=", ": ", "\t", "x"}[r.IntN(8)])
	}
	return b.String()
}

// TestPrefiltersAgainstReference holds the fast path against the reference
// path on text built to meet the prefilters at their edges (check shapes,
// required texts, exact factors, consuming alternatives, the needs of the
// connection_detail check, merged windows), in several kinds of file and
// with small chunks, finding for finding.
func TestPrefiltersAgainstReference(t *testing.T) {
	if testing.Short() {
		t.Skip("reference path: slow")
	}
	fast := builtinEngine(t, detect.WithChunkSize(1<<12))
	ref := builtinEngine(t, detect.WithReference(), detect.WithChunkSize(1<<22))
	total := 0
	for i, path := range []string{"notes.txt", "export.csv", "app.log", "service.env", "inbox.eml", "main.go"} {
		text := numberText(uint64(i+1), 96<<10)
		got, _ := scan(t, fast, path, bytes.NewReader([]byte(text)))
		want, _ := scan(t, ref, path, bytes.NewReader([]byte(text)))
		total += len(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fast path %d findings, reference %d; first difference: %s", path, len(got), len(want), firstDiff(got, want))
		}
	}
	if total < 100 {
		t.Errorf("only %d findings: the text does not exercise the rules", total)
	}
}
