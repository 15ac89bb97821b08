// Package ole reads compound files (OLE2 / CFB) that are not one of the
// Office applications another extractor reads: it recognises a
// password-protected OOXML document (an encrypted docx, xlsx or pptx is a
// compound file holding EncryptionInfo and EncryptedPackage), hands
// embedded packages and OLE native objects back to the registry as
// children, and says which application's file it could not read instead
// of skipping it silently.
package ole

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/olepkg"
	"github.com/leakguard/leakguard/internal/finding"
)

// Extractor reads generic compound files.
type Extractor struct{}

// New returns the compound-file extractor.
func New() *Extractor { return &Extractor{} }

// Kinds implements extract.Extractor.
func (*Extractor) Kinds() []extract.Kind { return []extract.Kind{extract.KindOLE} }

// byStream names the application of a compound file by its main stream.
var byStream = map[string]extract.Kind{
	"WordDocument":        extract.KindDoc,
	"Workbook":            extract.KindXls,
	"Book":                extract.KindXls,
	"PowerPoint Document": extract.KindPpt,
}

// maxNative bounds an OLE native object read for its header.
const maxNative = 256 << 20

// Extract implements extract.Extractor.
func (*Extractor) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	at, _, err := out.Random(ctx)
	if err != nil {
		return err
	}
	r, err := mscfb.New(at)
	if err != nil {
		return fmt.Errorf("compound file: %w", err)
	}
	var names []string
	children := 0
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("compound file directory: %w", err)
		}
		name := strings.Join(append(append([]string{}, f.Path...), f.Name), "/")
		names = append(names, name)
		if strings.EqualFold(f.Name, "EncryptedPackage") {
			return fmt.Errorf("password-protected Office document: %w", extract.ErrEncrypted)
		}
		switch f.Name {
		case "Package", "package", "CONTENTS":
			// An embedded document stored whole: OOXML in "Package", a
			// PDF or other file in "CONTENTS"; the registry identifies it.
			children++
			if err := out.Child(ctx, extract.Member{Label: "embedded:" + name, Name: f.Name, Size: f.Size, Compressed: -1, R: f}); err != nil {
				return err
			}
		case "Ole10Native": // mscfb keeps the leading \x01 in File.Initial
			children++
			if err := native(ctx, f, name, out); err != nil {
				return err
			}
		}
	}
	if children > 0 {
		return nil
	}
	// An Office file whose name did not say so (an embedded
	// "oleObject1.bin"): its streams do.
	for _, name := range names {
		if k, ok := byStream[name]; ok {
			return out.Reroute(ctx, k)
		}
		if strings.HasPrefix(name, "__substg1.0_") {
			return out.Reroute(ctx, extract.KindMsg)
		}
	}
	sort.Strings(names)
	if len(names) > 8 {
		names = append(names[:8], "…")
	}
	return extract.Failure(finding.ReasonUnsupported, "compound file of an application leakguard does not read (streams: %s)", strings.Join(names, ", "))
}

// native unwraps an OLE 1.0 native object: a 4-byte size, then for a
// packager object a label, a source path, and the embedded file's bytes.
func native(ctx context.Context, f *mscfb.File, name string, out extract.Emitter) error {
	if f.Size > maxNative {
		return out.Problem(ctx, []string{name}, finding.ReasonLimit, fmt.Errorf("OLE native object of %d bytes: not opened", f.Size))
	}
	b, err := io.ReadAll(io.LimitReader(f, f.Size))
	if err != nil {
		return out.Problem(ctx, []string{name}, finding.ReasonCorrupt, err)
	}
	label, data := olepkg.Native(b)
	if label == "" {
		label = "object"
	}
	return out.Child(ctx, extract.Member{Label: "embedded:" + label, Name: label, Size: int64(len(data)), Compressed: -1, R: bytes.NewReader(data)})
}
