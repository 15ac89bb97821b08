package server

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

type scanAnswer struct {
	Findings []finding.Finding   `json:"findings"`
	Errors   []finding.ItemError `json:"item_errors"`
	Stats    finding.Stats       `json:"stats"`
}

func TestScanRawBody(t *testing.T) {
	ts := start(t, Config{})
	body := "key=" + fakeSecret + "\nmail " + fakeEmail + "\n"
	resp, b := ts.do(t, "POST", "/v1/scan?name=conf/app.env", "text/plain", strings.NewReader(body))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	noPlaintext(t, b)
	// The contract's three members are always there, as arrays.
	var raw map[string]any
	decode(t, b, &raw)
	for _, k := range []string{"findings", "item_errors", "stats"} {
		if raw[k] == nil {
			t.Errorf("answer lacks %q: %s", k, b)
		}
	}
	var a scanAnswer
	decode(t, b, &a)
	if len(a.Findings) != 2 {
		t.Fatalf("%d findings, want 2: %s", len(a.Findings), b)
	}
	sec, mail := a.Findings[0], a.Findings[1]
	if sec.Rule != "test-secret" || sec.Location.Path != "conf/app.env" || sec.Location.Offset != 4 {
		t.Errorf("secret finding %+v", sec)
	}
	if sec.Masked != "LGTE…cdef" {
		t.Errorf("a finding with only plaintext got masked %q, want the shared policy's LGTE…cdef", sec.Masked)
	}
	if mail.Masked != "ja…om" || mail.Entity != "EMAIL_ADDRESS" {
		t.Errorf("mail finding %+v", mail)
	}
	if a.Errors == nil || len(a.Errors) != 0 {
		t.Errorf("item_errors %v, want []", a.Errors)
	}
	if a.Stats.Items != 1 || a.Stats.Findings != 2 {
		t.Errorf("stats %+v", a.Stats)
	}
	seen := ts.scan.seen()
	if len(seen) != 1 || seen[0].Name != "conf/app.env" || seen[0].ContentType != "text/plain" || seen[0].Body != body {
		t.Errorf("scanner got %+v", seen)
	}
}

func TestScanEmptyBody(t *testing.T) {
	ts := start(t, Config{})
	resp, b := ts.do(t, "POST", "/v1/scan", "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	var a scanAnswer
	decode(t, b, &a)
	if a.Findings == nil || len(a.Findings) != 0 {
		t.Errorf("findings %v, want []", a.Findings)
	}
}

// multipartBody builds a real multipart/form-data body: each file with its
// own Content-Type, plus a plain form field.
func multipartBody(t *testing.T, files [][3]string, fields map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range files { // name, content type, content
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+f[0]+`"`)
		h.Set("Content-Type", f[1])
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[2]))
	}
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &buf
}

func TestScanMultipart(t *testing.T) {
	ts := start(t, Config{})
	ct, body := multipartBody(t, [][3]string{
		{"a.txt", "text/plain", "token " + fakeSecret},
		{"b.csv", "text/csv", "name,mail\nJane," + fakeEmail + "\n"},
	}, map[string]string{"comment": "clean words"})
	resp, b := ts.do(t, "POST", "/v1/scan", ct, body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	noPlaintext(t, b)
	var a scanAnswer
	decode(t, b, &a)
	seen := ts.scan.seen()
	want := []seenInput{{"a.txt", "text/plain", "token " + fakeSecret}, {"b.csv", "text/csv", "name,mail\nJane," + fakeEmail + "\n"}, {"comment", "", "clean words"}}
	if len(seen) != len(want) {
		t.Fatalf("scanner got %d inputs, want %d: %+v", len(seen), len(want), seen)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("input %d: got %+v, want %+v", i, seen[i], want[i])
		}
	}
	if len(a.Findings) != 2 || a.Findings[0].Location.Path != "a.txt" || a.Findings[1].Location.Path != "b.csv" {
		t.Errorf("findings %+v", a.Findings)
	}
	if a.Stats.Items != 3 || a.Stats.Findings != 2 {
		t.Errorf("stats %+v, want the parts' stats added", a.Stats)
	}
}

func TestScanMalformedMultipart(t *testing.T) {
	ts := start(t, Config{})
	resp, b := ts.do(t, "POST", "/v1/scan", "multipart/form-data; boundary=XYZ", strings.NewReader("--XYZ\r\nno header end"))
	wantError(t, resp, b, http.StatusBadRequest, "multipart")
	resp, b = ts.do(t, "POST", "/v1/scan", "multipart/form-data; boundary=XYZ", strings.NewReader("--XYZ--\r\n"))
	wantError(t, resp, b, http.StatusBadRequest, "without parts")
	resp, b = ts.do(t, "POST", "/v1/scan", "multipart/form-data", strings.NewReader("x"))
	wantError(t, resp, b, http.StatusBadRequest, "boundary")
}

func TestScanItemErrorsPassThrough(t *testing.T) {
	ts := start(t, Config{Scan: func(_ context.Context, in Input) (Result, error) {
		return Result{
			Errors: []finding.ItemError{{Location: finding.Location{Path: "x.zip", Container: []string{"bomb.bin"}}, Reason: finding.ReasonLimit, Error: "expanded more than the limit"}},
			Stats:  finding.Stats{Items: 1, Errors: 1},
		}, nil
	}})
	resp, b := ts.do(t, "POST", "/v1/scan?name=x.zip", "application/zip", strings.NewReader("PK"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	var a scanAnswer
	decode(t, b, &a)
	if len(a.Errors) != 1 || a.Errors[0].Reason != finding.ReasonLimit || a.Errors[0].Location.Container[0] != "bomb.bin" {
		t.Errorf("item errors %+v", a.Errors)
	}
}

func TestScanFailure(t *testing.T) {
	ts := start(t, Config{Scan: func(context.Context, Input) (Result, error) {
		return Result{}, errors.New("engine not loaded")
	}})
	resp, b := ts.do(t, "POST", "/v1/scan", "", strings.NewReader("x"))
	wantError(t, resp, b, http.StatusInternalServerError, "engine not loaded")
}
