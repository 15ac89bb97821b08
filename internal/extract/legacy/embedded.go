package legacy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/olepkg"
	"github.com/leakguard/leakguard/internal/finding"
)

// maxNative bounds an OLE 1.0 native stream read whole to unwrap the file
// packaged in it.
const maxNative = 64 << 20

// embeddedObjects sends the files embedded in a Word or Excel document
// back to the registry. Word keeps its OLE objects in storages under
// "ObjectPool", Excel in storages named "MBD…"; an object's content is a
// packaged file ("\x01Ole10Native"), an OOXML document ("Package") or a
// PDF ("CONTENTS"). An object stored as a whole compound storage (a Word
// document inside a Word document) is not a stream and is not extracted.
func embeddedObjects(ctx context.Context, out extract.Emitter, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // the text was read; objects are a bonus
	}
	defer f.Close()
	files, err := objectStreams(f)
	if err != nil {
		return out.Problem(ctx, nil, finding.ReasonCorrupt, err)
	}
	for _, e := range files {
		label := "embedded:" + strings.Join(e.Path, "/")
		m := extract.Member{Label: label, Name: strings.ToLower(e.Name), Size: e.Size, Compressed: -1, R: safeReader{e}}
		if strings.HasSuffix(e.Name, "Ole10Native") {
			if e.Size > maxNative {
				if err := out.Problem(ctx, []string{label}, finding.ReasonLimit,
					fmt.Errorf("OLE native object of %d bytes: not opened", e.Size)); err != nil {
					return err
				}
				continue
			}
			b, err := io.ReadAll(io.LimitReader(safeReader{e}, e.Size))
			if err != nil {
				if err := out.Problem(ctx, []string{label}, finding.ReasonCorrupt, err); err != nil {
					return err
				}
				continue
			}
			name, data := olepkg.Native(b)
			m.Name, m.Size, m.R = name, int64(len(data)), bytes.NewReader(data)
		}
		if err := out.Child(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// objectStreams lists the content streams of embedded objects.
func objectStreams(ra io.ReaderAt) (files []*mscfb.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			files, err = nil, fmt.Errorf("corrupt compound file: %v", r)
		}
	}()
	cf, err := mscfb.New(ra)
	if err != nil {
		return nil, nil // catdoc read it or said why; nothing more to add
	}
	for _, f := range cf.File {
		if len(f.Path) == 0 || f.Size <= 0 || f.FileInfo().IsDir() {
			continue
		}
		if top := f.Path[0]; top != "ObjectPool" && !strings.HasPrefix(top, "MBD") {
			continue
		}
		// mscfb strips the control character that starts the names of
		// special streams ("\x01Ole10Native") and keeps it in Initial.
		switch f.Name {
		case "Ole10Native", "\x01Ole10Native", "Package", "CONTENTS":
			files = append(files, f)
		}
	}
	return files, nil
}

// safeReader turns a panic of mscfb reading a damaged stream into an
// error: the registry reads children's content outside this package.
type safeReader struct{ f *mscfb.File }

func (r safeReader) Read(p []byte) (n int, err error) {
	defer func() {
		if v := recover(); v != nil {
			n, err = 0, errors.New("corrupt compound file stream")
		}
	}()
	return r.f.Read(p)
}
