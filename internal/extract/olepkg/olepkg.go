// Package olepkg unwraps files embedded in Office documents as OLE
// objects: the OLE 1.0 native stream ("\x01Ole10Native") and the Packager
// format inside it, which Word, Excel, PowerPoint, RTF and compound files
// all use to carry an attached file. It is shared by the extractors of those
// formats so that the format is parsed in one place.
package olepkg

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// Native unwraps an OLE 1.0 native stream: a 4-byte size, then the
// object's data. When that data is a packaged file it returns the file's
// name and bytes; otherwise an empty name and the native data.
func Native(b []byte) (name string, data []byte) {
	if len(b) < 4 {
		return "", b
	}
	data = b[4:]
	if n := binary.LittleEndian.Uint32(b); uint64(n) <= uint64(len(data)) {
		data = data[:n]
	}
	if name, file, ok := Unpack(data); ok {
		return name, file
	}
	return "", data
}

// Unpack parses the Packager format: a 2-byte type, a label and the
// original path (NUL-terminated), 4 reserved bytes, the length and text of
// a temporary path, then a 4-byte size and the file's bytes. The name is
// the label, or the original path's last element when there is no label.
func Unpack(b []byte) (name string, data []byte, ok bool) {
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
	path, ok2 := cstr()
	if !ok1 || !ok2 || len(p) < 8 {
		return "", nil, false
	}
	n := binary.LittleEndian.Uint32(p[4:])
	p = p[8:]
	if uint64(n) > uint64(len(p)) {
		return "", nil, false
	}
	p = p[n:]
	if len(p) < 4 {
		return "", nil, false
	}
	size := binary.LittleEndian.Uint32(p)
	p = p[4:]
	if uint64(size) > uint64(len(p)) {
		return "", nil, false
	}
	name = label
	if i := strings.LastIndexAny(path, `\/`); name == "" && i >= 0 {
		name = path[i+1:]
	}
	return name, p[:size], true
}

// ClassExt gives an embedded object of a known OLE class (its ProgID,
// "Excel.Sheet.8") the file extension that tells the registry what it is,
// or "" for other classes.
func ClassExt(class string) string {
	c := strings.ToLower(strings.TrimSpace(class))
	switch {
	case strings.HasPrefix(c, "word.document.8"), strings.HasPrefix(c, "word.document.6"):
		return ".doc"
	case strings.HasPrefix(c, "excel.sheet.8"), strings.HasPrefix(c, "excel.sheet.5"), strings.HasPrefix(c, "excel.chart.8"):
		return ".xls"
	case strings.HasPrefix(c, "powerpoint.show.8"), strings.HasPrefix(c, "powerpoint.slide.8"):
		return ".ppt"
	}
	return ""
}
