package office

import (
	"archive/zip"
	"math"
	"path"
	"strings"

	"github.com/leakguard/leakguard/internal/extract"
)

// maxLinks bounds the external targets written for one document.
const maxLinks = 10000

// links writes the external targets of every relationship in the package,
// once each, as a "links" stream: hyperlinks, attached templates, linked
// workbooks, mail-merge data sources and OLE links name servers, shares
// and URLs, sometimes with credentials in them.
func (d *doc) links() error {
	seen := map[string]bool{}
	for _, f := range d.p.zr.File {
		if !strings.HasSuffix(strings.ToLower(f.Name), ".rels") || len(seen) >= maxLinks {
			continue
		}
		part := relsSource(normName(f.Name))
		for _, r := range d.p.rels(part) {
			t := strings.TrimSpace(r.target)
			if !r.external || t == "" || seen[t] || len(seen) >= maxLinks {
				continue
			}
			seen[t] = true
			d.s.at("links")
			d.s.str(t)
			d.s.sep('\n')
		}
		if d.s.err != nil {
			return d.s.err
		}
	}
	d.s.end()
	return d.s.err
}

// relsSource is the part a relationships part belongs to, the inverse of
// relsName: word/_rels/document.xml.rels → word/document.xml.
func relsSource(rels string) string {
	dir, file := path.Split(rels)
	dir = strings.TrimSuffix(dir, "_rels/")
	return dir + strings.TrimSuffix(file, ".rels")
}

// embedded sends the package's embedded objects to the registry: OLE
// objects and packages under */embeddings/, alternative-format chunks
// (an HTML or MHT part a docx pulls in) and macro projects.
func (d *doc) embedded() error {
	chunks := map[string]bool{}
	for _, f := range d.p.zr.File {
		if strings.HasSuffix(strings.ToLower(f.Name), ".rels") {
			part := relsSource(normName(f.Name))
			for _, r := range d.p.rels(part) {
				switch r.kind() {
				case "aFChunk", "package", "oleObject", "subDocument":
					if !r.external {
						chunks[strings.ToLower(r.target)] = true
					}
				}
			}
		}
	}
	for _, f := range d.p.zr.File {
		n := strings.ToLower(normName(f.Name))
		if strings.HasSuffix(n, "/") {
			continue
		}
		if !strings.Contains(n, "/embeddings/") && !chunks[n] && path.Base(n) != "vbaproject.bin" {
			continue
		}
		if err := d.child(f, "embedded:"+path.Base(normName(f.Name))); err != nil {
			return err
		}
	}
	return nil
}

// child hands one member to the registry, which checks its sizes and ratio
// before reading it.
func (d *doc) child(f *zip.File, label string) error {
	d.s.end()
	if d.s.err != nil {
		return d.s.err
	}
	if f.Flags&0x1 != 0 {
		return d.out.Problem(d.ctx, []string{label}, "", &encryptedMember{f.Name})
	}
	rc, err := f.Open()
	if err != nil {
		return d.out.Problem(d.ctx, []string{label}, "", err)
	}
	defer rc.Close()
	return d.out.Child(d.ctx, extract.Member{Label: label, Name: path.Base(normName(f.Name)),
		Size: clampSize(f.UncompressedSize64), Compressed: clampSize(f.CompressedSize64), ModTime: f.Modified, R: rc})
}

// clampSize keeps an absurd declared size positive.
func clampSize(n uint64) int64 { return int64(min(n, math.MaxInt64)) }

type encryptedMember struct{ name string }

func (e *encryptedMember) Error() string { return e.name + ": " + extract.ErrEncrypted.Error() }
func (e *encryptedMember) Unwrap() error { return extract.ErrEncrypted }
