package mail

import (
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// An Outlook .msg file is an OLE compound file: each MAPI property of the
// message is a stream "__substg1.0_IIIITTTT" (IIII the property id, TTTT
// its type: 001F UTF-16 string, 001E 8-bit string, 0102 binary, 000D an
// object storage), fixed-size properties (numbers, times) sit in the
// "__properties_version1.0" stream, and recipients and attachments are
// storages "__recip_version1.0_#N" and "__attach_version1.0_#N" of the same
// shape. An attached message is the storage "__substg1.0_3701000D" of its
// attachment.

// MAPI property types used here.
const (
	ptLong    = 0x0003
	ptSysTime = 0x0040
	ptString8 = 0x001E
	ptUnicode = 0x001F
	ptBinary  = 0x0102
	ptObject  = 0x000D
)

// maxProp bounds a string property read whole (subjects, names, headers);
// bodies are streamed.
const maxProp = 1 << 20

// msgFile indexes the entries of a compound file by their storage path.
type msgFile struct {
	dirs map[string][]*mscfb.File // storage path ("" is the root) → entries in it
}

// openMsg reads the directory of a compound file. mscfb is third-party code
// reading untrusted bytes, so a panic in it is turned into an error.
func openMsg(ra io.ReaderAt) (m *msgFile, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("corrupt compound file: %v", r)
		}
	}()
	doc, err := mscfb.New(ra)
	if err != nil {
		return nil, fmt.Errorf("not a readable compound file: %w", err)
	}
	m = &msgFile{dirs: map[string][]*mscfb.File{}}
	for i, f := range doc.File {
		if i == 0 {
			continue // the root entry itself
		}
		p := strings.Join(f.Path, "/")
		m.dirs[p] = append(m.dirs[p], f)
	}
	return m, nil
}

// storage is one message, recipient or attachment storage.
type storage struct {
	m       *msgFile
	path    string
	entries map[string]*mscfb.File // by upper-case name
	props   map[uint16]propEntry   // fixed-size properties by id
	cp      encoding.Encoding      // of 8-bit strings; nil when unknown
}

type propEntry struct {
	typ   uint16
	value [8]byte
}

// open returns the storage at path; headerLen is the size of the header of
// its properties stream (32 for the top message, 24 for an attached one,
// 8 for recipients and attachments).
func (m *msgFile) open(path string, headerLen int) *storage {
	s := &storage{m: m, path: path, entries: map[string]*mscfb.File{}, props: map[uint16]propEntry{}}
	for _, f := range m.dirs[path] {
		s.entries[strings.ToUpper(f.Name)] = f
	}
	if f := s.entries["__PROPERTIES_VERSION1.0"]; f != nil && f.Size > int64(headerLen) && f.Size < 1<<20 {
		b, _ := readAll(f, f.Size)
		for off := headerLen; off+16 <= len(b); off += 16 {
			tag := binary.LittleEndian.Uint32(b[off:])
			var e propEntry
			e.typ = uint16(tag)
			copy(e.value[:], b[off+8:off+16])
			s.props[uint16(tag>>16)] = e
		}
	}
	s.cp = codepage(s)
	return s
}

// sub opens a child storage by name.
func (s *storage) sub(name string, headerLen int) *storage {
	f := s.entries[strings.ToUpper(name)]
	if f == nil || !f.FileInfo().IsDir() {
		return nil
	}
	p := f.Name
	if s.path != "" {
		p = s.path + "/" + f.Name
	}
	c := s.m.open(p, headerLen)
	if c.cp == nil {
		c.cp = s.cp // recipients and attachments use their message's code page
	}
	return c
}

// subs lists the child storages whose names start with prefix, in order.
func (s *storage) subs(prefix string) []string {
	var names []string
	for name, f := range s.entries {
		if strings.HasPrefix(name, strings.ToUpper(prefix)) && f.FileInfo().IsDir() {
			names = append(names, f.Name)
		}
	}
	slices.Sort(names)
	return names
}

func (s *storage) stream(id, typ uint16) *mscfb.File {
	f := s.entries[fmt.Sprintf("__SUBSTG1.0_%04X%04X", id, typ)]
	if f == nil || f.FileInfo().IsDir() {
		return nil
	}
	return f
}

// isMessage reports whether the storage holds MAPI properties.
func (s *storage) isMessage() bool {
	if s.entries["__PROPERTIES_VERSION1.0"] != nil {
		return true
	}
	for name := range s.entries {
		if strings.HasPrefix(name, "__SUBSTG1.0_") {
			return true
		}
	}
	return false
}

// has reports whether the string property id is present.
func (s *storage) has(id uint16) bool {
	return s.stream(id, ptUnicode) != nil || s.stream(id, ptString8) != nil
}

// str returns a string property, Unicode or 8-bit, as one trimmed string
// (at most maxProp bytes are read).
func (s *storage) str(id uint16) string {
	r := s.strReader(id)
	if r == nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(r, maxProp))
	return strings.TrimSpace(strings.TrimRight(fixUTF8(string(b)), "\x00"))
}

// strReader streams a string property as UTF-8, or returns nil.
func (s *storage) strReader(id uint16) io.Reader {
	if f := s.stream(id, ptUnicode); f != nil {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
		return transform.NewReader(section(f), dec)
	}
	if f := s.stream(id, ptString8); f != nil {
		if s.cp != nil {
			return transform.NewReader(section(f), s.cp.NewDecoder())
		}
		return section(f)
	}
	return nil
}

// long returns a 32-bit integer property.
func (s *storage) long(id uint16) (int32, bool) {
	e, ok := s.props[id]
	if !ok || e.typ != ptLong {
		return 0, false
	}
	return int32(binary.LittleEndian.Uint32(e.value[:4])), true
}

// time returns a time property (a FILETIME: 100 ns since 1601).
func (s *storage) time(id uint16) (time.Time, bool) {
	e, ok := s.props[id]
	if !ok || e.typ != ptSysTime {
		return time.Time{}, false
	}
	ft := binary.LittleEndian.Uint64(e.value[:])
	if ft == 0 {
		return time.Time{}, false
	}
	const epochDiff = 116444736000000000                      // 1601-01-01 to 1970-01-01 in 100 ns
	if ft < epochDiff || ft > epochDiff+4102444800*10000000 { // before 1970 or after 2100: noise
		return time.Time{}, false
	}
	ns := int64(ft-epochDiff) * 100
	return time.Unix(0, ns).UTC(), true
}

func section(f *mscfb.File) io.Reader { return io.NewSectionReader(f, 0, f.Size) }

func readAll(f *mscfb.File, max int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(section(f), max))
}
