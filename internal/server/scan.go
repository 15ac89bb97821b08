package server

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/redact"
)

// scanResponse is the finding contract of `leakguard scan --format json`.
type scanResponse struct {
	Findings []finding.Finding   `json:"findings"`
	Errors   []finding.ItemError `json:"item_errors"`
	Stats    finding.Stats       `json:"stats"`
}

// errBadRequest marks a malformed request (as opposed to a failed scan).
type errBadRequest struct{ msg string }

func (e errBadRequest) Error() string { return e.msg }

// scan answers POST /v1/scan: a raw body is one input, a multipart/form-data
// body one input per part.
func (s *server) scan(w *statusWriter, r *http.Request) {
	start := time.Now()
	ctx := r.Context()
	var res Result
	var err error
	if boundary, ok := multipartBoundary(r); ok {
		err = eachPart(r.Body, boundary, func(in Input) error {
			one, err := s.cfg.Scan(ctx, in)
			if err != nil {
				return err
			}
			res.Findings = append(res.Findings, one.Findings...)
			res.Errors = append(res.Errors, one.Errors...)
			res.Stats.Add(one.Stats)
			return nil
		})
	} else {
		res, err = s.cfg.Scan(ctx, rawInput(r))
	}
	if !s.answered(w, r, err) {
		res.Stats.DurationMS = time.Since(start).Milliseconds()
		fs := clean(res.Findings)
		w.counted(fs)
		writeJSON(w, http.StatusOK, scanResponse{Findings: fs, Errors: nonNil(res.Errors), Stats: res.Stats})
	}
}

// answered writes the error answer of a scanning request that did not
// complete (body, time, malformed request, scanner error) and reports
// whether it did.
func (s *server) answered(w http.ResponseWriter, r *http.Request, err error) bool {
	if code, msg := s.failure(r.Context(), bodyOf(r)); code != 0 {
		writeError(w, code, msg)
		return true
	}
	var bad errBadRequest
	switch {
	case errors.As(err, &bad):
		writeError(w, http.StatusBadRequest, bad.msg)
	case err != nil:
		s.log.Error("scan failed", "endpoint", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "scan failed: "+err.Error())
	default:
		return false
	}
	return true
}

// rawInput is the request body as one input, named by ?name=.
func rawInput(r *http.Request) Input {
	return Input{Name: r.URL.Query().Get("name"), ContentType: r.Header.Get("Content-Type"), Body: r.Body}
}

// multipartBoundary returns the boundary of a multipart/form-data body.
func multipartBoundary(r *http.Request) (string, bool) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return "", false
	}
	return params["boundary"], true
}

// eachPart calls fn with each part of a multipart body, in order: a file
// part named by its file name, another field by its field name. A body
// without parts is a bad request.
func eachPart(body io.Reader, boundary string, fn func(Input) error) error {
	if boundary == "" {
		return errBadRequest{"multipart/form-data without a boundary"}
	}
	mr := multipart.NewReader(body, boundary)
	n := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return errBadRequest{"malformed multipart body: " + err.Error()}
		}
		name := p.FileName()
		if name == "" {
			name = p.FormName()
		}
		err = fn(Input{Name: name, ContentType: p.Header.Get("Content-Type"), Body: p})
		p.Close()
		if err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return errBadRequest{"multipart body without parts"}
	}
	return nil
}

// clean returns the findings as the API shows them: the plaintext is
// dropped, and a finding that carried only plaintext gets the masked
// preview of the shared policy. Never nil, so that JSON shows [].
func clean(fs []finding.Finding) []finding.Finding {
	out := make([]finding.Finding, len(fs))
	for i, f := range fs {
		if f.Masked == "" && f.Secret != "" {
			f.Masked = redact.Mask(f.Secret)
		}
		f.Secret = ""
		out[i] = f
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// scanText scans UTF-8 text held in memory (redact, analyze).
func (s *server) scanText(ctx context.Context, text string) (Result, error) {
	return s.cfg.Scan(ctx, Input{ContentType: TextContentType, Body: strings.NewReader(text)})
}
