package report

import (
	"bytes"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/jsonlist"
)

// The subset of SARIF 2.1.0 that GitHub code scanning reads. Structs rather
// than maps keep the field order fixed, so the output is deterministic.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	toolURI      = "https://github.com/leakguard/leakguard"
	// fingerprintKey names leakguard's fingerprint among partialFingerprints;
	// the suffix versions how it is computed.
	fingerprintKey = "leakguard/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	// Columns count characters (Location.Column), not UTF-16 units.
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           sarifRuleProperty `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperty struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Descriptor sarifDescriptor `json:"descriptor"`
	Locations  []sarifLocation `json:"locations"`
}

type sarifDescriptor struct {
	ID string `json:"id"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	Confidence string   `json:"confidence"`
	Kind       string   `json:"kind"`
	Entity     string   `json:"entity,omitempty"`
	Container  []string `json:"container,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int       `json:"startLine"`
	StartColumn int       `json:"startColumn,omitempty"`
	EndLine     int       `json:"endLine,omitempty"`
	EndColumn   int       `json:"endColumn,omitempty"`
	Snippet     sarifText `json:"snippet"`
}

// sarifLogical names the member of a container that holds the value, since
// the artifact URI must stay the file on disk for code scanning to place it.
type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// writeSARIF writes the document a result at a time: the rest of it is
// encoded whole with an empty result list, which is then filled in place.
// Building every result first and encoding the document at once held the
// findings three times over (results, the encoder's buffer of the whole
// document, its indented copy) and took 11.7 s for 448k findings.
func writeSARIF(w io.Writer, r *Result) error {
	rules, index := rulesFor(r)
	driver := sarifDriver{
		Name:           r.Tool.name(),
		Version:        r.Tool.Version,
		InformationURI: toolURI,
		Rules:          make([]sarifRule, 0, len(rules)),
	}
	for _, ri := range rules {
		driver.Rules = append(driver.Rules, sarifRuleOf(ri))
	}
	notes := make([]sarifNotification, 0, len(r.Errors))
	for _, e := range r.Errors {
		notes = append(notes, sarifNotification{
			Level:      "warning",
			Message:    sarifText{Text: "not scanned: " + e.Location.Where() + ": " + e.Error},
			Descriptor: sarifDescriptor{ID: e.Reason},
			Locations:  []sarifLocation{sarifLocationOf(e.Location, nil)},
		})
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: driver},
			// Item errors do not fail the run: the scan went on and they
			// are listed, as the summary counts them.
			Invocations: []sarifInvocation{{ExecutionSuccessful: true, Notifications: notes}},
			ColumnKind:  "unicodeCodePoints",
			Results:     []sarifResult{},
		}},
	}
	var frame bytes.Buffer
	if err := newEncoder(&frame, true).Encode(log); err != nil {
		return err
	}
	// The results are the run's last field: nothing a rule or an error
	// says comes after them.
	l := jsonlist.New(w, frame.Bytes(), "results")
	var buf bytes.Buffer
	enc := newEncoder(&buf, false)
	if err := r.each(func(_ int, f finding.Finding) error {
		buf.Reset()
		if err := enc.Encode(sarifResultOf(f, index[f.Rule])); err != nil {
			return err
		}
		return l.Add(buf.Bytes())
	}); err != nil {
		return err
	}
	return l.End(frame.Bytes())
}

func sarifRuleOf(ri RuleInfo) sarifRule {
	name := ri.Name
	if name == "" {
		name = ri.ID
	}
	full := ri.Description
	if full == "" {
		full = name
	}
	// SARIF wants tags unique.
	tags := []string{string(ri.Kind)}
	if ri.Entity != "" && ri.Entity != string(ri.Kind) {
		tags = append(tags, ri.Entity)
	}
	return sarifRule{
		ID:                   ri.ID,
		Name:                 name,
		ShortDescription:     sarifText{Text: name},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifText{Text: full + "\n\n" + advice(ri.Kind)},
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(ri.Severity)},
		Properties:           sarifRuleProperty{Tags: tags, SecuritySeverity: securitySeverity(ri.Severity)},
	}
}

// advice is the help text's "what to do", by kind.
func advice(k finding.Kind) string {
	var do string
	switch k {
	case finding.Secret:
		do = "Revoke and rotate the credential first, then remove it from the file and from history."
	case finding.PII:
		do = "Remove or mask the personal data, or move it to a system meant to hold it."
	case finding.Marking:
		do = "Check that a document with this classification marking may be kept here."
	case finding.Registered:
		do = "This is the organisation's own registered data: find out how it got here and remove it."
	default:
		do = "Review the value and remove it if it should not be here."
	}
	return do + " If the finding is a false positive, add it to the baseline."
}

// sarifResultOf shows the masked value only: SARIF files are uploaded to
// third-party services, so --show-secrets does not reach them.
func sarifResultOf(f finding.Finding, ruleIndex int) sarifResult {
	name := f.Rule
	if f.Name != "" && f.Name != f.Rule {
		name = f.Rule + " (" + f.Name + ")"
	}
	res := sarifResult{
		RuleID:    f.Rule,
		RuleIndex: ruleIndex,
		Level:     sarifLevel(f.Severity),
		Message:   sarifText{Text: name + " found " + f.Masked},
		Locations: []sarifLocation{sarifLocationOf(f.Location, &f.Masked)},
		Properties: sarifResultProps{
			Confidence: f.Confidence.String(),
			Kind:       string(f.Kind),
			Entity:     f.Entity,
			Container:  f.Location.Container,
		},
	}
	if f.Fingerprint != "" {
		res.PartialFingerprints = map[string]string{fingerprintKey: f.Fingerprint}
	}
	return res
}

// sarifLocationOf places a location on its file. A region is written when
// snippet is given (a finding, not an item error); SARIF lines start at 1, so
// an unknown line (0) becomes 1 and an unknown column is left out.
func sarifLocationOf(l finding.Location, snippet *string) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(l.Path)}}}
	if len(l.Container) > 0 {
		loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: l.Where(), Kind: "resource"}}
	}
	if snippet != nil {
		reg := &sarifRegion{StartLine: max(l.Line, 1), Snippet: sarifText{Text: *snippet}}
		if l.Line > 0 {
			reg.StartColumn = max(l.Column, 0) // 0 is left out
			if l.EndLine >= l.Line {
				reg.EndLine = l.EndLine
				reg.EndColumn = max(l.EndColumn, 0)
			}
		}
		loc.PhysicalLocation.Region = reg
	}
	return loc
}

// artifactURI turns a path into a URI reference: slash-separated, relative
// paths kept relative (code scanning resolves them against the repository),
// absolute ones as file URIs, and characters a URI cannot hold (spaces,
// non-ASCII, %) percent-encoded.
func artifactURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows volume: file:///C:/…
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.SevHigh:
		return "error"
	case finding.SevMed:
		return "warning"
	}
	return "note"
}

// securitySeverity maps a severity onto the 0–10 scale GitHub reads from
// properties["security-severity"] (as a string): above 9 is critical, 7–8.9
// high, 4–6.9 medium, below 4 low.
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return "9.5"
	case finding.SevHigh:
		return "8.0"
	case finding.SevMed:
		return "5.5"
	case finding.SevLow:
		return "3.0"
	case finding.Info:
		return "1.0"
	}
	return ""
}
