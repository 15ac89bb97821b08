package milter

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gomilter "github.com/d--j/go-milter"
)

func TestCheckSeesWholeMessage(t *testing.T) {
	var rec recorder
	addr := startServer(t, &Server{Check: rec.check})
	mail := plainMail("Hello Bob,\r\n\r\nthe figures are attached.\r\n")
	// The folded Subject keeps its fold, with CRLF.
	wantRaw := strings.ReplaceAll(mail.raw(), "\n\t", "\r\n\t")
	mods, act := sendOne(t, addr, mail)
	if act.Type != gomilter.ActionAccept || len(mods) != 0 {
		t.Fatalf("got %v %v, want a plain accept", act, mods)
	}
	seen := rec.messages()
	if len(seen) != 1 {
		t.Fatalf("Check called %d times, want 1", len(seen))
	}
	got := seen[0]
	want := Message{From: "alice@example.org", To: []string{"bob@example.net", "carol@example.net"},
		Client: "192.0.2.7", Helo: "mail.example.org", User: "alice", QueueID: "4XyZ1", Size: int64(len(wantRaw))}
	got.Body = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check saw\n %+v\nwant\n %+v", got, want)
	}
	if raw := string(rec.raw[0]); raw != wantRaw {
		t.Errorf("Check read\n%q\nwant\n%q", raw, wantRaw)
	}
}

// Header values carry their leading space both ways: the go-milter client,
// like Postfix, grants SMFIP_HDR_LEADSPC.
func TestVerdicts(t *testing.T) {
	tests := []struct {
		name     string
		verdict  Verdict
		wantAct  gomilter.ActionType
		wantCode uint16
		wantText string // SMTP reply
		wantMods []gomilter.ModifyAction
	}{
		{name: "accept", verdict: Verdict{Action: Accept, Reason: "clean", Header: "ignored"},
			wantAct: gomilter.ActionAccept},
		{name: "add header", verdict: Verdict{Action: AddHeader, Reason: "alert", Header: "alert; card numbers (2)"},
			wantAct:  gomilter.ActionAccept,
			wantMods: []gomilter.ModifyAction{{Type: gomilter.ActionAddHeader, HeaderName: "X-Leakguard", HeaderValue: " alert; card numbers (2)"}}},
		{name: "add header falls back to reason", verdict: Verdict{Action: AddHeader, Reason: "personal data"},
			wantAct:  gomilter.ActionAccept,
			wantMods: []gomilter.ModifyAction{{Type: gomilter.ActionAddHeader, HeaderName: "X-Leakguard", HeaderValue: " personal data"}}},
		{name: "quarantine", verdict: Verdict{Action: Quarantine, Reason: "registered document", Header: "held; registered document"},
			wantAct: gomilter.ActionAccept,
			wantMods: []gomilter.ModifyAction{
				{Type: gomilter.ActionQuarantine, Reason: "registered document"},
				{Type: gomilter.ActionAddHeader, HeaderName: "X-Leakguard", HeaderValue: " held; registered document"}}},
		{name: "reject", verdict: Verdict{Action: Reject, Reason: "US social security numbers"},
			wantAct: gomilter.ActionRejectWithCode, wantCode: 550, wantText: "550 5.7.1 US social security numbers"},
		{name: "reject without reason", verdict: Verdict{Action: Reject},
			wantAct: gomilter.ActionRejectWithCode, wantCode: 550, wantText: "550 5.7.1 Message refused by data-leak policy"},
		{name: "reason cleaned", verdict: Verdict{Action: Reject, Reason: "card\r\nnumbers\t100% — résumé"},
			wantAct: gomilter.ActionRejectWithCode, wantCode: 550, wantText: "550 5.7.1 card numbers 100%% ? r?sum?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := recorder{verdict: tc.verdict}
			addr := startServer(t, &Server{Check: rec.check})
			mods, act := sendOne(t, addr, plainMail("nothing to see\r\n"))
			if act.Type != tc.wantAct || tc.wantCode != 0 && (act.SMTPCode != tc.wantCode || act.SMTPReply != tc.wantText) {
				t.Errorf("answer %v (%d %q), want %v (%d %q)", act.Type, act.SMTPCode, act.SMTPReply, tc.wantAct, tc.wantCode, tc.wantText)
			}
			if !reflect.DeepEqual(mods, tc.wantMods) {
				t.Errorf("changes %v, want %v", mods, tc.wantMods)
			}
		})
	}
}

func TestRejectMarker(t *testing.T) {
	var rec recorder
	addr := startServer(t, &Server{Check: rec.check})
	_, act := sendOne(t, addr, plainMail("see "+marker+"\r\n"))
	if act.Type != gomilter.ActionRejectWithCode || act.SMTPCode != 550 || !strings.HasPrefix(act.SMTPReply, "550 5.7.1 ") {
		t.Fatalf("answer %v %d %q, want 550 5.7.1", act.Type, act.SMTPCode, act.SMTPReply)
	}
}

