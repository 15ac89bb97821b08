package office

import (
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// odf reads an OpenDocument package: content.xml (the body, the sheets or
// the slides), the headers and footers of styles.xml, meta.xml as
// "metadata", embedded sub-documents ("Object 1/content.xml") in place under
// "embedded:Object 1", Basic macros as "macro:<path>", and binary objects
// (OLE objects, scripts) as children.
func (d *doc) odf() error {
	enc := d.odfEncrypted()
	if enc["content.xml"] {
		return fmt.Errorf("content.xml: %w", extract.ErrEncrypted)
	}
	if !d.p.has("content.xml") {
		return extract.Failure(finding.ReasonCorrupt, "OpenDocument package without content.xml")
	}
	tk := &ticker{ctx: d.ctx}
	if err := d.odfParts("", nil, enc, tk); err != nil {
		return err
	}
	for _, f := range d.p.zr.File {
		name := normName(f.Name)
		dir, base := path.Split(name)
		switch {
		case dir != "" && base == "content.xml" && !odfInfraDir(dir):
			sub := strings.TrimSuffix(dir, "/")
			if err := d.odfParts(dir, []string{"embedded:" + sub}, enc, tk); err != nil {
				return err
			}
		case strings.HasPrefix(name, "Basic/") && strings.HasSuffix(name, ".xml") && !strings.HasPrefix(base, "script-l") && !strings.HasPrefix(base, "dialog-l"):
			if err := d.part(name, []string{"macro:" + name}, func(r io.Reader) error { return walkAllText(r, d.s, tk) }); err != nil {
				return err
			}
		case strings.HasPrefix(name, "Scripts/") && base != "":
			if err := d.child(f, "macro:"+name); err != nil {
				return err
			}
		case dir == "" && !odfRootPart(base):
			if enc[name] {
				if err := d.out.Problem(d.ctx, []string{"embedded:" + base}, "", &encryptedMember{name}); err != nil {
					return err
				}
				continue
			}
			if err := d.child(f, "embedded:"+base); err != nil {
				return err
			}
		}
	}
	d.s.end()
	return d.s.err
}

// odfParts reads content, styles and metadata of the document rooted at dir
// ("" for the package, "Object 1/" for a sub-document).
func (d *doc) odfParts(dir string, base []string, enc map[string]bool, tk *ticker) error {
	for _, name := range []string{"content.xml", "styles.xml"} {
		if enc[dir+name] {
			if err := d.out.Problem(d.ctx, append(base, dir+name), "", &encryptedMember{dir + name}); err != nil {
				return err
			}
			continue
		}
		w := &odfWalker{s: d.s, base: base, onlyHF: name == "styles.xml"}
		if err := d.part(dir+name, base, func(r io.Reader) error { return w.walk(r, tk) }); err != nil {
			return err
		}
		d.s.end()
	}
	if enc[dir+"meta.xml"] {
		return nil
	}
	keys := map[string]bool{"title": true, "subject": true, "description": true, "keyword": true,
		"creator": true, "initial-creator": true, "user-defined": true}
	err := d.part(dir+"meta.xml", append(base, "metadata"), func(r io.Reader) error {
		return walkProps(r, d.s, keys, "user-defined", "name")
	})
	d.s.end()
	if err != nil {
		return err
	}
	return d.s.err
}

// odfRootPart tells the package's own parts from objects stored at its
// root.
func odfRootPart(base string) bool {
	switch base {
	case "", "mimetype", "content.xml", "styles.xml", "meta.xml", "settings.xml", "manifest.rdf", "layout-cache":
		return true
	}
	return false
}

// odfInfraDir tells the package's folders from those of sub-documents.
func odfInfraDir(dir string) bool {
	top := dir[:strings.IndexByte(dir, '/')+1]
	switch top {
	case "META-INF/", "Configurations2/", "Pictures/", "Thumbnails/", "Basic/", "Dialogs/", "Scripts/", "ObjectReplacements/":
		return true
	}
	return false
}

// odfEncrypted lists the members META-INF/manifest.xml says are encrypted.
func (d *doc) odfEncrypted() map[string]bool {
	enc := map[string]bool{}
	rc, err := d.p.open("META-INF/manifest.xml")
	if err != nil {
		return enc
	}
	defer rc.Close()
	dec := newDecoder(rc)
	entry := ""
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return enc
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "file-entry":
			entry = normName(attr(se, "full-path"))
		case "encryption-data":
			if entry != "" && len(enc) < maxRels {
				enc[entry] = true
			}
		}
	}
}

// walkAllText writes all character data of a part as it is: a macro
// module's source.
func walkAllText(r io.Reader, s *sink, tk *ticker) error {
	d := newDecoder(r)
	for {
		tok, err := d.RawToken()
		if err != nil {
			return partError(err)
		}
		if err := tk.tick(); err != nil {
			return err
		}
		if cd, ok := tok.(xml.CharData); ok {
			s.text(cd)
		}
	}
}
