package invreport

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

// The OCSF export: one Data Security Finding (class 2006 of category 2,
// Findings) per inventory finding, as JSON Lines, one event a line, so that
// a SIEM or a data lake ingests it as it streams and a million findings are
// never held at once. The fields follow OCSF 1.4.0; what OCSF has no
// place for (keyed fingerprint, kind, entity, archive members) goes under
// "unmapped".
const (
	OCSFVersion   = "1.4.0"
	ocsfCategory  = 2
	ocsfClass     = 2006
	ocsfClassName = "Data Security Finding"
)

type ocsfEvent struct {
	ActivityID   int    `json:"activity_id"`
	ActivityName string `json:"activity_name"`
	CategoryUID  int    `json:"category_uid"`
	CategoryName string `json:"category_name"`
	ClassUID     int    `json:"class_uid"`
	ClassName    string `json:"class_name"`
	TypeUID      int    `json:"type_uid"`
	TypeName     string `json:"type_name"`
	SeverityID   int    `json:"severity_id"`
	Severity     string `json:"severity"`
	StatusID     int    `json:"status_id"`
	Status       string `json:"status"`
	ConfidenceID int    `json:"confidence_id,omitempty"`
	Confidence   string `json:"confidence,omitempty"`
	// Times are milliseconds since the epoch. Time is when the finding was
	// first seen (created); start and end span the scans that saw it.
	Time      int64            `json:"time"`
	StartTime int64            `json:"start_time"`
	EndTime   int64            `json:"end_time"`
	Count     int64            `json:"count"` // places
	Message   string           `json:"message"`
	IsAlert   bool             `json:"is_alert"`
	Metadata  ocsfMetadata     `json:"metadata"`
	Info      ocsfFindingInfo  `json:"finding_info"`
	DataSec   ocsfDataSecurity `json:"data_security"`
	File      *ocsfFile        `json:"file,omitempty"`
	Resources []ocsfResource   `json:"resources,omitempty"`
	Unmapped  ocsfUnmapped     `json:"unmapped"`
}

type ocsfMetadata struct {
	Version string      `json:"version"`
	Product ocsfProduct `json:"product"`
	// LoggedTime is when this export was written.
	LoggedTime int64 `json:"logged_time"`
}

type ocsfProduct struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
	Version    string `json:"version,omitempty"`
	URL        string `json:"url_string"`
}

type ocsfFindingInfo struct {
	UID           string       `json:"uid"`
	Title         string       `json:"title"`
	Desc          string       `json:"desc,omitempty"`
	Types         []string     `json:"types"`
	CreatedTime   int64        `json:"created_time"`
	FirstSeenTime int64        `json:"first_seen_time"`
	LastSeenTime  int64        `json:"last_seen_time"`
	ModifiedTime  int64        `json:"modified_time"`
	Analytic      ocsfAnalytic `json:"analytic"`
}

type ocsfAnalytic struct {
	UID    string `json:"uid"`
	Name   string `json:"name"`
	TypeID int    `json:"type_id"` // 1: Rule
	Type   string `json:"type"`
}

type ocsfDataSecurity struct {
	CategoryID           int        `json:"category_id"`
	Category             string     `json:"category"`
	DataLifecycleStateID int        `json:"data_lifecycle_state_id"`
	DataLifecycleState   string     `json:"data_lifecycle_state"`
	DetectionSystemID    int        `json:"detection_system_id"`
	DetectionSystem      string     `json:"detection_system"`
	DetectionPattern     string     `json:"detection_pattern"`
	PatternMatch         string     `json:"pattern_match"` // the masked preview, never the value
	Policy               ocsfPolicy `json:"policy"`
}

type ocsfPolicy struct {
	UID  string `json:"uid"`
	Name string `json:"name"`
}

type ocsfFile struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	TypeID int    `json:"type_id"` // 1: Regular File
	Type   string `json:"type"`
}

type ocsfResource struct {
	UID  string `json:"uid"`
	Name string `json:"name"`
	Type string `json:"type"`
}

type ocsfUnmapped struct {
	Fingerprint string   `json:"fingerprint"`
	Kind        string   `json:"kind"`
	Entity      string   `json:"entity,omitempty"`
	Status      string   `json:"leakguard_status"`
	FirstScan   int64    `json:"first_scan"`
	LastScan    int64    `json:"last_scan"`
	Container   []string `json:"container,omitempty"`
}

// OCSFOptions describe the export.
type OCSFOptions struct {
	Version string    // leakguard's version, for metadata.product
	Now     time.Time // metadata.logged_time; now when zero
}

// WriteOCSF writes the findings that pass f as OCSF Data Security Findings,
// one JSON object a line, reading the inventory a page at a time. It returns
// the number written.
func WriteOCSF(ctx context.Context, w io.Writer, st store.Store, f store.Filter, o OCSFOptions) (int, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	l, err := NewList(ctx, st, f)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range l.Len() {
		sf, ok := l.Get(i)
		if !ok {
			return i, l.Err()
		}
		if err := enc.Encode(OCSFEvent(sf, o)); err != nil {
			return i, err
		}
	}
	return l.Len(), bw.Flush()
}

