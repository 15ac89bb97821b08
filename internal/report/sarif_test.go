package report

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

// sarifDoc decodes the parts of a SARIF log the checks look at.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string    `json:"id"`
					Name             string    `json:"name"`
					ShortDescription sarifText `json:"shortDescription"`
					FullDescription  sarifText `json:"fullDescription"`
					Help             sarifText `json:"help"`
					Properties       struct {
						Tags             []string `json:"tags"`
						SecuritySeverity string   `json:"security-severity"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful *bool             `json:"executionSuccessful"`
			Notifications       []json.RawMessage `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string    `json:"ruleId"`
			RuleIndex *int      `json:"ruleIndex"`
			Level     string    `json:"level"`
			Message   sarifText `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int       `json:"startLine"`
						Snippet   sarifText `json:"snippet"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []sarifLogical `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          map[string]any    `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, r *Result) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(render(t, "sarif", r), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("want one run, got %d", len(d.Runs))
	}
	return d
}

// The log has what GitHub code scanning requires and reads.
func TestSARIFStructure(t *testing.T) {
	in := fixture()
	d := decodeSARIF(t, in)
	if d.Version != "2.1.0" || !strings.Contains(d.Schema, "sarif-schema-2.1.0") {
		t.Errorf("version %q, schema %q", d.Version, d.Schema)
	}
	run := d.Runs[0]
	drv := run.Tool.Driver
	if drv.Name != "leakguard" || drv.Version != "1.2.3" || drv.InformationURI != "https://github.com/leakguard/leakguard" {
		t.Errorf("driver %q %q %q", drv.Name, drv.Version, drv.InformationURI)
	}
	severityOf := map[string]finding.Severity{}
	for _, f := range in.Findings {
		severityOf[f.Rule] = f.Severity
	}
	wantScore := map[finding.Severity]float64{finding.Critical: 9.5, finding.SevHigh: 8.0, finding.SevMed: 5.5, finding.SevLow: 3.0, finding.Info: 1.0}
	for _, rule := range drv.Rules {
		if rule.ID == "" || rule.Name == "" || rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" || rule.Help.Text == "" {
			t.Errorf("rule %q lacks id, name or a description: %+v", rule.ID, rule)
		}
		if len(rule.Properties.Tags) == 0 {
			t.Errorf("rule %q has no tags", rule.ID)
		}
		score, err := strconv.ParseFloat(rule.Properties.SecuritySeverity, 64)
		if err != nil || score < 0 || score > 10 {
			t.Errorf("rule %q: security-severity %q is not a number in 0..10", rule.ID, rule.Properties.SecuritySeverity)
		}
		if want := wantScore[severityOf[rule.ID]]; score != want {
			t.Errorf("rule %q: security-severity %v, want %v", rule.ID, score, want)
		}
	}
	if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful == nil || !*run.Invocations[0].ExecutionSuccessful {
		t.Error("invocations[0].executionSuccessful should be true")
	} else if got := len(run.Invocations[0].Notifications); got != len(in.Errors) {
		t.Errorf("%d notifications for %d item errors", got, len(in.Errors))
	}

	if len(run.Results) != len(in.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(in.Findings))
	}
	wantLevel := map[finding.Severity]string{finding.Critical: "error", finding.SevHigh: "error", finding.SevMed: "warning", finding.SevLow: "note", finding.Info: "note"}
	for i, res := range run.Results {
		f := in.Findings[i]
		if res.RuleIndex == nil || *res.RuleIndex < 0 || *res.RuleIndex >= len(drv.Rules) || drv.Rules[*res.RuleIndex].ID != res.RuleID || res.RuleID != f.Rule {
			t.Errorf("result %d: ruleId %q, ruleIndex %v does not point at it", i, res.RuleID, res.RuleIndex)
		}
		if res.Level != wantLevel[f.Severity] {
			t.Errorf("result %d: level %q, want %q", i, res.Level, wantLevel[f.Severity])
		}
		if !strings.Contains(res.Message.Text, f.Rule) || !strings.Contains(res.Message.Text, f.Masked) {
			t.Errorf("result %d: message %q should name the rule and the masked value", i, res.Message.Text)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(res.Locations))
		}
		loc := res.Locations[0]
		if loc.PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("result %d: startLine %d < 1", i, loc.PhysicalLocation.Region.StartLine)
		}
		if loc.PhysicalLocation.Region.Snippet.Text != f.Masked {
			t.Errorf("result %d: snippet %q, want the masked value", i, loc.PhysicalLocation.Region.Snippet.Text)
		}
		if uri := loc.PhysicalLocation.ArtifactLocation.URI; strings.Contains(uri, "!") || uri == "" {
			t.Errorf("result %d: uri %q should be the file alone", i, uri)
		}
		if len(f.Location.Container) > 0 && (len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].FullyQualifiedName != f.Location.Where()) {
			t.Errorf("result %d: container chain missing from logicalLocations: %+v", i, loc.LogicalLocations)
		}
		if res.PartialFingerprints["leakguard/v1"] != f.Fingerprint {
			t.Errorf("result %d: partialFingerprints %v", i, res.PartialFingerprints)
		}
		if res.Properties["confidence"] != f.Confidence.String() || res.Properties["kind"] != string(f.Kind) {
			t.Errorf("result %d: properties %v", i, res.Properties)
		}
	}
}

