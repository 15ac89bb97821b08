package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// attachment locates an embedded file: in the document's EmbeddedFiles
// name tree (page < 0, index in the tree) or in a file attachment
// annotation (page, index of the annotation on it).
type attachment struct {
	name  string
	page  int
	index int
}

func (a attachment) label() string { return "attachment:" + a.name }

// namedAttachments lists the files of the EmbeddedFiles name tree.
func (s *session) namedAttachments() ([]attachment, error) {
	c, err := s.inst.FPDFDoc_GetAttachmentCount(&requests.FPDFDoc_GetAttachmentCount{Document: s.doc})
	if err != nil {
		return nil, err
	}
	var atts []attachment
	for i := 0; i < c.AttachmentCount; i++ {
		a, err := s.inst.FPDFDoc_GetAttachment(&requests.FPDFDoc_GetAttachment{Document: s.doc, Index: i})
		if err != nil {
			if s.ctx.Err() != nil {
				return atts, err
			}
			continue
		}
		atts = append(atts, attachment{name: s.attachmentName(a.Attachment, i), page: -1, index: i})
	}
	return atts, nil
}

// annotAttachmentName returns the name of the file an annotation carries.
func (s *session) annotAttachmentName(a references.FPDF_ANNOTATION) (string, bool) {
	fa, err := s.inst.FPDFAnnot_GetFileAttachment(&requests.FPDFAnnot_GetFileAttachment{Document: s.doc, Annotation: a})
	if err != nil {
		return "", false
	}
	return s.attachmentName(fa.Attachment, -1), true
}

func (s *session) attachmentName(a references.FPDF_ATTACHMENT, i int) string {
	if nm, err := s.inst.FPDFAttachment_GetName(&requests.FPDFAttachment_GetName{Attachment: a}); err == nil {
		if name := strings.TrimSpace(nm.Name); name != "" {
			return name
		}
	}
	if i < 0 {
		return "unnamed"
	}
	return fmt.Sprintf("unnamed-%d", i+1)
}

// emitAttachments hands every embedded file to the registry. Each is read
// in a session of its own that is closed before the child is extracted:
// a PDF attached to a PDF needs an instance too, and holding ours while it
// waits for one could exhaust the pool. Only one file is in memory at once.
func (x *Extractor) emitAttachments(ctx context.Context, ra io.ReaderAt, size int64, atts []attachment, out extract.Emitter) error {
	for _, a := range atts {
		data, err := x.attachmentData(ctx, ra, size, a)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if perr := out.Problem(ctx, []string{a.label()}, reasonOf(err), err); perr != nil {
				return perr
			}
			continue
		}
		if err := out.Child(ctx, extract.Member{Label: a.label(), Name: a.name, Size: int64(len(data)),
			Compressed: -1, R: bytes.NewReader(data)}); err != nil {
			return err
		}
	}
	return nil
}

// reasonOf is the item-error reason of a failure to read an attachment.
func reasonOf(err error) string {
	var le *extract.LimitError
	if errors.As(err, &le) {
		return "" // the limit error carries its reason
	}
	return finding.ReasonCorrupt
}

// attachmentData reopens the document and reads one embedded file.
func (x *Extractor) attachmentData(ctx context.Context, ra io.ReaderAt, size int64, a attachment) ([]byte, error) {
	s, err := x.open(ctx, ra, size)
	if err != nil {
		return nil, err
	}
	defer s.close()
	data, err := s.attachmentData(a)
	if err != nil {
		s.failed = true
		return nil, x.timeErr(ctx, s.ctx, fmt.Errorf("pdf: %s: %w", a.label(), brief(err)))
	}
	return data, nil
}

func (s *session) attachmentData(a attachment) ([]byte, error) {
	var ref references.FPDF_ATTACHMENT
	if a.page < 0 {
		r, err := s.inst.FPDFDoc_GetAttachment(&requests.FPDFDoc_GetAttachment{Document: s.doc, Index: a.index})
		if err != nil {
			return nil, err
		}
		ref = r.Attachment
	} else {
		lp, err := s.inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: s.doc, Index: a.page})
		if err != nil {
			return nil, err
		}
		defer s.inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: lp.Page})
		an, err := s.inst.FPDFPage_GetAnnot(&requests.FPDFPage_GetAnnot{Page: requests.Page{ByReference: &lp.Page}, Index: a.index})
		if err != nil {
			return nil, err
		}
		defer s.inst.FPDFPage_CloseAnnot(&requests.FPDFPage_CloseAnnot{Annotation: an.Annotation})
		fa, err := s.inst.FPDFAnnot_GetFileAttachment(&requests.FPDFAnnot_GetFileAttachment{Document: s.doc, Annotation: an.Annotation})
		if err != nil {
			return nil, err
		}
		ref = fa.Attachment
	}
	f, err := s.inst.FPDFAttachment_GetFile(&requests.FPDFAttachment_GetFile{Attachment: ref})
	if err != nil {
		return nil, err
	}
	if f.Contents == nil {
		return nil, errors.New("embedded file has no content")
	}
	return f.Contents, nil
}
