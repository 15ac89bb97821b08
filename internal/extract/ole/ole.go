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
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// Extractor reads generic compound files.
type Extractor struct{}

// New returns the compound-file extractor.
func New() *Extractor { return &Extractor{} }

// Kinds implements extract.Extractor.
func (*Extractor) Kinds() []extract.Kind { return []extract.Kind{extract.KindOLE} }

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
		switch f.Name {
		case "EncryptedPackage":
			return fmt.Errorf("password-protected Office document: %w", extract.ErrEncrypted)
		case "Package":
			// An embedded OOXML document stored whole.
			children++
			if err := out.Child(ctx, extract.Member{Label: "embedded:" + name, Name: "package.zip", Size: f.Size, Compressed: -1, R: f}); err != nil {
				return err
			}
		case "\x01Ole10Native":
			children++
			if err := native(ctx, f, name, out); err != nil {
				return err
			}
		}
	}
	if children > 0 {
		return nil
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
	label, data := "object", b
	if len(b) >= 4 {
		data = b[4:]
		if sz := binary.LittleEndian.Uint32(b); int(sz) <= len(b)-4 {
			data = b[4 : 4+sz]
		}
		if file, payload, ok := packager(data); ok {
			label, data = file, payload
		}
	}
	return out.Child(ctx, extract.Member{Label: "embedded:" + label, Name: label, Size: int64(len(data)), Compressed: -1, R: bytes.NewReader(data)})
}

// packager parses the Packager format inside a native object: 2-byte
// type, label\0, path\0, 4 bytes, 4-byte length, temp path\0, 4-byte size,
// data.
func packager(b []byte) (name string, data []byte, ok bool) {
	if len(b) < 2 {
		return "", nil, false
	}
	p := b[2:]
	cstr := func() (string, bool) {
		i := bytes.IndexByte(p, 0)
		if i < 0 {
			return "", false
		}
		s := string(p[:i])
		p = p[i+1:]
		return s, true
	}
	label, ok1 := cstr()
	_, ok2 := cstr()
	if !ok1 || !ok2 || len(p) < 8 {
		return "", nil, false
	}
	p = p[8:]
	if _, ok := cstr(); !ok || len(p) < 4 {
		return "", nil, false
	}
	size := binary.LittleEndian.Uint32(p)
	p = p[4:]
	if int64(size) > int64(len(p)) {
		return "", nil, false
	}
	return label, p[:size], true
}