// SARIF files are uploaded elsewhere: the value in clear never goes there,
// even when the user asked for it, while JSON carries it (the opt-in).
func TestSARIFNeverShowsSecret(t *testing.T) {
	r := fixture()
	for i := range r.Findings {
		r.Findings[i].Secret = "plain-" + strconv.Itoa(i) + "-Zq7Wx3Rk9Lm2Np5"
	}
	sarif, js := string(render(t, "sarif", r)), string(render(t, "json", r))
	for _, f := range r.Findings {
		if strings.Contains(sarif, f.Secret) {
			t.Errorf("SARIF contains the plaintext of %s", f.Rule)
		}
		if !strings.Contains(js, f.Secret) {
			t.Errorf("JSON lacks the requested plaintext of %s", f.Rule)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	for in, want := range map[string]string{
		"config/app.env":         "config/app.env",
		"données/résumé été.pdf": "donn%C3%A9es/r%C3%A9sum%C3%A9%20%C3%A9t%C3%A9.pdf",
		"/srv/data/a b.txt":      "file:///srv/data/a%20b.txt",
		"100%.txt":               "100%25.txt",
		"a#b?.txt":               "a%23b%3F.txt",
		"c:d/x":                  "./c:d/x", // not read as a URI scheme
	} {
		if got := artifactURI(in); got != want {
			t.Errorf("artifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// The log written a result at a time is byte for byte the whole document
// encoding/json writes with a two-space indent.
func TestSARIFIsEncodingJSONIndented(t *testing.T) {
	full := fixture()
	full.Findings = append(full.Findings, finding.Finding{Rule: "x", Name: `"quoted" [name]`,
		Location: finding.Location{Path: `/abs/dir with space/{a}.txt`, Container: []string{"m.zip", `b"c`}, Line: 2}, Masked: `a\b:c,d`})
	for _, r := range []*Result{full, {Tool: ToolInfo{Version: "1"}}} {
		rules, index := rulesFor(r)
		driver := sarifDriver{Name: r.Tool.name(), Version: r.Tool.Version, InformationURI: toolURI, Rules: []sarifRule{}}
		for _, ri := range rules {
			driver.Rules = append(driver.Rules, sarifRuleOf(ri))
		}
		results := []sarifResult{}
		for _, f := range r.Findings {
			results = append(results, sarifResultOf(f, index[f.Rule]))
		}
		notes := []sarifNotification{}
		for _, e := range r.Errors {
			notes = append(notes, sarifNotification{Level: "warning", Message: sarifText{Text: "not scanned: " + e.Location.Where() + ": " + e.Error},
				Descriptor: sarifDescriptor{ID: e.Reason}, Locations: []sarifLocation{sarifLocationOf(e.Location, nil)}})
		}
		var want strings.Builder
		if err := newEncoder(&want, true).Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{
			Tool: sarifTool{Driver: driver}, Invocations: []sarifInvocation{{ExecutionSuccessful: true, Notifications: notes}},
			ColumnKind: "unicodeCodePoints", Results: results}}}); err != nil {
			t.Fatal(err)
		}
		if got := string(render(t, "sarif", r)); got != want.String() {
			t.Errorf("%d findings:\n got %s\nwant %s", len(r.Findings), got, want.String())
		}
	}
}
