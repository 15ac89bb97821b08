package extract

import (
	"bytes"
	"path"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// HeadSize is how many leading bytes identify a node.
const HeadSize = 8 << 10

// byMIME maps what mimetype recognises from magic bytes to our kinds.
var byMIME = map[string]Kind{
	"application/zip":               KindZip,
	"application/java-archive":      KindZip,
	"application/x-tar":             KindTar,
	"application/gzip":              KindGzip,
	"application/x-bzip2":           KindBzip2,
	"application/x-xz":              KindXz,
	"application/zstd":              KindZstd,
	"application/lzip":              KindLzip,
	"application/x-7z-compressed":   Kind7z,
	"application/vnd.rar":           KindRar,
	"application/pdf":               KindPDF,
	"application/epub+zip":          KindEpub,
	"text/rtf":                      KindRTF,
	"text/html":                     KindHTML,
	"application/xhtml+xml":         KindHTML,
	"message/rfc822":                KindEml,
	"application/x-ole-storage":     KindOLE,
	"application/vnd.ms-outlook":    KindMsg,
	"application/msword":            KindDoc,
	"application/vnd.ms-excel":      KindXls,
	"application/vnd.ms-powerpoint": KindPpt,

	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   KindDocx,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         KindXlsx,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": KindPptx,
	"application/vnd.ms-visio.drawing.main+xml":                                 KindVsdx,
	"application/vnd.oasis.opendocument.text":                                   KindOdt,
	"application/vnd.oasis.opendocument.text-template":                          KindOdt,
	"application/vnd.oasis.opendocument.spreadsheet":                            KindOds,
	"application/vnd.oasis.opendocument.spreadsheet-template":                   KindOds,
	"application/vnd.oasis.opendocument.presentation":                           KindOdp,
	"application/vnd.oasis.opendocument.presentation-template":                  KindOdp,
}

// zipByExt refines a zip whose office type the head did not show (the
// manifest member is not always first) by the name's extension.
var zipByExt = map[string]Kind{
	".docx": KindDocx, ".docm": KindDocx, ".dotx": KindDocx, ".dotm": KindDocx,
	".xlsx": KindXlsx, ".xlsm": KindXlsx, ".xltx": KindXlsx, ".xltm": KindXlsx,
	".pptx": KindPptx, ".pptm": KindPptx, ".potx": KindPptx, ".ppsx": KindPptx,
	".vsdx": KindVsdx,
	".odt":  KindOdt, ".ott": KindOdt, ".ods": KindOds, ".ots": KindOds,
	".odp": KindOdp, ".otp": KindOdp, ".epub": KindEpub,
}

// oleByExt names the application of a compound file mimetype left generic.
var oleByExt = map[string]Kind{
	".doc": KindDoc, ".dot": KindDoc, ".xls": KindXls, ".xlt": KindXls,
	".ppt": KindPpt, ".pps": KindPpt, ".msg": KindMsg,
}

var pstMagic = []byte("!BDN")

// Identify decides a node's kind from its first bytes and its name. Magic
// bytes decide; the name only refines a generic container (a zip, a
// compound file) or recognises formats without magic (mbox). Text that
// is not markup or mail is KindText; anything else unrecognised is
// KindBinary.
func Identify(head []byte, name string) Kind {
	ext := strings.ToLower(path.Ext(name))
	if bytes.HasPrefix(head, pstMagic) && len(head) >= 10 && (ext == ".pst" || ext == ".ost" || head[8] == 'S' && head[9] == 'M') {
		return KindPST
	}
	if bytes.HasPrefix(head, []byte(`{\rtf`)) {
		return KindRTF // whatever follows: RTF writers leave NULs at the end
	}
	if isUTF16HTML(head, ext) {
		return KindHTML
	}
	if isMbox(head) {
		return KindMbox
	}
	if looksLikeMail(head, ext) {
		return KindEml
	}
	mt := mimetype.Detect(head)
	for m := mt; m != nil; m = m.Parent() {
		mime, _, _ := strings.Cut(m.String(), ";") // "text/html; charset=utf-8"
		k, ok := byMIME[mime]
		if !ok {
			continue
		}
		switch k {
		case KindZip:
			if zk, ok := zipByExt[ext]; ok {
				return zk
			}
		case KindOLE:
			if app, known := oleByExt[ext]; known {
				return app
			}
		case KindHTML, KindRTF:
			// A page of source code that mentions <html> is still worth
			// scanning as the text it is; the markup walker is for real
			// documents, which the name confirms.
			if isSourceName(ext) {
				return KindText
			}
		case KindEml:
			if ext != ".eml" && ext != ".msg" && ext != "" && ext != ".txt" && ext != ".mht" && ext != ".mhtml" {
				return KindText
			}
		}
		return k
	}
	if mt.Is("text/plain") || isTextMIME(mt) {
		return KindText
	}
	return KindBinary
}

// isTextMIME reports whether mimetype placed the content under text/plain
// (XML, JSON, CSV and the like): those are scanned as text, markup and all,
// because a key in a config file is findable only with its element name.
func isTextMIME(mt *mimetype.MIME) bool {
	for m := mt; m != nil; m = m.Parent() {
		if m.Is("text/plain") {
			return true
		}
	}
	return false
}

// isSourceName reports whether a file extension names program source or
// templates rather than a document.
func isSourceName(ext string) bool {
	switch ext {
	case ".go", ".js", ".ts", ".jsx", ".tsx", ".py", ".rb", ".php", ".java", ".c", ".h", ".cc", ".cpp",
		".cs", ".rs", ".sh", ".md", ".tmpl", ".tpl", ".vue", ".svelte", ".erb", ".jsp", ".asp", ".aspx",
		".txt", ".golden", ".json", ".yaml", ".yml":
		return true
	}
	return false
}

// isUTF16HTML recognises a web page saved as UTF-16 with a byte order
// mark, which magic-byte sniffers read as binary or plain text.
func isUTF16HTML(head []byte, ext string) bool {
	if ext != ".html" && ext != ".htm" && ext != ".xhtml" {
		return false
	}
	if len(head) < 4 || !(head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
		return false
	}
	for i := 2; i+1 < len(head) && i < 64; i += 2 {
		c := head[i]
		if head[0] == 0xFE {
			c = head[i+1]
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '<':
			return true
		}
		return false
	}
	return false
}

// isMbox recognises the "From " separator line of a Unix mailbox: "From",
// the envelope sender, and a date with a time of day.
func isMbox(head []byte) bool {
	if !bytes.HasPrefix(head, []byte("From ")) {
		return false
	}
	nl := bytes.IndexByte(head, '\n')
	if nl < 0 || nl > 256 {
		return false
	}
	return hasTimeOfDay(head[:nl])
}

func hasTimeOfDay(b []byte) bool {
	for i := 0; i+5 <= len(b); i++ {
		if isDigit(b[i]) && isDigit(b[i+1]) && b[i+2] == ':' && isDigit(b[i+3]) && isDigit(b[i+4]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// mailHeaders are the header fields whose presence says "this is a message".
var mailHeaders = []string{"from", "to", "subject", "date", "received", "message-id", "mime-version", "return-path", "content-type"}

// looksLikeMail recognises an RFC 5322 message: a block of header fields
// starting at the first byte. A file named .eml needs one known field among
// its headers; any other name needs three, so that a config file of
// "key: value" lines is not mistaken for mail.
func looksLikeMail(head []byte, ext string) bool {
	need := 3
	switch ext {
	case ".eml", ".mht", ".mhtml", ".msg":
		need = 1
	case ".go", ".py", ".js", ".yaml", ".yml", ".json", ".md", ".java", ".c", ".h", ".rs", ".rb", ".php", ".sh", ".toml", ".ini", ".conf", ".cfg", ".properties", ".env":
		return false
	}
	known := 0
	for lineNo := 0; lineNo < 60 && len(head) > 0; lineNo++ {
		nl := bytes.IndexByte(head, '\n')
		if nl < 0 {
			nl = len(head)
		}
		line := bytes.TrimRight(head[:nl], "\r")
		head = head[min(nl+1, len(head)):]
		if len(line) == 0 {
			break // end of the header block
		}
		if line[0] == ' ' || line[0] == '\t' {
			if lineNo == 0 {
				return false
			}
			continue // a folded continuation
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || colon > 76 {
			return false
		}
		for _, c := range line[:colon] {
			if c <= ' ' || c > '~' {
				return false
			}
		}
		name := strings.ToLower(string(line[:colon]))
		for _, h := range mailHeaders {
			if name == h {
				known++
			}
		}
	}
	return known >= need
}
