package icap

import (
	"html"
	"strings"
	"unicode"
)

// maxReasonRunes bounds the reason shown on the page: it names a policy, it
// is not a report.
const maxReasonRunes = 200

// blockPage is the HTML body of the 403 that replaces a blocked message. It
// says which policy stopped the transfer and nothing of the content.
func blockPage(method, reason string) []byte {
	what := "upload"
	if method == methodRESPMOD {
		what = "download"
	}
	reason = cleanReason(reason)
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
	b.WriteString("<title>Blocked by data-leak policy</title></head>\n<body>\n")
	b.WriteString("<h1>Blocked by data-leak policy</h1>\n")
	b.WriteString("<p>This " + what + " was stopped by your organisation's leakguard policy")
	if reason != "" {
		b.WriteString(": <strong>" + html.EscapeString(reason) + "</strong>")
	}
	b.WriteString(".</p>\n<p>Nothing was sent. If you think this is a mistake, ")
	b.WriteString("contact your IT security team.</p>\n</body></html>\n")
	return []byte(b.String())
}

// cleanReason keeps a reason to one short printable line.
func cleanReason(reason string) string {
	reason = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, reason)
	reason = strings.TrimSpace(reason)
	if r := []rune(reason); len(r) > maxReasonRunes {
		reason = string(r[:maxReasonRunes]) + "…"
	}
	return reason
}
