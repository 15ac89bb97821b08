package invreport

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/redact"
	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/sqlite"
)

// Planted values in documented formats; none is a real credential or person.
const (
	plantedKey   = "AKIAQ4PLANTEDREPORT7"
	plantedPass  = "Planted-Report-Passw0rd!"
	plantedMail  = "ada.planted@example.org"
	plantedCard  = "4111111111111111"
	plantedToken = "xoxb-1111111111-planted-report-token"
)

// hostilePath is a folder and file name an attacker may give a file on a
// share: markup that must stay text in the page.
const hostilePath = `/srv/share/<img src=x onerror=alert(1)>/<script>alert("pwned")</script>&co.env`

// inventory is a store holding two scans of /srv/share and a triage
// decision:
//
//	scan 1: a key in app/.env and app/old/.env; a password under the hostile
//	        path; an e-mail in hr/list.txt; records 1, 2 and 3 of set
//	        hr-people in hr/export.csv (row 3 also in tmp/x.csv); a token
//	        in backup.zip!slack.txt
//	scan 2: the e-mail is gone (resolved); a card number is new in
//	        finance/cards.txt
//	then alice acknowledges the key.
type inventory struct {
	st   store.Store
	h    *keyed.Hasher
	key  string // the key's finding id
	card string
}

func newInventory(t *testing.T) *inventory {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	inv := &inventory{st: st, h: keyed.New([]byte("invreport test"))}
	mk := func(rule, name string, kind finding.Kind, entity string, sev finding.Severity, value, path string, line int) finding.Finding {
		return finding.Finding{Rule: rule, Name: name, Kind: kind, Entity: entity, Confidence: finding.High, Severity: sev,
			Location: finding.Location{Path: path, Line: line, Column: 1, Offset: int64(line * 10), EndOffset: int64(line*10 + len(value))},
			Masked:   redact.Mask(value), Fingerprint: inv.h.Sum([]byte(value))}
	}
	key := func(p string) finding.Finding {
		return mk("aws-access-key", "AWS access key ID", finding.Secret, "", finding.Critical, plantedKey, p, 1)
	}
	rec := func(row int64, p string) finding.Finding {
		f := mk("registered-record", "Record of a registered set", finding.Registered, "RECORD", finding.Critical, "hr-people row "+string(rune('0'+row)), p, int(row))
		f.Masked = "hr-people row"
		f.Match = &finding.Match{Set: "hr-people", Type: "records", Row: row, Columns: []string{"name", "iban"}}
		return f
	}
	token := mk("slack-bot-token", "Slack bot token", finding.Secret, "", finding.SevHigh, plantedToken, "/srv/share/backup.zip", 3)
	token.Location.Container = []string{"slack.txt"}
	base := []finding.Finding{key("/srv/share/app/.env"), key("/srv/share/app/old/.env"),
		mk("generic-password", "Password in configuration", finding.Secret, "", finding.SevHigh, plantedPass, hostilePath, 2),
		rec(1, "/srv/share/hr/export.csv"), rec(2, "/srv/share/hr/export.csv"), rec(3, "/srv/share/hr/export.csv"), rec(3, "/srv/share/tmp/x.csv"),
		token}
	mail := mk("email-address", "E-mail address", finding.PII, "EMAIL_ADDRESS", finding.SevLow, plantedMail, "/srv/share/hr/list.txt", 4)
	card := mk("credit-card", "Payment card number", finding.PII, "CREDIT_CARD", finding.SevHigh, plantedCard, "/srv/share/finance/cards.txt", 7)
	start := time.Now().Add(-48 * time.Hour)
	for i, fs := range [][]finding.Finding{append(base, mail), append(base, card)} {
		id, err := st.BeginScan(ctx, store.ScanStart{Roots: []string{"/srv/share"}, Version: "test", Digest: "d", Started: start.Add(time.Duration(i) * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Write(ctx, id, store.Batch{Findings: fs}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.FinishScan(ctx, id, store.ScanEnd{Finished: start.Add(time.Duration(i)*24*time.Hour + time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	inv.key = store.FindingID("aws-access-key", inv.h.Sum([]byte(plantedKey)))
	inv.card = store.FindingID("credit-card", inv.h.Sum([]byte(plantedCard)))
	if _, err := st.SetStatus(ctx, inv.key, store.Acknowledged, "alice", "rotating"); err != nil {
		t.Fatal(err)
	}
	return inv
}

// planted lists every value the fixture planted, for the plaintext checks.
func planted() []string {
	return []string{plantedKey, plantedPass, plantedMail, plantedCard, plantedToken}
}
