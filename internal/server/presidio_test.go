package server

import (
	"net/http"
	"strings"
	"testing"
)

// presidioResult is Presidio's RecognizerResult as a client reads it.
type presidioResult struct {
	EntityType          string         `json:"entity_type"`
	Start               int            `json:"start"`
	End                 int            `json:"end"`
	Score               float64        `json:"score"`
	AnalysisExplanation map[string]any `json:"analysis_explanation"`
	RecognitionMetadata struct {
		RecognizerName string `json:"recognizer_name"`
	} `json:"recognition_metadata"`
}

func TestAnalyzeCodePointOffsets(t *testing.T) {
	ts := start(t, Config{})
	// Before the e-mail: "Åsa" (Å is 2 bytes), an emoji (4 bytes, one code
	// point, two UTF-16 units) and "日本" (3 bytes each). In code points, as
	// Presidio (Python) counts, the address starts at 10; in bytes at 18.
	text := "Åsa 😀 日本: " + fakeEmail + " – " + fakeSecret
	req := `{"text": ` + jsonString(text) + `, "language": "en"}`
	resp, b := ts.do(t, "POST", "/analyze", "application/json", strings.NewReader(req))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	noPlaintext(t, b)
	var rs []presidioResult
	decode(t, b, &rs)
	if len(rs) != 2 {
		t.Fatalf("%d results: %s", len(rs), b)
	}
	mail, sec := rs[0], rs[1]
	if mail.EntityType != "EMAIL_ADDRESS" || mail.Start != 10 || mail.End != 30 || mail.Score != 0.6 {
		t.Errorf("e-mail result %+v, want EMAIL_ADDRESS [10,30) score 0.6", mail)
	}
	// " – " is 3 code points (the dash is 3 bytes).
	if sec.EntityType != "test-secret" || sec.Start != 33 || sec.End != 33+len(fakeSecret) || sec.Score != 0.85 {
		t.Errorf("secret result %+v, want test-secret [33,%d) score 0.85", sec, 33+len(fakeSecret))
	}
	if mail.RecognitionMetadata.RecognizerName != "email" || mail.AnalysisExplanation != nil {
		t.Errorf("metadata %+v, explanation %v", mail.RecognitionMetadata, mail.AnalysisExplanation)
	}
	// The members Presidio clients read are all there, explanation as null.
	var raw []map[string]any
	decode(t, b, &raw)
	for _, k := range []string{"entity_type", "start", "end", "score", "analysis_explanation", "recognition_metadata"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("result lacks %q", k)
		}
	}
	// The values at those code-point offsets are the ones found.
	r := []rune(text)
	if string(r[mail.Start:mail.End]) != fakeEmail || string(r[sec.Start:sec.End]) != fakeSecret {
		t.Error("code-point offsets do not delimit the values")
	}
}

func jsonString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"', '\\':
			sb.WriteByte('\\')
			sb.WriteRune(c)
		case '\n':
			sb.WriteString(`\n`)
		default:
			sb.WriteRune(c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

func TestAnalyzeFilters(t *testing.T) {
	ts := start(t, Config{})
	text := jsonString("a " + fakeEmail + " b " + fakeSecret)
	count := func(req string) []presidioResult {
		t.Helper()
		resp, b := ts.do(t, "POST", "/analyze", "application/json", strings.NewReader(req))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
		var rs []presidioResult
		decode(t, b, &rs)
		return rs
	}
	if rs := count(`{"text":` + text + `,"language":"en","entities":["EMAIL_ADDRESS"]}`); len(rs) != 1 || rs[0].EntityType != "EMAIL_ADDRESS" {
		t.Errorf("entities filter: %+v", rs)
	}
	if rs := count(`{"text":` + text + `,"language":"en","score_threshold":0.7}`); len(rs) != 1 || rs[0].EntityType != "test-secret" {
		t.Errorf("score_threshold: %+v", rs)
	}
	if rs := count(`{"text":` + text + `,"language":"en","allow_list":["` + fakeEmail + `"]}`); len(rs) != 1 || rs[0].EntityType != "test-secret" {
		t.Errorf("allow_list: %+v", rs)
	}
	if rs := count(`{"text":"nothing here","language":"en"}`); rs == nil || len(rs) != 0 {
		t.Errorf("clean text: %+v, want []", rs)
	}
	rs := count(`{"text":` + text + `,"language":"en","return_decision_process":true,"correlation_id":"abc","context":["mail"]}`)
	if len(rs) != 2 || rs[0].AnalysisExplanation["recognizer"] != "email" || rs[0].AnalysisExplanation["original_score"] != 0.6 {
		t.Errorf("decision process: %+v", rs)
	}
}

func TestAnalyzeBatch(t *testing.T) {
	ts := start(t, Config{})
	req := `{"text":["x ` + fakeEmail + `","clean","` + fakeSecret + `"],"language":"en"}`
	resp, b := ts.do(t, "POST", "/analyze", "application/json", strings.NewReader(req))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	var rs [][]presidioResult
	decode(t, b, &rs)
	if len(rs) != 3 || len(rs[0]) != 1 || len(rs[1]) != 0 || len(rs[2]) != 1 || rs[0][0].Start != 2 || rs[2][0].Start != 0 {
		t.Errorf("batch answer %s", b)
	}
}

func TestAnalyzeBadRequests(t *testing.T) {
	ts := start(t, Config{})
	for _, c := range []struct{ body, say string }{
		{`{"language":"en"}`, "No text provided"},
		{`{"text":"","language":"en"}`, "No text provided"},
		{`{"text":42}`, "string or a list"},
		{`{"text":`, "Failed to parse"},
		{`{"text":"x","allow_list_match":"regex"}`, "not supported"},
	} {
		resp, b := ts.do(t, "POST", "/analyze", "application/json", strings.NewReader(c.body))
		wantError(t, resp, b, http.StatusBadRequest, c.say)
	}
}

func TestSupportedEntitiesAndHealth(t *testing.T) {
	ts := start(t, Config{Entities: []string{"US_SSN", "CREDIT_CARD", "EMAIL_ADDRESS", "CREDIT_CARD"}})
	resp, b := ts.do(t, "GET", "/supportedentities?language=en", "", nil)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(b)) != `["CREDIT_CARD","EMAIL_ADDRESS","US_SSN"]` {
		t.Errorf("supportedentities: %d %s", resp.StatusCode, b)
	}
	resp, b = ts.doAs(t, "", "GET", "/health", "", nil)
	if resp.StatusCode != http.StatusOK || string(b) != "ok" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("health without a token: %d %q", resp.StatusCode, b)
	}
}

func TestCodePoints(t *testing.T) {
	text := "aé😀b"                                   // bytes: a=0, é=1..2, 😀=3..6, b=7
	got := codePoints(text, []int{7, 0, 3, 8, 1, 3}) // unsorted, repeated
	want := []int{3, 0, 2, 4, 1, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("codePoints = %v, want %v", got, want)
		}
	}
}
