package accuracy

import (
	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
)

// PresidioEntity maps a rule's entity name to Presidio's where the two
// differ; names that are already Presidio's come back unchanged. A date of
// birth is deliberately not DATE_TIME: Presidio's DATE_TIME is any date, so
// a birth-date rule would be scored against a task it does not attempt.
func PresidioEntity(e string) string {
	switch e {
	case "IBAN":
		return "IBAN_CODE"
	case "EMAIL", "E_MAIL":
		return "EMAIL_ADDRESS"
	case "PHONE":
		return "PHONE_NUMBER"
	case "SSN":
		return "US_SSN"
	case "IP", "IPV4", "IPV6", "IPV4_ADDRESS", "IPV6_ADDRESS":
		return "IP_ADDRESS"
	case "CARD", "PAYMENT_CARD", "CREDIT_CARD_NUMBER":
		return "CREDIT_CARD"
	case "MAC":
		return "MAC_ADDRESS"
	case "CRYPTO_WALLET":
		return "CRYPTO"
	case "FI_HETU":
		return "FI_PERSONAL_IDENTITY_CODE"
	case "ZA_ID":
		return "ZA_ID_NUMBER"
	}
	return e
}

// claimedEntities lists the Presidio entity names that at least one of the
// engine's PII rules reports.
func claimedEntities(e *detect.Engine) map[string]bool {
	out := map[string]bool{}
	for _, r := range e.Rules() {
		if r.Kind == finding.PII && r.Entity != "" {
			out[PresidioEntity(r.Entity)] = true
		}
	}
	return out
}
