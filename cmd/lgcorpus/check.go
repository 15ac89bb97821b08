package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leakguard/leakguard/internal/keyed"
)

// The recall check: every planted value must be reported by leakguard,
// at its place, by a rule meant for its kind. Findings are read from a
// `leakguard scan --format jsonl` report.

// acceptedRules names, per planted kind, the rules whose finding counts
// as finding the value. A value reported only by some other rule is
// listed apart: found, but under an unexpected name.
func acceptedRules(kind, rule string) bool {
	switch kind {
	case kindEmail:
		return rule == "email-address"
	case kindPhone:
		return strings.HasPrefix(rule, "phone-number")
	case kindSSN:
		return rule == "us-ssn"
	case kindIBAN:
		return rule == "iban"
	case kindCard:
		return rule == "credit-card"
	case kindAWSKeyID:
		return rule == "aws-access-key-id"
	case kindAWSSecret:
		// Under a key that does not name AWS (aws: {secret_access_key: …})
		// only the generic rule can know it is a secret.
		return rule == "aws-secret-access-key" || rule == "aws-access-key-pair" || rule == "generic-password-assignment"
	case kindGitHub:
		return rule == "github-personal-access-token"
	case kindSlack:
		return rule == "slack-bot-token"
	case kindStripe:
		return rule == "stripe-live-secret-key"
	case kindPrivateKey:
		return strings.HasPrefix(rule, "private-key-")
	case kindPostgres:
		return rule == "postgres-uri-password"
	case kindPassword:
		return rule == "generic-password-assignment"
	}
	return false
}

// reported is the part of a leakguard JSONL finding the check needs.
type reported struct {
	Rule        string `json:"rule"`
	Fingerprint string `json:"fingerprint"`
	Location    struct {
		Path      string `json:"path"`
		Line      int    `json:"line"`
		Offset    int    `json:"offset"`
		EndOffset int    `json:"end_offset"`
	} `json:"location"`
}

// maxSpan bounds how far before a planted value a finding covering it can
// start (a PEM block is the longest).
const maxSpan = 16 << 10

