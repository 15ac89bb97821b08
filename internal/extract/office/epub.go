package office

import (
	"encoding/xml"
	"io"
	"path"
	"strings"
)

// epub reads an EPUB: the package document (OPF) named by
// META-INF/container.xml gives the metadata, written as "metadata", and
// the spine, the reading order of the content documents. Each content
// document goes to the registry as a child labelled with its path in the
// zip; the HTML extractor reads it. Content documents encrypted by a DRM
// scheme are recorded as encrypted (font obfuscation is not encryption).
func (d *doc) epub() error {
	tk := &ticker{ctx: d.ctx}
	opf := d.epubRootfile()
	enc := d.epubEncrypted()
	var spine []string
	if opf != "" {
		if err := d.part(opf, []string{"metadata"}, func(r io.Reader) error {
			var err error
			spine, err = walkOPF(r, d.s, opf, tk)
			return err
		}); err != nil {
			return err
		}
		d.s.end()
	}
	if len(spine) == 0 { // no usable package document: every XHTML file, in zip order
		for _, f := range d.p.zr.File {
			switch strings.ToLower(path.Ext(f.Name)) {
			case ".xhtml", ".html", ".htm":
				spine = append(spine, normName(f.Name))
			}
		}
	}
	seen := map[string]bool{}
	for _, name := range spine {
		f := d.p.file(name)
		if f == nil || seen[normName(f.Name)] {
			continue
		}
		seen[normName(f.Name)] = true
		label := normName(f.Name)
		if enc[label] {
			if err := d.out.Problem(d.ctx, []string{label}, "", &encryptedMember{label}); err != nil {
				return err
			}
			continue
		}
		if err := d.child(f, label); err != nil {
			return err
		}
	}
	return nil
}

// epubRootfile is the package document's path, from container.xml or, when
// that is missing, the first .opf member.
func (d *doc) epubRootfile() string {
	if rc, err := d.p.open("META-INF/container.xml"); err == nil {
		defer rc.Close()
		dec := newDecoder(rc)
		for {
			tok, err := dec.RawToken()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rootfile" {
				if p := attr(se, "full-path"); p != "" && d.p.has(p) {
					return normName(p)
				}
			}
		}
	}
	for _, f := range d.p.zr.File {
		if strings.EqualFold(path.Ext(f.Name), ".opf") {
			return normName(f.Name)
		}
	}
	return ""
}

// fontObfuscation are the EncryptionMethod algorithms that only scramble
// embedded fonts.
func fontObfuscation(alg string) bool {
	return alg == "http://www.idpf.org/2008/embedding" || alg == "http://ns.adobe.com/pdf/enc#RC"
}

// epubEncrypted lists the members META-INF/encryption.xml says are
// encrypted.
func (d *doc) epubEncrypted() map[string]bool {
	enc := map[string]bool{}
	rc, err := d.p.open("META-INF/encryption.xml")
	if err != nil {
		return enc
	}
	defer rc.Close()
	dec := newDecoder(rc)
	alg := ""
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
		case "EncryptedData":
			alg = ""
		case "EncryptionMethod":
			alg = attr(se, "Algorithm")
		case "CipherReference":
			if !fontObfuscation(alg) && len(enc) < maxRels {
				enc[resolve("", attr(se, "URI"))] = true
			}
		}
	}
}

// walkOPF writes the package metadata (title, creator, subject,
// description, publisher, rights: "key: value" lines) and returns the
// spine's documents as zip paths.
func walkOPF(r io.Reader, s *sink, opf string, tk *ticker) ([]string, error) {
	d := newDecoder(r)
	hrefs := map[string]string{}
	var idrefs []string
	meta, key := false, ""
	val := textBuf{max: maxProp}
	for {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if err := tk.tick(); err != nil {
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "metadata":
				meta = true
			case "title", "creator", "subject", "description", "publisher", "rights", "contributor":
				if meta {
					key = e.Name.Local
					val.reset()
				}
			case "item":
				if len(hrefs) < maxRels {
					hrefs[attr(e, "id")] = attr(e, "href")
				}
			case "itemref":
				if len(idrefs) < maxRels {
					idrefs = append(idrefs, attr(e, "idref"))
				}
			}
		case xml.EndElement:
			switch {
			case e.Name.Local == "metadata":
				meta = false
			case key != "" && e.Name.Local == key:
				if v := strings.TrimSpace(string(val.b)); v != "" {
					s.str(key + ": " + v)
					s.sep('\n')
				}
				key = ""
			}
		case xml.CharData:
			if key != "" {
				val.add(e)
			}
		}
	}
	var spine []string
	for _, id := range idrefs {
		if h, ok := hrefs[id]; ok && h != "" {
			spine = append(spine, resolve(opf, h))
		}
	}
	return spine, nil
}
