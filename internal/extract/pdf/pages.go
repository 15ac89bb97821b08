package pdf

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// maxBadRun is how many pages in a row may fail before the rest of the
// document is given up as one problem rather than one item error a page
// (a damaged page tree can claim a million pages).
const maxBadRun = 50

// pageSeparator ends every page's text: a blank line keeps the last word
// of a page apart from the first of the next.
const pageSeparator = "\n\n"

// readPages writes the text of every page of s to one stream, each page
// after a "page:N" mark, and returns the embedded files it found. A page
// PDFium cannot read is a problem at that page; the others go on. When the
// session's time runs out the rest of the pages are reported as one
// problem and what was found so far is returned.
func (x *Extractor) readPages(ctx context.Context, s *session, out extract.Emitter) ([]attachment, error) {
	atts, err := s.namedAttachments()
	if err != nil {
		s.failed = true
		if terr := x.timeErr(ctx, s.ctx, err); terr != err {
			return nil, terr
		}
		// A broken name tree hides the files, not the pages.
		if perr := out.Problem(ctx, []string{"attachments"}, finding.ReasonCorrupt, brief(err)); perr != nil {
			return nil, perr
		}
	}
	pc, err := s.inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: s.doc})
	if err != nil {
		s.failed = true
		return nil, x.timeErr(ctx, s.ctx, fmt.Errorf("pdf: page count: %w", brief(err)))
	}
	if pc.PageCount == 0 {
		if len(atts) == 0 {
			return nil, fmt.Errorf("pdf: no pages")
		}
		return atts, nil
	}
	forms := s.formHandle() // nil when the document has no form

	tw := out.Text(ctx)
	var timedOut error // this document's own time bound ran out
	var at []string    // the page it ran out on
	var fatal error    // the scan must stop
	bad := 0           // pages failed in a row
	for i := 0; i < pc.PageCount && fatal == nil && timedOut == nil; i++ {
		label := fmt.Sprintf("page:%d", i+1)
		if err := ctx.Err(); err != nil {
			fatal = err
			break
		}
		tw.Mark(label)
		pg, err := s.page(i, forms)
		if err != nil {
			bad++
			timedOut, fatal = x.pageFailed(ctx, s, out, i, pc.PageCount, bad, err)
			if timedOut != nil {
				at = []string{label}
			}
			continue
		}
		bad = 0
		atts = append(atts, pg.attachments...)
		if _, err := tw.WriteString(pg.text); err != nil {
			break // the engine failed; Close says why
		}
		if _, err := tw.WriteString(pageSeparator); err != nil {
			break
		}
	}
	if forms != nil && timedOut == nil {
		s.closeForms(forms)
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if fatal == errGiveUp {
		return atts, nil
	}
	if fatal != nil {
		return nil, fatal
	}
	if timedOut != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The text read so far has been scanned; the files found so far
		// are still opened, each in a session of its own.
		if err := out.Problem(ctx, at, "", timedOut); err != nil {
			return nil, err
		}
	}
	return atts, nil
}

// pageFailed records that page i could not be read: as a time limit when
// the session ran out of time (returned, for the caller to record after
// the text stream), else as a problem at the page. After maxBadRun bad
// pages in a row it gives up on the rest (errGiveUp).
func (x *Extractor) pageFailed(ctx context.Context, s *session, out extract.Emitter, i, count, bad int, err error) (timedOut, fatal error) {
	s.failed = true
	if terr := x.timeErr(ctx, s.ctx, err); terr != err {
		return terr, nil
	}
	label := fmt.Sprintf("page:%d", i+1)
	err = fmt.Errorf("pdf: %s: %w", label, brief(err))
	if bad >= maxBadRun && i+1 < count {
		err = fmt.Errorf("%w; %d pages in a row failed, so pages %d to %d are not read", err, bad, i+2, count)
		fatal = errGiveUp
	}
	if perr := out.Problem(ctx, []string{label}, finding.ReasonCorrupt, err); perr != nil {
		return nil, perr
	}
	return nil, fatal
}

// errGiveUp stops the page loop after too many bad pages; it is recorded
// already, and the attachments are still opened.
var errGiveUp = errors.New("pdf: too many bad pages")

// pageResult is what one page holds.
type pageResult struct {
	text        string
	attachments []attachment
}

// page reads page i: its text in PDFium's reading order, then the text of
// its annotations (comments) and the values of its form fields.
func (s *session) page(i int, forms *references.FPDF_FORMHANDLE) (pageResult, error) {
	var res pageResult
	lp, err := s.inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: s.doc, Index: i})
	if err != nil {
		return res, err
	}
	defer s.inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: lp.Page})
	page := requests.Page{ByReference: &lp.Page}

	tp, err := s.inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: page})
	if err != nil {
		return res, err
	}
	cc, err := s.inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err == nil && cc.Count > 0 {
		var t *responses.FPDFText_GetText
		t, err = s.inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, Count: cc.Count})
		if err == nil {
			res.text = normalise(t.Text)
		}
	}
	s.inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	if err != nil {
		return res, err
	}

	var b strings.Builder
	b.WriteString(res.text)
	res.attachments = s.annotations(i, page, forms, &b)
	res.text = b.String()
	return res, nil
}

// normalise turns PDFium's line ends into "\n" and drops NULs and the
// U+FFFE PDFium puts where it removed a hyphen at a line end (so the two
// halves of the word read as one, as they do on the page).
var normaliser = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\x00", "", "\ufffe", "")

func normalise(s string) string {
	if !strings.ContainsAny(s, "\r\x00\ufffe") {
		return s
	}
	return normaliser.Replace(s)
}