// A sender must not be able to pass off its own X-Leakguard verdict.
func TestForgedHeaderRemoved(t *testing.T) {
	rec := recorder{verdict: Verdict{Action: AddHeader, Header: "alert; personal data"}}
	addr := startServer(t, &Server{Check: rec.check})
	mail := plainMail("body\r\n")
	mail.headers = append(mail.headers, [2]string{"X-Leakguard", " clean"}, [2]string{"Received", " by x"}, [2]string{"x-leakguard", " clean too"})
	mods, act := sendOne(t, addr, mail)
	want := []gomilter.ModifyAction{
		{Type: gomilter.ActionChangeHeader, HeaderIndex: 2, HeaderName: "X-Leakguard"},
		{Type: gomilter.ActionChangeHeader, HeaderIndex: 1, HeaderName: "X-Leakguard"},
		{Type: gomilter.ActionAddHeader, HeaderName: "X-Leakguard", HeaderValue: " alert; personal data"},
	}
	if act.Type != gomilter.ActionAccept || !reflect.DeepEqual(mods, want) {
		t.Fatalf("got %v %v, want accept %v", act, mods, want)
	}
}

// Every way a message can go unchecked is decided by the failure policy:
// accepted when fail-open, 451 4.7.1 when fail-closed, never 5xx.
func TestFailurePolicy(t *testing.T) {
	failures := []struct {
		name     string
		check    func(context.Context, Message) (Verdict, error)
		maxBytes int64
	}{
		{name: "check error", check: func(context.Context, Message) (Verdict, error) {
			return Verdict{Action: Reject}, errors.New("extractor broke")
		}},
		{name: "check panic", check: func(context.Context, Message) (Verdict, error) {
			panic("boom")
		}},
		{name: "timeout, check ignores ctx", check: func(context.Context, Message) (Verdict, error) {
			time.Sleep(3 * time.Second)
			return Verdict{Action: Reject}, nil
		}},
		{name: "timeout, check honours ctx", check: func(ctx context.Context, _ Message) (Verdict, error) {
			<-ctx.Done()
			return Verdict{}, ctx.Err()
		}},
		{name: "unknown action", check: func(context.Context, Message) (Verdict, error) {
			return Verdict{Action: Action(42)}, nil
		}},
		{name: "over MaxBytes", maxBytes: 4096, check: func(context.Context, Message) (Verdict, error) {
			return Verdict{Action: Reject}, errors.New("Check must not run on a message over MaxBytes")
		}},
	}
	for _, f := range failures {
		for _, closed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/failclosed=%v", f.name, closed), func(t *testing.T) {
				var calls atomic.Int32
				check := func(ctx context.Context, m Message) (Verdict, error) {
					calls.Add(1)
					return f.check(ctx, m)
				}
				addr := startServer(t, &Server{Check: check, FailClosed: closed, MaxBytes: f.maxBytes, Timeout: 200 * time.Millisecond})
				mail := testMail{from: "<a@example.org>", to: []string{"<b@example.net>"},
					headers: [][2]string{{"Subject", " x"}}, body: strings.Repeat("0123456789abcdef\r\n", 1000)}
				start := time.Now()
				mods, act := sendOne(t, addr, mail)
				if took := time.Since(start); took > 2*time.Second {
					t.Errorf("answered after %v, want within the 200 ms timeout", took)
				}
				if closed {
					if act.Type != gomilter.ActionRejectWithCode || act.SMTPCode != 451 || !strings.HasPrefix(act.SMTPReply, "451 4.7.1 ") {
						t.Errorf("answer %v %d %q, want 451 4.7.1", act.Type, act.SMTPCode, act.SMTPReply)
					}
				} else if act.Type != gomilter.ActionAccept || len(mods) != 0 {
					t.Errorf("answer %v %v, want a plain accept", act, mods)
				}
				if f.maxBytes > 0 && calls.Load() != 0 {
					t.Errorf("Check ran %d times on a message over MaxBytes", calls.Load())
				}
			})
		}
	}
}

