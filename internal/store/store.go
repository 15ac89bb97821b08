// Package store is leakguard's inventory: every scan remembered, every
// finding deduplicated by (rule, keyed fingerprint) into one record with its
// locations, and the triage state of each finding with its history. This
// package holds the contract (the Store interface and its types), the
// embedded schema migrations and the pieces both backends share; the
// implementations live in sqlite/ (embedded, the default) and postgres/ (for
// a team), and storetest/ is the one conformance suite both pass.
//
// The inventory never holds a value in clear: a Finding whose Secret is set
// is refused with ErrPlaintext. What it keeps of a value is the masked
// preview and the keyed fingerprint the engine computed.
package store

import (
	"context"
	"errors"

	"github.com/leakguard/leakguard/internal/finding"
)

// Errors a Store returns; test with errors.Is.
var (
	// ErrNotFound: no scan or finding with that id.
	ErrNotFound = errors.New("not found")
	// ErrAmbiguous: an id prefix names more than one finding.
	ErrAmbiguous = errors.New("ambiguous id prefix")
	// ErrOtherKey: the inventory's fingerprints were made with another
	// installation key than the one given to BindKey.
	ErrOtherKey = errors.New("the inventory's fingerprints were made with another installation key")
	// ErrPlaintext: a finding carried its plaintext value (Secret). The
	// inventory refuses it rather than silently dropping the value, so that
	// wiring that would leak is found by the first test that runs it.
	ErrPlaintext = errors.New("finding carries a plaintext value; the inventory never stores one")
	// ErrScanState: the scan is not running (already finished, or unknown).
	ErrScanState = errors.New("scan is not running")
)

