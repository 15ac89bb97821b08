package server

import (
	"net/http"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/trace"
)

// trace answers POST /v1/trace with the trace report of the body: raw, or
// the single part of a multipart/form-data body.
func (s *server) trace(w *statusWriter, r *http.Request) {
	if s.cfg.Trace == nil {
		writeError(w, http.StatusNotImplemented, "tracing is not configured on this server")
		return
	}
	start := time.Now()
	ctx := r.Context()
	var rep *trace.Report
	var err error
	if boundary, ok := multipartBoundary(r); ok {
		parts := 0
		err = eachPart(r.Body, boundary, func(in Input) error {
			if parts++; parts > 1 {
				return errBadRequest{"/v1/trace takes one dump: send one part (or a zip of several files)"}
			}
			rep, err = s.cfg.Trace(ctx, in)
			return err
		})
	} else {
		rep, err = s.cfg.Trace(ctx, rawInput(r))
	}
	if s.answered(w, r, err) {
		return
	}
	if rep == nil {
		rep = &trace.Report{}
	}
	// The report is the caller's; answer a copy without plaintext.
	out := *rep
	out.Findings = clean(rep.Findings)
	out.Dumps, out.Records, out.Documents, out.Files = nonNil(out.Dumps), nonNil(out.Records), nonNil(out.Documents), nonNil(out.Files)
	out.Errors, out.Sets = nonNil(out.Errors), nonNil(out.Sets)
	if out.Stats.DurationMS == 0 {
		out.Stats.DurationMS = time.Since(start).Milliseconds()
	}
	w.counted(out.Findings)
	w.add(finding.Registered, registeredMatches(&out))
	writeJSON(w, http.StatusOK, &out)
}

// registeredMatches counts a report's matches of registered data for the
// findings metric: rows of record sets, and items holding a document or
// file.
func registeredMatches(rep *trace.Report) int {
	n := int64(0)
	n += int64(len(rep.Records))
	for _, d := range rep.Documents {
		n += int64(len(d.Locations))
	}
	for _, f := range rep.Files {
		n += int64(len(f.Locations))
	}
	return int(n)
}
