package mail

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

func threeMessages() string {
	return strings.Join([]string{
		"From alice@example.com Thu Nov 20 10:00:00 2014",
		"From: alice@example.com",
		"Subject: Hello",
		"Date: Thu, 20 Nov 2014 10:00:00 +0000",
		"",
		"First PLANT-mbox1",
		">From here on, PLANT-quoted",
		">>From the archive",
		"",
		"From bob@example.com Thu Nov 20 11:00:00 2014",
		"From: bob@example.com",
		"Subject: Re: budget",
		"Date: Thu, 20 Nov 2014 11:00:00 +0000",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="b"`,
		"",
		"--b",
		"Content-Type: text/plain",
		"",
		"see attached PLANT-mbox2",
		"--b",
		"Content-Type: text/plain",
		`Content-Disposition: attachment; filename="passwords.txt"`,
		"",
		"admin: PLANT-pw",
		"--b--",
		"",
		// Thunderbird writes its status fields first: the message must
		// still be read as a message (its body is base64).
		"From - Fri Nov 21 09:00:00 2014",
		"X-Mozilla-Status: 0001",
		"X-Mozilla-Status2: 00000000",
		"Subject: third",
		"From: carol@example.com",
		"Date: Fri, 21 Nov 2014 09:00:00 +0000",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: base64",
		"",
		strings.TrimSpace(b64([]byte("decoded PLANT-mbox3\n"))),
		"",
	}, "\n")
}

func TestMboxMessagesAndChains(t *testing.T) {
	res := extracttest.Run(t, "in.mbox", []byte(threeMessages()), extracttest.Options{}, New())
	if len(res.Problems) != 0 {
		t.Errorf("problems: %+v", res.Problems)
	}
	wantWhere(t, res, "PLANT-mbox1", "in.mbox!message 1: Hello (2014-11-20)")
	wantWhere(t, res, "PLANT-quoted", "in.mbox!message 1: Hello (2014-11-20)")
	wantWhere(t, res, "PLANT-mbox2", "in.mbox!message 2: Re: budget (2014-11-20)")
	wantWhere(t, res, "PLANT-pw", "in.mbox!message 2: Re: budget (2014-11-20)!attachment:passwords.txt")
	wantWhere(t, res, "PLANT-mbox3", "in.mbox!message 3: third (2014-11-21)")
	first := textAt(res, "in.mbox!message 1: Hello (2014-11-20)")
	if !strings.Contains(first, "\nFrom here on, PLANT-quoted\n>From the archive\n") {
		t.Errorf("quoted From lines not unescaped one level:\n%s", first)
	}
}

// TestMboxDedup: the same attachment in 20 messages is scanned once and
// reported at all 20 places.
func TestMboxDedup(t *testing.T) {
	attachment := strings.Repeat("quarterly numbers, do not forward\n", 30) + "key: PLANT-dup\n"
	var b strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "From sender@example.com Mon Nov %d 10:00:00 2014\n", i+1)
		fmt.Fprintf(&b, "From: sender@example.com\nSubject: Report %d\nDate: Mon, %d Nov 2014 10:00:00 +0000\n", i, i+1)
		b.WriteString("Content-Type: multipart/mixed; boundary=\"sep\"\n\n--sep\nContent-Type: text/plain\n\nsee attached\n")
		b.WriteString("--sep\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"report.txt\"\nContent-Transfer-Encoding: base64\n\n")
		b.WriteString(b64([]byte(attachment)))
		b.WriteString("--sep--\n\n")
	}
	res := extracttest.Run(t, "in.mbox", []byte(b.String()), extracttest.Options{}, New())
	if res.Stats.Deduped != 19 {
		t.Errorf("Deduped = %d, want 19", res.Stats.Deduped)
	}
	var want []string
	for i := 1; i <= 20; i++ {
		want = append(want, fmt.Sprintf("in.mbox!message %d: Report %d (2014-11-%02d)!attachment:report.txt", i, i, i+1))
	}
	wantWhere(t, res, "PLANT-dup", want...)
	scanned := 0
	for _, tx := range res.Texts {
		if strings.HasSuffix(tx.Where, "!attachment:report.txt") {
			scanned++
		}
	}
	if scanned != 1 {
		t.Errorf("the attachment was scanned %d times, want once", scanned)
	}
}

// split runs the splitter over s and returns each message's separator and
// content.
func split(t *testing.T, s string) (seps, msgs []string) {
	t.Helper()
	sp := newMboxSplitter(strings.NewReader(s))
	for {
		sep, err := sp.next()
		if errors.Is(err, io.EOF) {
			return seps, msgs
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(sp)
		if err != nil {
			t.Fatal(err)
		}
		seps, msgs = append(seps, sep), append(msgs, string(b))
	}
}

func TestMboxSplitter(t *testing.T) {
	long := strings.Repeat("x", 200_000)
	cases := []struct {
		name, in string
		seps     []string
		msgs     []string
	}{
		{"empty", "", nil, nil},
		{"crlf", "From a Mon Jan 1 00:00:00 2001\r\nSubject: a\r\n\r\nbody\r\n\r\nFrom b Mon Jan 1 00:00:00 2001\r\nSubject: b\r\n\r\nbody b",
			[]string{"From a Mon Jan 1 00:00:00 2001", "From b Mon Jan 1 00:00:00 2001"},
			[]string{"Subject: a\r\n\r\nbody\r\n\r\n", "Subject: b\r\n\r\nbody b"}},
		{"from in a body is not a separator", "From a 2001\nSubject: a\n\nwe heard\nFrom the desk of the CEO: nothing\n",
			[]string{"From a 2001"}, []string{"Subject: a\n\nwe heard\nFrom the desk of the CEO: nothing\n"}},
		{"separator before a header without a blank line", "From a 2001\nSubject: a\n\nbody\nFrom b 2002\nSubject: b\n\nx\n",
			[]string{"From a 2001", "From b 2002"}, []string{"Subject: a\n\nbody\n", "Subject: b\n\nx\n"}},
		{"preamble before the first separator", "Subject: loose\n\ntext\n\nFrom b 2002\nSubject: b\n\nx\n",
			[]string{"", "From b 2002"}, []string{"Subject: loose\n\ntext\n\n", "Subject: b\n\nx\n"}},
		{"long lines", "From a 2001\nSubject: a\n\n" + long + "\n>From " + long + "\n",
			[]string{"From a 2001"}, []string{"Subject: a\n\n" + long + "\nFrom " + long + "\n"}},
		{"quoted levels", "From a 2001\n\n>From x\n>>From y\n>>>From z\n> From w\n",
			[]string{"From a 2001"}, []string{"\nFrom x\n>From y\n>>From z\n> From w\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seps, msgs := split(t, c.in)
			if strings.Join(seps, "|") != strings.Join(c.seps, "|") || len(msgs) != len(c.msgs) {
				t.Fatalf("separators %q, want %q", seps, c.seps)
			}
			for i := range msgs {
				if msgs[i] != c.msgs[i] {
					t.Errorf("message %d = %.200q, want %.200q", i+1, msgs[i], c.msgs[i])
				}
			}
		})
	}
}

// TestMboxSkipsUnreadRest: a message the consumer does not read to the end
// is skipped, not merged into the next.
func TestMboxSkipsUnreadRest(t *testing.T) {
	sp := newMboxSplitter(strings.NewReader("From a 2001\nSubject: a\n\n" + strings.Repeat("line\n", 50000) + "\nFrom b 2002\nSubject: b\n\nlast\n"))
	if _, err := sp.next(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	io.ReadFull(sp, buf)
	sep, err := sp.next()
	if err != nil || sep != "From b 2002" {
		t.Fatalf("next = %q, %v", sep, err)
	}
	if b, _ := io.ReadAll(sp); string(b) != "Subject: b\n\nlast\n" {
		t.Errorf("second message = %q", b)
	}
}