// Store is the inventory. Implementations are safe for concurrent use by
// several goroutines and, for reading and triage, by several processes; the
// recording of one scan is serialised by its caller (see Write, or use a
// Recorder, which does it).
//
// Ids: scan ids are assigned in order from 1. Finding ids are FindingID(rule,
// fingerprint): the same on every backend and across rescans, so a triage
// decision keeps following its finding.
type Store interface {
	// BeginScan records the start of a scan and returns its id.
	BeginScan(ctx context.Context, s ScanStart) (int64, error)

	// Write stores a batch of a running scan's records in one transaction:
	// findings (deduplicated by id, each place becoming a location),
	// items (upserted by path and container chain) and item errors. Calls for
	// one scan must not overlap; the order of calls is the order of
	// recording. Any finding with a non-empty Secret fails the whole batch
	// with ErrPlaintext, as does one without a fingerprint.
	// A scan records the top-level item (container chain empty) holding
	// each place it writes, in the same batch or a later one: FinishScan
	// settles places item by item, and a place whose item was never
	// recorded is never marked gone.
	Write(ctx context.Context, scanID int64, b Batch) error

	// FinishScan ends a running scan and stores its end, then, unless the
	// scan is incomplete, settles the inventory in one transaction:
	//   - a live location in an item under one of the scan's roots that
	//     this scan neither saw nor kept (by reusing the unchanged item,
	//     Item.Reused) is marked gone;
	//   - a finding (open or acknowledged) left with no live location is
	//     marked resolved, a finding marked resolved that this scan saw is
	//     reopened (open); both with a history entry by actor "leakguard";
	//   - false-positive and accepted-risk are decisions and never change;
	//   - gone locations of findings that are still live are dropped (a
	//     resolved finding keeps its last known locations).
	// A reused item costs one item row: the rows of its findings and
	// locations are not rewritten, so an unchanged nightly sweep is cheap.
	// Reopening looks only at what the scan read: a finding whose places
	// all sit in reused items cannot have been resolved by a scan.
	// An incomplete scan (cancelled, failed) saw an unknown part of its
	// roots, so it resolves nothing; it still reopens what it saw.
	FinishScan(ctx context.Context, scanID int64, end ScanEnd) (Outcome, error)

	// Unchanged reports, for each item, whether the inventory holds the same
	// item (path and container chain) with the same size and modification
	// time (to the nanosecond), the same identity and content hash when
	// both sides know them, recorded without item errors by a scan whose
	// ScanStart.Digest equals digest. A walker asks before reading; an item
	// found unchanged is recorded with Reused set instead of being read.
	Unchanged(ctx context.Context, digest string, items []Item) ([]bool, error)

	// Instance is the random identity the inventory got when it was
	// created. Whatever remembers results recorded into an inventory (a
	// scan cache) keys them by it, so that they are never taken as
	// already recorded in another one.
	Instance(ctx context.Context) (string, error)

	// BindKey ties the inventory to the installation key its fingerprints
	// are made with, given as keyed.Hasher.Check (never the key): the
	// first call records check, later ones return ErrOtherKey when it
	// differs. A scan recorded with another key would take every finding
	// for a new one and resolve all those it already holds.
	BindKey(ctx context.Context, check string) error

	// Scans lists scans newest first. Page.After is a scan id.
	Scans(ctx context.Context, p Page) ([]Scan, string, error)
	// Scan returns one scan.
	Scan(ctx context.Context, id int64) (Scan, error)
	// ScanErrors lists the item errors a scan recorded, in recording order.
	ScanErrors(ctx context.Context, scanID int64, p Page) ([]finding.ItemError, string, error)

	// Findings lists the findings that pass f, ordered by id, at most
	// p.Limit of them after the id p.After. The returned cursor is "" on
	// the last page, else the value to pass as the next Page.After.
	Findings(ctx context.Context, f Filter, p Page) ([]Finding, string, error)
	// CountFindings counts the findings that pass f.
	CountFindings(ctx context.Context, f Filter) (int64, error)
	// Finding returns one finding by id, or by a prefix of at least
	// MinIDPrefix characters that names exactly one (else ErrAmbiguous).
	Finding(ctx context.Context, idOrPrefix string) (Finding, error)
	// Locations lists a finding's locations, live and gone, ordered by path,
	// container chain and offset; the cursor is opaque.
	Locations(ctx context.Context, findingID string, p Page) ([]Location, string, error)
	// History lists a finding's status changes, oldest first.
	History(ctx context.Context, findingID string) ([]Change, error)
	// SetStatus changes a finding's status and records who, when and why.
	// Setting the status a finding already has records the note all the
	// same. actor must not be empty.
	SetStatus(ctx context.Context, findingID string, to Status, actor, note string) (Change, error)

	// Reports: aggregates over the findings that pass a filter, each one
	// query (or one pass) whatever the number of findings.

	// Tally counts the findings that pass f by rule, kind, entity,
	// severity and status: one entry per combination present, ordered by
	// those fields.
	Tally(ctx context.Context, f Filter) ([]Tally, error)
	// Folders sums the live locations of the findings that pass f by the
	// folder holding their item (an archive member counts in the folder of
	// the archive) and returns the limit folders holding the most findings
	// (then the most places, then by name), and the totals over all of
	// them. With f.PathPrefix only locations under it count.
	Folders(ctx context.Context, f Filter, limit int) ([]FolderExposure, Exposure, error)
	// Trend returns, for each of the last n scans (DefaultLimit when n is
	// 0, at most MaxLimit), oldest first, what it changed among the findings that pass f and how
	// many of them were open when it ended, as reconstructed from the
	// triage history. f.Status, f.Since and f.SinceScan are ignored: a trend
	// spans every status and every scan.
	Trend(ctx context.Context, f Filter, n int) ([]TrendPoint, error)
	// Registered sums, per registered set (and type), what the live
	// locations of the findings of kind registered that pass f expose:
	// distinct records (people, for a set of people), distinct documents or
	// files, findings, places and items. Ordered by set and type.
	Registered(ctx context.Context, f Filter) ([]SetExposure, error)

	// Close releases the database.
	Close() error

	// AddEvent records an action of an inline channel and returns its id;
	// the findings' plaintext is dropped whatever the caller passed.
	AddEvent(ctx context.Context, e Event) (int64, error)
	// Events lists events, newest first, a page at a time.
	Events(ctx context.Context, p Page) ([]Event, string, error)
}
