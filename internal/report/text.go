package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/finding"
)

// maxListedErrors bounds the item errors the text summary spells out; the
// count covers them all.
const maxListedErrors = 20

// ANSI styles for the text report.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// Text is the report for a person at a terminal: one block per finding, then
// a summary of what was scanned, found, skipped and suppressed.
type Text struct {
	color bool
}

// NewText returns the text writer; color adds ANSI styles, for a TTY.
func NewText(color bool) *Text { return &Text{color: color} }

func (t *Text) paint(style, s string) string {
	if !t.color || s == "" {
		return s
	}
	return style + s + ansiReset
}

// Write writes the findings and the summary. A finding's value in clear is
// shown only when the finding carries it (the user asked, --show-secrets), on
// its own line so that it is not mistaken for the masked preview.
func (t *Text) Write(w io.Writer, r *Result) error {
	bw := bufio.NewWriter(w)
	r.each(func(_ int, f finding.Finding) error { t.finding(bw, f); return nil })
	if r.count() > 0 {
		bw.WriteString("\n")
	}
	t.summary(bw, r)
	return bw.Flush()
}

func (t *Text) finding(w *bufio.Writer, f finding.Finding) {
	l := f.Location
	where := clean(l.Path)
	if l.Line > 0 {
		where += ":" + strconv.Itoa(l.Line)
		if l.Column > 0 {
			where += ":" + strconv.Itoa(l.Column)
		}
	}
	tag := string(f.Kind)
	if f.Entity != "" {
		tag += "/" + f.Entity
	}
	fmt.Fprintf(w, "%s  %s  [%s]  %s  %s  %s\n",
		t.paint(ansiBold, where), t.paint(ansiCyan, clean(f.Rule)), clean(tag),
		f.Confidence, t.paint(severityStyle(f.Severity), string(f.Severity)), clean(f.Masked))
	if len(l.Container) > 0 {
		parts := make([]string, len(l.Container))
		for i, c := range l.Container {
			parts[i] = clean(c)
		}
		fmt.Fprintf(w, "    in %s\n", t.paint(ansiDim, strings.Join(parts, " > ")))
	}
	if f.Secret != "" {
		fmt.Fprintf(w, "    secret: %s\n", t.paint(ansiRed, clean(f.Secret)))
	}
}

func severityStyle(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.SevHigh:
		return ansiRed + ansiBold
	case finding.SevMed:
		return ansiYellow
	}
	return ansiDim
}

func (t *Text) summary(w *bufio.Writer, r *Result) {
	s := r.Stats
	fmt.Fprintf(w, "Scanned %d %s, %s in %s\n", s.Items, plural(s.Items, "item", "items"),
		humanBytes(s.Bytes), time.Duration(s.DurationMS)*time.Millisecond)

	n := int64(r.count())
	line := fmt.Sprintf("Findings: %d", n)
	if n > 0 {
		kinds := map[string]int64{}
		conf := map[string]int64{}
		r.each(func(_ int, f finding.Finding) error {
			kinds[string(f.Kind)]++
			conf[f.Confidence.String()]++
			return nil
		})
		line += " (" + counts(kinds, nil) + "; confidence " +
			counts(conf, []string{"high", "medium", "low", "unset"}) + ")"
	}
	fmt.Fprintln(w, t.paint(ansiBold, line))

	if ne := max(s.Errors, int64(len(r.Errors))); ne > 0 {
		fmt.Fprintf(w, "Item errors: %d\n", ne)
		for i, e := range r.Errors {
			if i == maxListedErrors {
				fmt.Fprintf(w, "  … and %d more\n", ne-maxListedErrors)
				break
			}
			fmt.Fprintf(w, "  %s  %s  %s\n", clean(e.Location.Where()), t.paint(ansiYellow, clean(e.Reason)), clean(e.Error))
		}
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "Skipped: %d (%s)\n", total(s.Skipped), counts(s.Skipped, nil))
	}
	if len(s.Suppressed) > 0 {
		fmt.Fprintf(w, "Suppressed: %d (%s)\n", total(s.Suppressed), counts(s.Suppressed, nil))
	}
	if s.Cached > 0 {
		fmt.Fprintf(w, "Unchanged since the cached scan: %d %s (results replayed, not read)\n", s.Cached, plural(s.Cached, "item", "items"))
	}
	if s.Deduped > 0 {
		fmt.Fprintf(w, "Duplicate members: %d (same content seen before in this scan, reported again without a rescan)\n", s.Deduped)
	}
}

// counts renders "a 2, b 1": keys in order when given (zero counts left
// out), else all keys sorted.
func counts(m map[string]int64, order []string) string {
	if order == nil {
		order = make([]string, 0, len(m))
		for k := range m {
			order = append(order, k)
		}
		slices.Sort(order)
	}
	var parts []string
	for _, k := range order {
		if m[k] != 0 {
			parts = append(parts, clean(k)+" "+strconv.FormatInt(m[k], 10))
		}
	}
	return strings.Join(parts, ", ")
}

func total(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// humanBytes writes a size in binary units: "512 B", "1.5 KiB", "3.2 GiB".
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// clean makes scanned text safe to print on a terminal: a file name or value
// holding escape sequences could otherwise move the cursor, rewrite earlier
// lines or set the window title. Control and format characters and bytes
// that are not UTF-8 (0x9b alone is CSI to an 8-bit terminal) are shown
// escaped, like Go's %q without the quotes; all other text passes unchanged.
func clean(s string) string {
	if printableASCII(s) || utf8.ValidString(s) && !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unsafeRune(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// printableASCII reports whether s is all ASCII from space to tilde: what
// paths, rules and masked values nearly always are, and what clean passes
// as it is without decoding a rune or searching Unicode's tables for it
// (half of writing a text report of 448k findings).
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// unsafeRune reports control characters and the format characters (Cf, the
// bidirectional overrides among them) that can change what a terminal shows.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}