// One milter connection carries several messages; an aborted one leaves
// nothing behind for the next.
func TestMessagesInOneConnection(t *testing.T) {
	var rec recorder
	addr := startServer(t, &Server{Check: rec.check})
	m := dial(t, addr)

	if _, act := m.send(plainMail(marker + "\r\n")); act.SMTPCode != 550 {
		t.Fatalf("first message: %v, want 550", act)
	}
	aborted := plainMail("")
	aborted.to = []string{"<mallory@example.com>"}
	m.start(aborted)
	if _, err := m.sess.BodyChunk([]byte("half a body " + marker)); err != nil {
		t.Fatal(err)
	}
	if err := m.sess.Abort(nil); err != nil {
		t.Fatal(err)
	}
	third := testMail{from: "<>", to: []string{"<dave@example.net>"}, headers: [][2]string{{"Subject", " last"}}, body: "clean\r\n"}
	if _, act := m.send(third); act.Type != gomilter.ActionAccept {
		t.Fatalf("third message: %v, want accept", act)
	}
	seen := rec.messages()
	if len(seen) != 2 {
		t.Fatalf("Check ran %d times, want 2 (the aborted message is never checked)", len(seen))
	}
	if got := rec.raw[1]; string(got) != third.raw() {
		t.Errorf("third message read as %q, want %q", got, third.raw())
	}
	if seen[1].From != "" || !reflect.DeepEqual(seen[1].To, []string{"dave@example.net"}) || seen[1].Client != "192.0.2.7" {
		t.Errorf("third message envelope %q %q client %q", seen[1].From, seen[1].To, seen[1].Client)
	}
}

func TestServeAfterShutdown(t *testing.T) {
	s := &Server{Check: (&recorder{}).check}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(l); !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve after Shutdown: %v, want ErrServerClosed", err)
	}
	if _, err := net.Dial("tcp", l.Addr().String()); err == nil {
		t.Error("the listener was left open")
	}
}

func TestServeWithoutCheck(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := (&Server{}).Serve(l); err == nil || errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve without Check: %v, want a configuration error", err)
	}
}

// With MaxConnections 1, a second MTA connection is not served until the
// first one closes.
func TestMaxConnections(t *testing.T) {
	var rec recorder
	addr := startServer(t, &Server{Check: rec.check, MaxConnections: 1})
	first := dial(t, addr)
	second := make(chan *gomilter.Action, 1)
	go func() {
		c := gomilter.NewClient("tcp", addr, gomilter.WithReadTimeout(10*time.Second))
		sess, err := c.Session(nil)
		if err != nil {
			second <- nil
			return
		}
		defer sess.Close()
		act, _ := sess.Conn("other.example.org", gomilter.FamilyInet, 1, "192.0.2.8")
		second <- act
	}()
	select {
	case <-second:
		t.Fatal("second connection was served while the first was open")
	case <-time.After(300 * time.Millisecond):
	}
	if _, act := first.send(plainMail("x\r\n")); act.Type != gomilter.ActionAccept {
		t.Fatalf("first: %v", act)
	}
	first.sess.Close()
	select {
	case act := <-second:
		if act == nil {
			t.Fatal("second connection failed")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("second connection not served after the first closed")
	}
}

// An MTA that grants neither quarantine, header changes nor
// SMFIP_HDR_LEADSPC (sendmail's defaults) still gets every verdict: a
// quarantine becomes a reject, header values get their space back.
func TestMTAWithFewerFeatures(t *testing.T) {
	var rec recorder
	addr := startServer(t, &Server{Check: rec.check})
	connect := func() *mta {
		c := gomilter.NewClient("tcp", addr, gomilter.WithActions(gomilter.OptAddHeader),
			gomilter.WithoutProtocol(gomilter.OptHeaderLeadingSpace))
		sess, err := c.Session(gomilter.NewMacroBag())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sess.Close() })
		m := &mta{t: t, sess: sess}
		m.must(sess.Conn("h", gomilter.FamilyInet6, 1, "2001:db8::1"))
		m.must(sess.Helo("h"))
		return m
	}
	mail := testMail{from: "<a@example.org>", to: []string{"<b@example.net>"},
		headers: [][2]string{{"Subject", "hello"}, {"X-Leakguard", "forged"}}, body: "hi\r\n"}

	rec.verdict = Verdict{Action: Quarantine, Reason: "registered document"}
	mods, act := connect().send(mail)
	if act.Type != gomilter.ActionRejectWithCode || act.SMTPReply != "550 5.7.1 registered document" || len(mods) != 0 {
		t.Errorf("quarantine without the action: %v %q %v, want 550 5.7.1", act.Type, act.SMTPReply, mods)
	}
	if raw := string(rec.raw[0]); raw != "Subject: hello\r\nX-Leakguard: forged\r\n\r\nhi\r\n" {
		t.Errorf("Check read %q", raw)
	}
	if c := rec.messages()[0].Client; c != "2001:db8::1" {
		t.Errorf("client %q", c)
	}

	rec.verdict = Verdict{Action: AddHeader, Header: "alert"}
	mods, act = connect().send(mail)
	want := []gomilter.ModifyAction{{Type: gomilter.ActionAddHeader, HeaderName: "X-Leakguard", HeaderValue: "alert"}}
	if act.Type != gomilter.ActionAccept || !reflect.DeepEqual(mods, want) {
		t.Errorf("add header: %v %v, want accept %v", act, mods, want)
	}
}
