package invreport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// get walks a decoded JSON object along a dotted path.
func get(ev map[string]any, path string) (any, bool) {
	var cur any = ev
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// TestOCSF checks every event for what OCSF 1.4.0 requires of a Data
// Security Finding (class 2006) and its objects, and what it recommends
// that leakguard knows, and that statuses and severities map as documented.
func TestOCSF(t *testing.T) {
	inv := newInventory(t)
	var b bytes.Buffer
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	n, err := WriteOCSF(context.Background(), &b, inv.st, store.Filter{}, OCSFOptions{Version: "1.2.3", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Errorf("%d events, want 8", n)
	}
	for _, v := range planted() {
		if strings.Contains(b.String(), v) {
			t.Errorf("the export holds the planted value %q in clear", v)
		}
	}
	required := []string{"activity_id", "category_uid", "class_uid", "type_uid", "severity_id", "time",
		"metadata.version", "metadata.product.name", "metadata.product.vendor_name",
		"finding_info.uid", "finding_info.title", "finding_info.analytic.type_id"}
	recommended := []string{"status_id", "confidence_id", "message", "is_alert", "start_time", "end_time", "count",
		"data_security.category_id", "data_security.detection_system_id", "data_security.data_lifecycle_state_id",
		"data_security.detection_pattern", "data_security.pattern_match", "data_security.policy.name", "file.name", "file.path", "file.type_id", "resources"}
	byID := map[string]map[string]any{}
	sc := bufio.NewScanner(&b)
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d is not one JSON object: %v", lines, err)
		}
		for _, k := range append(required, recommended...) {
			if _, ok := get(ev, k); !ok {
				t.Errorf("line %d lacks %s", lines, k)
			}
		}
		num := func(k string) int {
			v, _ := get(ev, k)
			f, _ := v.(float64)
			return int(f)
		}
		if num("class_uid") != 2006 || num("category_uid") != 2 || num("type_uid") != 2006*100+num("activity_id") {
			t.Errorf("line %d: class %d, category %d, type %d", lines, num("class_uid"), num("category_uid"), num("type_uid"))
		}
		if num("time") <= 0 || num("metadata.logged_time") != int(now.UnixMilli()) {
			t.Errorf("line %d: times %d, %d", lines, num("time"), num("metadata.logged_time"))
		}
		if v, _ := get(ev, "metadata.version"); v != OCSFVersion {
			t.Errorf("line %d: schema version %v", lines, v)
		}
		if num("data_security.category_id") == 0 {
			t.Errorf("line %d: no data category", lines)
		}
		uid, _ := get(ev, "finding_info.uid")
		byID[uid.(string)] = ev
	}
	if lines != n {
		t.Errorf("%d lines for %d events", lines, n)
	}
	check := func(id, what string, want map[string]any) {
		ev := byID[id]
		if ev == nil {
			t.Fatalf("%s: no event for finding %s", what, id)
		}
		for k, w := range want {
			if v, _ := get(ev, k); v != w {
				t.Errorf("%s: %s = %v, want %v", what, k, v, w)
			}
		}
	}
	// The acknowledged key, seen by both scans: an update, in progress.
	check(inv.key, "key", map[string]any{"activity_id": 2.0, "status_id": 2.0, "status": "In Progress", "severity_id": 5.0,
		"data_security.category_id": 6.0, "count": 2.0, "is_alert": true, "data_security.pattern_match": "AKIA…ORT7",
		"unmapped.leakguard_status": "acknowledged", "confidence_id": 3.0, "confidence": "High", "file.name": ".env", "metadata.product.version": "1.2.3"})
	// The card, first seen by the last scan: created, new, financial.
	check(inv.card, "card", map[string]any{"activity_id": 1.0, "status_id": 1.0, "severity_id": 4.0, "data_security.category_id": 3.0,
		"file.path": "/srv/share/finance/cards.txt"})
	// The resolved e-mail: closed.
	mail := store.FindingID("email-address", inv.h.Sum([]byte(plantedMail)))
	check(mail, "e-mail", map[string]any{"activity_id": 3.0, "status_id": 4.0, "is_alert": false, "severity_id": 2.0, "data_security.category_id": 1.0})
	// The token inside an archive: the file is the archive, the member is kept.
	token := store.FindingID("slack-bot-token", inv.h.Sum([]byte(plantedToken)))
	check(token, "token", map[string]any{"file.name": "backup.zip"})
	if c, _ := get(byID[token], "unmapped.container"); c == nil || c.([]any)[0] != "slack.txt" {
		t.Errorf("token's member %v", c)
	}

	// A filter selects; decisions map to Suppressed and Other.
	ctx := context.Background()
	if _, err := inv.st.SetStatus(ctx, inv.key, store.FalsePositive, "bob", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := inv.st.SetStatus(ctx, inv.card, store.AcceptedRisk, "bob", ""); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if n, err := WriteOCSF(ctx, &b, inv.st, store.Filter{Status: []store.Status{store.FalsePositive, store.AcceptedRisk}}, OCSFOptions{}); err != nil || n != 2 {
		t.Fatalf("%d events (%v), want 2", n, err)
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatal(err)
		}
		id, _ := get(ev, "status_id")
		act, _ := get(ev, "activity_id")
		if act != 3.0 || (id != 3.0 && id != 99.0) {
			t.Errorf("decision mapped to activity %v, status %v", act, id)
		}
	}
}

func TestOCSFDataCategory(t *testing.T) {
	for _, c := range []struct {
		kind   finding.Kind
		entity string
		want   int
	}{
		{finding.Secret, "", 6}, {finding.PII, "CREDIT_CARD", 3}, {finding.PII, "US_BANK_NUMBER", 3}, {finding.PII, "US_SSN", 2},
		{finding.PII, "PASSPORT", 2}, {finding.PII, "DE_TAX_ID", 2}, {finding.PII, "EMAIL_ADDRESS", 1}, {finding.PII, "PHONE_NUMBER", 1},
		{finding.Marking, "CONFIDENTIAL_MARKING", 4}, {finding.Registered, "RECORD", 4}, {"other", "", 99},
	} {
		if got, _ := ocsfDataCategory(c.kind, c.entity); got != c.want {
			t.Errorf("%s/%s: category %d, want %d", c.kind, c.entity, got, c.want)
		}
	}
}
