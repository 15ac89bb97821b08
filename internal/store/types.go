package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// Status is where a finding stands in triage.
type Status string

// The statuses. Open and acknowledged findings are live work; false-positive
// and accepted-risk are decisions no scan overturns; resolved is what a scan
// sets when every location has gone, and undoes when one comes back.
const (
	Open          Status = "open"
	Acknowledged  Status = "acknowledged"
	FalsePositive Status = "false-positive"
	AcceptedRisk  Status = "accepted-risk"
	Resolved      Status = "resolved"
)

// Statuses lists every status in triage order.
func Statuses() []Status {
	return []Status{Open, Acknowledged, FalsePositive, AcceptedRisk, Resolved}
}

// ParseStatus accepts a status name.
func ParseStatus(s string) (Status, error) {
	v := Status(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Statuses() {
		if v == k {
			return v, nil
		}
	}
	return "", fmt.Errorf("unknown status %q (want open, acknowledged, false-positive, accepted-risk or resolved)", s)
}

// ActorScan is the actor of the status changes a scan makes.
const ActorScan = "leakguard"

// ScanState says whether a scan ran to its end.
type ScanState string

// Scan states.
const (
	Running    ScanState = "running"
	Finished   ScanState = "finished"
	Incomplete ScanState = "incomplete" // cancelled or failed: resolved nothing
)

// ScanStart is what is known when a scan begins.
type ScanStart struct {
	Roots []string // the paths walked, as the source names them
	// Options is what the user asked for, as a JSON object (rules, limits,
	// flags); kept for people, not interpreted.
	Options json.RawMessage
	Version string // leakguard's version
	// Digest names everything that shapes an item's results (rules,
	// options, key, program); Unchanged only trusts items recorded under
	// the same digest.
	Digest  string
	Started time.Time // zero means now
}

// ScanEnd is what is known when a scan ends.
type ScanEnd struct {
	Stats finding.Stats
	// Incomplete marks a scan that did not walk all of its roots: it
	// resolves nothing.
	Incomplete bool
	Finished   time.Time // zero means now
}

// Outcome is what a scan changed in the inventory.
type Outcome struct {
	Seen     int64 `json:"seen"`     // distinct findings this scan saw
	New      int64 `json:"new"`      // of which first seen by it
	Resolved int64 `json:"resolved"` // findings it marked resolved
	Reopened int64 `json:"reopened"` // resolved findings it saw again
}

// Scan is one recorded scan.
type Scan struct {
	ID       int64           `json:"id"`
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished,omitzero"`
	State    ScanState       `json:"state"`
	Roots    []string        `json:"roots"`
	Options  json.RawMessage `json:"options,omitempty"`
	Version  string          `json:"version,omitempty"`
	Digest   string          `json:"digest,omitempty"`
	Stats    finding.Stats   `json:"stats"`
	Outcome  Outcome         `json:"outcome"`
	// Errors counts the item errors recorded for the scan.
	Errors int64 `json:"errors"`
}

// Item is one scanned item: a file, or a member inside one (Container set).
type Item struct {
	Root      string    `json:"root,omitempty"` // the scan root it was reached from
	Path      string    `json:"path"`
	Container []string  `json:"container,omitempty"`
	Size      int64     `json:"size"`
	ModTime   time.Time `json:"mod_time"`
	// Ident is the item's identity where the source has one (device and
	// inode, an object's version id); "" when unknown.
	Ident string `json:"ident,omitempty"`
	// Hash is a content hash ("sha256:…") when the scanner computed one.
	Hash string `json:"hash,omitempty"`
	// Errors counts the item errors within the item; an item with errors
	// is never reported unchanged, so the next scan tries again.
	Errors int `json:"errors,omitempty"`
	// Reused marks an item this scan did not read because Unchanged said
	// so: its live locations stay live, as if seen again. Only a top-level
	// item (no Container) carries locations.
	Reused   bool  `json:"reused,omitempty"`
	LastScan int64 `json:"last_scan,omitempty"` // set when read back
}

// Batch is what Write stores in one transaction.
type Batch struct {
	Findings []finding.Finding
	Items    []Item
	Errors   []finding.ItemError
}

// Len counts the records in b.
func (b *Batch) Len() int { return len(b.Findings) + len(b.Items) + len(b.Errors) }

// Finding is one deduplicated finding: a (rule, fingerprint) pair with its
// triage status and where it was seen.
type Finding struct {
	ID          string             `json:"id"`
	Rule        string             `json:"rule"`
	Name        string             `json:"name,omitempty"`
	Kind        finding.Kind       `json:"kind"`
	Entity      string             `json:"entity,omitempty"`
	Confidence  finding.Confidence `json:"confidence"`
	Severity    finding.Severity   `json:"severity"`
	Masked      string             `json:"masked"`
	Fingerprint string             `json:"fingerprint"`

	Status        Status    `json:"status"`
	StatusChanged time.Time `json:"status_changed"`
	FirstScan     int64     `json:"first_scan"`
	// LastScan is the last scan that saw it: read a place of it, or
	// reused an unchanged item holding one.
	LastScan  int64     `json:"last_scan"`
	FirstSeen time.Time `json:"first_seen"` // start of FirstScan
	LastSeen  time.Time `json:"last_seen"`  // start of LastScan

	// Locations counts the live locations (all of them, gone ones
	// included, for a resolved finding); Where is the first by path.
	Locations int64            `json:"locations"`
	Where     finding.Location `json:"where"`
}

// Location is one place a finding was seen.
type Location struct {
	finding.Location
	FirstScan int64 `json:"first_scan"`
	// LastScan is the last scan that read the place (a scan that reused
	// the unchanged item holding it keeps it live without moving this).
	LastScan int64 `json:"last_scan"`
	// Match is, for a registered-data finding, what matched at this place.
	Match *finding.Match `json:"match,omitempty"`
	// GoneScan is the scan that found the location gone; 0 while live.
	GoneScan int64 `json:"gone_scan,omitempty"`
}

// Change is one entry of a finding's triage history.
type Change struct {
	FindingID string    `json:"finding_id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	From      Status    `json:"from"`
	To        Status    `json:"to"`
	Note      string    `json:"note,omitempty"`
	ScanID    int64     `json:"scan_id,omitempty"` // set when a scan made the change
}

// Filter selects findings; the zero Filter selects all. Within a field the
// values are alternatives; the fields must all hold.
type Filter struct {
	Status []Status
	Kind   []finding.Kind
	Entity []string
	Rule   []string
	// Severity keeps findings of these severities.
	Severity []finding.Severity
	// PathPrefix keeps findings with a location whose path starts with it
	// (a plain string prefix: add a trailing "/" to mean a folder).
	PathPrefix    string
	MinConfidence finding.Confidence
	// Since keeps findings first seen by a scan started at or after it.
	Since time.Time
	// SinceScan keeps findings first seen by this scan or a later one.
	SinceScan int64
}

// Page bounds a listing: at most Limit entries (DefaultLimit when 0) after
// the cursor After ("" from the start).
type Page struct {
	Limit int
	After string
}

// DefaultLimit is the page size when Page.Limit is 0; MaxLimit caps it.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// N returns the effective limit.
func (p Page) N() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}