// OCSFEvent maps one inventory finding onto OCSF.
func OCSFEvent(f store.Finding, o OCSFOptions) any {
	activity, activityName := 1, "Create"
	switch {
	case closed(f.Status):
		activity, activityName = 3, "Close"
	case f.LastScan > f.FirstScan:
		activity, activityName = 2, "Update"
	}
	sevID, sev := ocsfSeverity(f.Severity)
	statusID, status := ocsfStatus(f.Status)
	name := f.Name
	if name == "" {
		name = f.Rule
	}
	catID, cat := ocsfDataCategory(f.Kind, f.Entity)
	where := f.Where.Where()
	ev := ocsfEvent{
		ActivityID: activity, ActivityName: activityName,
		CategoryUID: ocsfCategory, CategoryName: "Findings",
		ClassUID: ocsfClass, ClassName: ocsfClassName,
		TypeUID: ocsfClass*100 + activity, TypeName: ocsfClassName + ": " + activityName,
		SeverityID: sevID, Severity: sev, StatusID: statusID, Status: status,
		ConfidenceID: int(f.Confidence), Confidence: ocsfConfidence(f.Confidence),
		Time: ms(f.FirstSeen), StartTime: ms(f.FirstSeen), EndTime: ms(f.LastSeen),
		Count:   f.Locations,
		Message: fmt.Sprintf("%s: %s in %d place%s, first %s", name, f.Masked, f.Locations, plural(f.Locations), where),
		IsAlert: !closed(f.Status),
		Metadata: ocsfMetadata{Version: OCSFVersion, LoggedTime: ms(o.Now),
			Product: ocsfProduct{Name: "leakguard", VendorName: "leakguard", Version: o.Version, URL: "https://github.com/leakguard/leakguard"}},
		Info: ocsfFindingInfo{UID: f.ID, Title: name, Desc: descOf(f), Types: []string{string(f.Kind)},
			CreatedTime: ms(f.FirstSeen), FirstSeenTime: ms(f.FirstSeen), LastSeenTime: ms(f.LastSeen), ModifiedTime: ms(f.StatusChanged),
			Analytic: ocsfAnalytic{UID: f.Rule, Name: name, TypeID: 1, Type: "Rule"}},
		DataSec: ocsfDataSecurity{CategoryID: catID, Category: cat,
			DataLifecycleStateID: 1, DataLifecycleState: "Data at-Rest",
			DetectionSystemID: 4, DetectionSystem: "Data Discovery & Classification",
			DetectionPattern: f.Rule, PatternMatch: f.Masked, Policy: ocsfPolicy{UID: f.Rule, Name: name}},
		Unmapped: ocsfUnmapped{Fingerprint: f.Fingerprint, Kind: string(f.Kind), Entity: f.Entity, Status: string(f.Status),
			FirstScan: f.FirstScan, LastScan: f.LastScan, Container: f.Where.Container},
	}
	if f.Where.Path != "" {
		ev.File = &ocsfFile{Name: path.Base(strings.ReplaceAll(f.Where.Path, `\`, "/")), Path: f.Where.Path, TypeID: 1, Type: "Regular File"}
		ev.Resources = []ocsfResource{{UID: where, Name: where, Type: "file"}}
	}
	return ev
}

func descOf(f store.Finding) string {
	s := fmt.Sprintf("%s finding (%s", f.Kind, f.Severity)
	if f.Entity != "" {
		s += ", " + f.Entity
	}
	return s + fmt.Sprintf("), %s in the leakguard inventory since scan %d", f.Status, f.FirstScan)
}

// closed: triage or a scan has settled it.
func closed(s store.Status) bool {
	return s == store.Resolved || s == store.FalsePositive || s == store.AcceptedRisk
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ocsfSeverity maps onto severity_id: 1 Informational … 5 Critical.
func ocsfSeverity(s finding.Severity) (int, string) {
	switch s {
	case finding.Info:
		return 1, "Informational"
	case finding.SevLow:
		return 2, "Low"
	case finding.SevMed:
		return 3, "Medium"
	case finding.SevHigh:
		return 4, "High"
	case finding.Critical:
		return 5, "Critical"
	}
	return 0, "Unknown"
}

// ocsfConfidence names confidence_id 1 Low, 2 Medium, 3 High, which are
// leakguard's levels by value; unset is left out.
func ocsfConfidence(c finding.Confidence) string {
	if c < finding.Low || c > finding.High {
		return ""
	}
	return strings.ToUpper(c.String()[:1]) + c.String()[1:]
}

// ocsfStatus maps triage onto the finding status_id. OCSF's Suppressed is
// "reviewed, benign or a false positive"; an accepted risk is neither, so it
// is Other, named.
func ocsfStatus(s store.Status) (int, string) {
	switch s {
	case store.Open:
		return 1, "New"
	case store.Acknowledged:
		return 2, "In Progress"
	case store.FalsePositive:
		return 3, "Suppressed"
	case store.Resolved:
		return 4, "Resolved"
	case store.AcceptedRisk:
		return 99, "Accepted Risk"
	}
	return 0, "Unknown"
}

// ocsfDataCategory maps a kind and entity onto data_security.category_id:
// credentials are Security (6); money is Financial (3); a country's
// identifier (entities named CC_…) or a passport is Governmental (2); other
// personal data Personal (1); markings and the organisation's registered
// data Business (4).
func ocsfDataCategory(k finding.Kind, entity string) (int, string) {
	switch k {
	case finding.Secret:
		return 6, "Security"
	case finding.Marking, finding.Registered:
		return 4, "Business"
	case finding.PII:
		e := strings.ToUpper(entity)
		switch {
		case e == "CREDIT_CARD" || e == "IBAN_CODE" || e == "SWIFT_CODE" || e == "CRYPTO" || strings.Contains(e, "BANK"):
			return 3, "Financial"
		case strings.Contains(e, "PASSPORT") || strings.Contains(e, "DRIVER_LICENSE") ||
			len(e) > 3 && e[2] == '_' && e[0] >= 'A' && e[0] <= 'Z' && e[1] >= 'A' && e[1] <= 'Z':
			return 2, "Governmental"
		}
		return 1, "Personal"
	}
	return 99, "Other"
}
