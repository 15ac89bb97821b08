package pdf

import (
	"strings"

	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/structs"
)

// formHandle starts PDFium's form environment, which is what reads a form
// field's name and value. Nil when the document has no form or it fails:
// the page text is read all the same.
func (s *session) formHandle() *references.FPDF_FORMHANDLE {
	ft, err := s.inst.FPDF_GetFormType(&requests.FPDF_GetFormType{Document: s.doc})
	if err != nil || ft.FormType == enums.FPDF_FORMTYPE_NONE {
		return nil
	}
	// PDFium asks the host for these; a scan shows nothing and runs no
	// actions, so they do nothing.
	info := structs.FPDF_FORMFILLINFO{
		FFI_Invalidate:         func(references.FPDF_PAGE, float64, float64, float64, float64) {},
		FFI_SetCursor:          func(enums.FXCT) {},
		FFI_SetTimer:           func(int, func(int)) int { return 0 },
		FFI_KillTimer:          func(int) {},
		FFI_GetLocalTime:       func() structs.FPDF_SYSTEMTIME { return structs.FPDF_SYSTEMTIME{} },
		FFI_GetPage:            func(references.FPDF_DOCUMENT, int) *references.FPDF_PAGE { return nil },
		FFI_GetRotation:        func(references.FPDF_PAGE) enums.FPDF_PAGE_ROTATION { return enums.FPDF_PAGE_ROTATION_NONE },
		FFI_ExecuteNamedAction: func(string) {},
	}
	h, err := s.inst.FPDFDOC_InitFormFillEnvironment(&requests.FPDFDOC_InitFormFillEnvironment{Document: s.doc, FormFillInfo: info})
	if err != nil {
		return nil
	}
	return &h.FormHandle
}

func (s *session) closeForms(h *references.FPDF_FORMHANDLE) {
	s.inst.FPDFDOC_ExitFormFillEnvironment(&requests.FPDFDOC_ExitFormFillEnvironment{FormHandle: *h})
}

// annotations appends to b, one per line, the comments of the page's
// annotations and "name: value" for its form fields, and returns the
// files attached to annotations. A failing annotation is skipped: it is
// extra text, and the page's own text is already read.
func (s *session) annotations(pageIndex int, page requests.Page, forms *references.FPDF_FORMHANDLE, b *strings.Builder) []attachment {
	n, err := s.inst.FPDFPage_GetAnnotCount(&requests.FPDFPage_GetAnnotCount{Page: page})
	if err != nil || n.Count <= 0 {
		return nil
	}
	var atts []attachment
	line := func(s string) {
		s = strings.TrimSpace(normalise(s))
		if s == "" {
			return
		}
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	for j := 0; j < n.Count; j++ {
		a, err := s.inst.FPDFPage_GetAnnot(&requests.FPDFPage_GetAnnot{Page: page, Index: j})
		if err != nil {
			if s.ctx.Err() != nil {
				return atts
			}
			continue
		}
		st, err := s.inst.FPDFAnnot_GetSubtype(&requests.FPDFAnnot_GetSubtype{Annotation: a.Annotation})
		switch {
		case err != nil:
		case st.Subtype == enums.FPDF_ANNOT_SUBTYPE_WIDGET:
			if forms != nil {
				line(s.field(*forms, a.Annotation))
			}
		case st.Subtype == enums.FPDF_ANNOT_SUBTYPE_POPUP, st.Subtype == enums.FPDF_ANNOT_SUBTYPE_LINK:
			// A popup repeats its parent's comment; a link has none.
		default:
			if c, err := s.inst.FPDFAnnot_GetStringValue(&requests.FPDFAnnot_GetStringValue{Annotation: a.Annotation, Key: "Contents"}); err == nil {
				line(c.Value)
			}
			if st.Subtype == enums.FPDF_ANNOT_SUBTYPE_FILEATTACHMENT {
				if name, ok := s.annotAttachmentName(a.Annotation); ok {
					atts = append(atts, attachment{name: name, index: j, page: pageIndex})
				}
			}
		}
		s.inst.FPDFPage_CloseAnnot(&requests.FPDFPage_CloseAnnot{Annotation: a.Annotation})
	}
	return atts
}

// field returns "name: value" for a text, choice or list field that holds
// a value; buttons and signatures are left out (their "value" is a state
// name such as Off).
func (s *session) field(h references.FPDF_FORMHANDLE, a references.FPDF_ANNOTATION) string {
	ft, err := s.inst.FPDFAnnot_GetFormFieldType(&requests.FPDFAnnot_GetFormFieldType{FormHandle: h, Annotation: a})
	if err != nil {
		return ""
	}
	switch ft.FormFieldType {
	case enums.FPDF_FORMFIELD_TYPE_TEXTFIELD, enums.FPDF_FORMFIELD_TYPE_COMBOBOX, enums.FPDF_FORMFIELD_TYPE_LISTBOX,
		enums.FPDF_FORMFIELD_TYPE_XFA_TEXTFIELD, enums.FPDF_FORMFIELD_TYPE_XFA_COMBOBOX, enums.FPDF_FORMFIELD_TYPE_XFA_LISTBOX:
	default:
		return ""
	}
	v, err := s.inst.FPDFAnnot_GetFormFieldValue(&requests.FPDFAnnot_GetFormFieldValue{FormHandle: h, Annotation: a})
	if err != nil || strings.TrimSpace(v.FormFieldValue) == "" {
		return ""
	}
	name := ""
	if nm, err := s.inst.FPDFAnnot_GetFormFieldName(&requests.FPDFAnnot_GetFormFieldName{FormHandle: h, Annotation: a}); err == nil {
		name = strings.TrimSpace(nm.FormFieldName)
	}
	if name == "" {
		return v.FormFieldValue
	}
	return name + ": " + v.FormFieldValue
}
