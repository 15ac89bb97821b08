package store

import (
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// Event is one action of an inline channel (an upload blocked at the proxy,
// a mail held, an API call alerted on): when, where, who, why, and the
// findings behind it, masked.
type Event struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	Channel     string    `json:"channel"` // http, icap, milter
	Action      string    `json:"action"`  // alert, redact, block
	Reason      string    `json:"reason,omitempty"`
	Client      string    `json:"client,omitempty"`
	User        string    `json:"user,omitempty"`
	Destination string    `json:"destination,omitempty"`
	// Findings are the findings the action was taken for; their Secret is
	// always empty.
	Findings []finding.Finding `json:"findings"`
}
