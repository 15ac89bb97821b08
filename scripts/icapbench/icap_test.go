package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/icap"
)

// TestICAPClientAgainstOurServer runs the ICAP load client against
// leakguard's own ICAP server with a Check that blocks the card number:
// every REQMOD must be answered and judged, on connections all kept open.
func TestICAPClientAgainstOurServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &icap.Server{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Check: func(_ context.Context, r icap.Request) (icap.Verdict, error) {
			b, err := io.ReadAll(r.Body)
			if err != nil {
				return icap.Verdict{}, err
			}
			if bytes.Contains(b, []byte(testCard)) {
				return icap.Verdict{Action: icap.Block, Reason: "card numbers"}, nil
			}
			return icap.Verdict{}, nil
		},
	}
	go srv.Serve(l)
	defer srv.Shutdown(context.Background())

	res := loadICAP(icapConfig{addr: l.Addr().String(), conns: 20, duration: 300 * time.Millisecond, cardEvery: 4})
	if res.Errors != 0 || res.Wrong != 0 || res.NewConns != 20 {
		t.Fatalf("%d errors, %d wrong, %d connections: %v", res.Errors, res.Wrong, res.NewConns, res.Samples)
	}
	if res.SentCard == 0 || res.Blocked != res.SentCard || res.OK != res.SentClean {
		t.Errorf("sent %d clean and %d carded; %d answered 204 and %d blocked", res.SentClean, res.SentCard, res.OK, res.Blocked)
	}
}

func TestJudgeICAP(t *testing.T) {
	page := []byte("<h1>" + blockTitle + "</h1>")
	if judgeICAP(false, 204, "", nil, nil) != "ok" || judgeICAP(true, 204, "", nil, nil) != "wrong" {
		t.Error("204 is right for a clean body only")
	}
	if judgeICAP(true, 200, "HTTP/1.1 403 Forbidden", page, nil) != "blocked" {
		t.Error("the 403 page for a carded body is a block")
	}
	if judgeICAP(true, 200, "HTTP/1.1 200 OK", page, nil) != "wrong" || judgeICAP(false, 200, "HTTP/1.1 403 Forbidden", page, nil) != "wrong" {
		t.Error("a 200 echo of a carded body, or a block of a clean one, is wrong")
	}
}
