package store

import (
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// The types of the aggregates reports draw from the inventory (Store.Tally,
// Folders, Trend, Registered). They hold counts and names, never a value.

// Tally is the number of findings sharing a rule, kind, entity, severity
// and status.
type Tally struct {
	Rule     string           `json:"rule"`
	Kind     finding.Kind     `json:"kind"`
	Entity   string           `json:"entity,omitempty"`
	Severity finding.Severity `json:"severity"`
	Status   Status           `json:"status"`
	Findings int64            `json:"findings"`
}

// Exposure counts what live locations hold: distinct findings, places (one
// per location) and distinct items (files on disk; the members of one
// archive count as the archive).
type Exposure struct {
	Findings int64 `json:"findings"`
	Places   int64 `json:"places"`
	Files    int64 `json:"files"`
}

// FolderExposure is the exposure of the items directly in one folder. Folder
// is the item's path up to and including its last separator ("/" or "\"),
// "" for a path without one.
type FolderExposure struct {
	Folder string `json:"folder"`
	Exposure
}

// TrendPoint is what one scan changed and left, over the findings a filter
// selects.
type TrendPoint struct {
	Scan     int64     `json:"scan"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	State    ScanState `json:"state"`
	Roots    []string  `json:"roots"`
	// New findings were first seen by this scan; Resolved and Reopened
	// are the status changes it made.
	New      int64 `json:"new"`
	Resolved int64 `json:"resolved"`
	Reopened int64 `json:"reopened"`
	// Known counts the findings first seen by this scan or an earlier one;
	// Open those of them that were open or acknowledged when it ended.
	Known int64 `json:"known"`
	Open  int64 `json:"open"`
}

// SetExposure is what live locations expose of one registered set.
type SetExposure struct {
	Set  string `json:"set"`
	Type string `json:"type"` // "records", "docs" or "files"
	// Records counts the distinct rows of a record set found (for a set of
	// people, the people exposed); Documents the distinct registered
	// documents or files found.
	Records   int64 `json:"records"`
	Documents int64 `json:"documents"`
	Exposure
}