// checkRecall compares the findings with the manifest of the corpus in
// dir and writes a summary to out. It returns the number of planted values
// not found by an accepted rule.
func checkRecall(out io.Writer, m *Manifest, dir, findingsPath string, verbose bool) (int, error) {
	byFile, other, err := readFindings(dir, findingsPath)
	if err != nil {
		return 0, err
	}
	// With the installation key the scan used ($LEAKGUARD_KEY, as
	// scripts/bench.sh sets it), values found inside extracted files can be
	// matched by fingerprint.
	var hasher *keyed.Hasher
	if k := os.Getenv(keyed.EnvKey); k != "" {
		key, err := hex.DecodeString(k)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", keyed.EnvKey, err)
		}
		hasher = keyed.New(key)
	}
	type tally struct{ planted, found, elsewhere int }
	tallies := map[string]*tally{}
	var missed []string
	matched := map[*reported]bool{}
	for _, p := range m.Planted {
		t := tallies[p.Kind]
		if t == nil {
			t = &tally{}
			tallies[p.Kind] = t
		}
		t.planted++
		fs := byFile[p.File]
		i := sort.Search(len(fs), func(i int) bool { return fs[i].Location.Offset >= p.Offset-maxSpan })
		var ok bool
		var others []string
		for ; i < len(fs) && fs[i].Location.Offset < p.End; i++ {
			f := fs[i]
			if f.Location.EndOffset <= p.Offset {
				continue
			}
			matched[f] = true
			if acceptedRules(p.Kind, f.Rule) {
				ok = true
			} else {
				others = append(others, f.Rule)
			}
		}
		if !ok && hasher != nil {
			// Inside a document or a mail the finding's position is in
			// the extracted text, not the file: match by the keyed
			// fingerprint of the value instead.
			// A finding covering only part of the value (a password cut at
			// an '&') counts, as an overlapping position does above.
			sums := map[string]bool{hasher.Sum([]byte(p.Value)): true}
			for i := 8; i < len(p.Value); i++ {
				if c := p.Value[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
					sums[hasher.Sum([]byte(p.Value[:i]))] = true
				}
			}
			for _, f := range byFile[p.File] {
				if sums[f.Fingerprint] && acceptedRules(p.Kind, f.Rule) {
					ok, matched[f] = true, true
					break
				}
			}
		}
		switch {
		case ok:
			t.found++
		default:
			if len(others) > 0 {
				t.elsewhere++
			}
			msg := fmt.Sprintf("  %s:%d:%d %s %q", p.File, p.Line, p.Col, p.Kind, abbreviate(p.Value))
			if len(others) > 0 {
				msg += " (reported as " + strings.Join(others, ", ") + ")"
			}
			missed = append(missed, msg)
		}
	}

	total, found := 0, 0
	fmt.Fprintf(out, "planted-value recall (%s):\n", findingsPath)
	fmt.Fprintf(out, "  %-22s %8s %8s %8s %s\n", "kind", "planted", "found", "missed", "(of which reported by another rule)")
	for _, k := range sortedKeys(tallies) {
		t := tallies[k]
		total += t.planted
		found += t.found
		fmt.Fprintf(out, "  %-22s %8d %8d %8d", k, t.planted, t.found, t.planted-t.found)
		if t.elsewhere > 0 {
			fmt.Fprintf(out, " (%d)", t.elsewhere)
		}
		fmt.Fprintln(out)
	}
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(found) / float64(total)
	}
	fmt.Fprintf(out, "  %-22s %8d %8d %8d  recall %.3f%%\n", "all", total, found, total-found, pct)
	if len(missed) > 0 {
		fmt.Fprintln(out, "missed:")
		limit := len(missed)
		if !verbose {
			limit = min(limit, 40)
		}
		for _, s := range missed[:limit] {
			fmt.Fprintln(out, s)
		}
		if limit < len(missed) {
			fmt.Fprintf(out, "  … and %d more (-v lists all)\n", len(missed)-limit)
		}
	}

	// What else leakguard reported in the generated data: noise the
	// generator put there on purpose (IP addresses, UUIDs) and false
	// positives. Findings outside the generated folder are counted apart.
	extra := map[string]int{}
	for _, fs := range byFile {
		for _, f := range fs {
			if !matched[f] {
				extra[f.Rule]++
			}
		}
	}
	if len(extra) > 0 {
		fmt.Fprintln(out, "other findings in the generated data, by rule:")
		keys := sortedKeys(extra)
		sort.SliceStable(keys, func(i, j int) bool { return extra[keys[i]] > extra[keys[j]] })
		for _, k := range keys {
			fmt.Fprintf(out, "  %-40s %8d\n", k, extra[k])
		}
	}
	fmt.Fprintf(out, "findings outside the generated data: %d\n", other)
	return total - found, nil
}

// readFindings loads the findings under dir, by path relative to dir,
// sorted by offset; it counts the others.
func readFindings(dir, path string) (map[string][]*reported, int, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	byFile := map[string][]*reported{}
	other := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var r reported
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, 0, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		p, err := filepath.Abs(r.Location.Path)
		if err != nil {
			return nil, 0, err
		}
		rel, err := filepath.Rel(absDir, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			other++
			continue
		}
		rel = filepath.ToSlash(rel)
		byFile[rel] = append(byFile[rel], &r)
	}
	if err := sc.Err(); err != nil {
		return nil, 0, err
	}
	for _, fs := range byFile {
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Location.Offset < fs[j].Location.Offset })
	}
	return byFile, other, nil
}

func abbreviate(s string) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if len(s) > 60 {
		return s[:40] + "…" + s[len(s)-12:]
	}
	return s
}
