package office

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"github.com/leakguard/leakguard/internal/extract"
	"io"
	"net/url"
	"path"
	"strings"
)

// pkg is an opened zip package: an OOXML, ODF or EPUB document.
type pkg struct {
	zr     *zip.Reader
	byName map[string]*zip.File // normalised name → first member of that name
	byLow  map[string]*zip.File // lower-cased normalised name → first member
	b      *budget
}

func openPkg(ra io.ReaderAt, size int64, lim extract.Limits) (*pkg, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, err
	}
	p := &pkg{zr: zr, byName: make(map[string]*zip.File, len(zr.File)), byLow: make(map[string]*zip.File, len(zr.File)), b: newBudget(lim)}
	for _, f := range zr.File {
		n := normName(f.Name)
		if _, dup := p.byName[n]; !dup {
			p.byName[n] = f
		}
		if l := strings.ToLower(n); p.byLow[l] == nil {
			p.byLow[l] = f
		}
	}
	return p, nil
}

// normName makes a member name comparable with a part name: forward
// slashes, no leading slash.
func normName(n string) string {
	return strings.TrimLeft(strings.ReplaceAll(n, `\`, "/"), "/")
}

// file finds a part by name; part names are case-insensitive in OOXML and
// producers differ in case.
func (p *pkg) file(name string) *zip.File {
	name = normName(name)
	if f := p.byName[name]; f != nil {
		return f
	}
	return p.byLow[strings.ToLower(name)]
}

func (p *pkg) has(name string) bool { return p.file(name) != nil }

// errMissing says a part is not in the package.
var errMissing = errors.New("part missing")

// open opens a part for streaming, after checking its declared sizes, with
// the document's budget metered as it is read.
func (p *pkg) open(name string) (io.ReadCloser, error) {
	f := p.file(name)
	if f == nil {
		return nil, fmt.Errorf("%s: %w", name, errMissing)
	}
	return p.openFile(f)
}

func (p *pkg) openFile(f *zip.File) (io.ReadCloser, error) {
	if err := checkMember(f, p.b); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return readCloser{bufio.NewReaderSize(&guarded{r: rc, b: p.b}, 64<<10), rc}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// rel is one relationship of an OOXML part.
type rel struct {
	id, typ, target string
	external        bool
}

// kind is the last element of the relationship type URI ("worksheet",
// "officeDocument"): transitional and strict OOXML differ only before it.
func (r rel) kind() string { return r.typ[strings.LastIndexByte(r.typ, '/')+1:] }

// relsName is the relationships part of a part: word/document.xml →
// word/_rels/document.xml.rels; "" is the package itself.
func relsName(part string) string {
	dir, file := path.Split(normName(part))
	return dir + "_rels/" + file + ".rels"
}

// resolve turns a relationship target into a part name.
func resolve(source, target string) string {
	if u, err := url.PathUnescape(target); err == nil {
		target = u
	}
	target = strings.ReplaceAll(target, `\`, "/")
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target = target[:i]
	}
	if strings.HasPrefix(target, "/") {
		return strings.TrimLeft(path.Clean(target), "/")
	}
	return strings.TrimLeft(path.Clean(path.Join(path.Dir(normName(source)), target)), "/")
}

// rels reads the relationships of part; a missing or broken rels part is no
// relationships (what can be read of it is kept).
func (p *pkg) rels(part string) []rel {
	rc, err := p.open(relsName(part))
	if err != nil {
		return nil
	}
	defer rc.Close()
	var out []rel
	d := newDecoder(rc)
	for len(out) < maxRels {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		se, ok := tok.(startElem)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		r := rel{id: attr(se, "Id"), typ: attr(se, "Type"), target: attr(se, "Target")}
		r.external = strings.EqualFold(attr(se, "TargetMode"), "External")
		if !r.external {
			r.target = resolve(part, r.target)
		}
		out = append(out, r)
	}
	return out
}

// maxRels bounds the relationships kept for one part.
const maxRels = 1 << 16

func byID(rs []rel) map[string]rel {
	m := make(map[string]rel, len(rs))
	for _, r := range rs {
		m[r.id] = r
	}
	return m
}

func ofKind(rs []rel, kind string) []rel {
	var out []rel
	for _, r := range rs {
		if r.kind() == kind {
			out = append(out, r)
		}
	}
	return out
}
