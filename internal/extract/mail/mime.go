package mail

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"strconv"
	"strings"
	"sync"

	message "github.com/emersion/go-message"
	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/text"
	"github.com/leakguard/leakguard/internal/finding"
)

// maxNesting is the deepest multipart nesting followed inside one message;
// real mail nests three or four levels, a hostile one thousands.
const maxNesting = 32

// walker extracts one MIME message: its data-carrying header fields and
// text parts go to text streams at the message's own location, HTML parts,
// attachments and attached messages to children.
type walker struct {
	ctx   context.Context
	out   extract.Emitter
	src   *trap // the node's reader: its errors end the message
	tw    *extract.TextWriter
	leaf  int // leaf parts seen, for part:<n> labels
	texts int // text parts written
}

// walkMessage extracts the message r holds.
func walkMessage(ctx context.Context, r io.Reader, out extract.Emitter) error {
	w := &walker{ctx: ctx, out: out, src: &trap{r: r}}
	br := messageReaders.Get().(*bufio.Reader)
	br.Reset(w.src)
	err := w.message(br)
	if cerr := w.closeText(); err == nil {
		err = cerr
	}
	// The walk reads on this goroutine and its text stream is closed:
	// nothing holds br any more.
	br.Reset(nil)
	messageReaders.Put(br)
	return err
}

// messageReaders and partBuffers keep the read buffers of messages and of
// their text parts: a mailbox of small messages allocated 64 KiB for each,
// a tenth of the bytes a scan of the benchmark corpus allocated.
var (
	messageReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 32<<10) }}
	partBuffers    = sync.Pool{New: func() any { return new([32 << 10]byte) }}
)

func (w *walker) message(br *bufio.Reader) error {
	h, err := readHeader(br)
	if err != nil {
		return err
	}
	if err := w.headerText(h); err != nil {
		return err
	}
	return w.entity(h, h.Body(br), "text/plain", 0)
}

// headerText writes the data-carrying fields as "Name: value" lines.
func (w *walker) headerText(h *header) error {
	for _, f := range h.Fields {
		if !dataField(f.Name) {
			continue
		}
		v := decodeWords(f.Value)
		if v == "" {
			continue
		}
		if err := w.write(f.Name + ": " + v + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// entity extracts one entity (the message or a part) whose header is h.
// deflt is the content type when h states none.
func (w *walker) entity(h *header, body io.Reader, deflt string, depth int) error {
	typ, params := mediaType(h.Get("Content-Type"))
	if typ == "" || !strings.Contains(typ, "/") {
		typ = deflt
	}
	if !strings.HasPrefix(typ, "multipart/") {
		return w.leafPart(h, typ, params, body)
	}
	boundary := params["boundary"]
	if boundary == "" {
		if err := w.problem([]string{w.nextPartLabel()}, finding.ReasonCorrupt, fmt.Errorf("%s part without a boundary: read as text", typ)); err != nil {
			return err
		}
		return w.leafPart(h, "text/plain", nil, body)
	}
	if depth >= maxNesting {
		return w.problem([]string{w.nextPartLabel()}, finding.ReasonLimit,
			fmt.Errorf("multipart nested deeper than %d levels: not read", maxNesting))
	}
	partDefault := "text/plain"
	if typ == "multipart/digest" {
		partDefault = "message/rfc822"
	}
	mp := newMultipart(body, boundary)
	for {
		part, err := mp.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return w.readError(err, w.nextPartLabel())
		}
		pbr := bufio.NewReader(part)
		ph, err := readHeader(pbr)
		if err != nil {
			return w.readError(err, w.nextPartLabel())
		}
		if err := w.entity(ph, ph.Body(pbr), partDefault, depth+1); err != nil {
			return err
		}
	}
}

// nextPartLabel names the leaf part that would come next, for problems
// found before it is numbered.
func (w *walker) nextPartLabel() string { return "part:" + strconv.Itoa(w.leaf+1) }

// leafPart extracts a part that is not multipart.
func (w *walker) leafPart(h *header, typ string, params map[string]string, raw io.Reader) error {
	w.leaf++
	n := w.leaf
	disp, dparams := mediaType(h.Get("Content-Disposition"))
	name := fileName(dparams["filename"], params["name"])
	ent, err := message.New(decodingHeader(h, typ, params), raw)
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return w.readError(err, "part:"+strconv.Itoa(n))
	}
	body := ent.Body
	switch {
	case typ == "message/rfc822" || typ == "message/global":
		return w.attached(name, n, body)
	case name != "" || disp == "attachment":
		if name == "" {
			name = "part-" + strconv.Itoa(n)
		}
		return w.emit("attachment:"+name, name, body)
	case typ == "text/html" || typ == "application/xhtml+xml":
		if params["charset"] != "" && !message.IsUnknownCharset(err) {
			body = withBOM(body)
		}
		return w.emit(fmt.Sprintf("part:%d.html", n), "body.html", body)
	case typ == "text/rtf" || typ == "application/rtf":
		return w.emit(fmt.Sprintf("part:%d.rtf", n), "body.rtf", body)
	case strings.HasPrefix(typ, "text/"):
		return w.textPart(n, typ, params, err, body)
	default:
		return w.emit("part:"+strconv.Itoa(n), "part-"+strconv.Itoa(n), body)
	}
}

// decodingHeader is the header go-message decodes a part by: only the
// fields that matter to decoding, normalised, so that a malformed
// Content-Type elsewhere in the part does not lose its charset.
func decodingHeader(h *header, typ string, params map[string]string) message.Header {
	var mh message.Header
	if cs := params["charset"]; cs != "" {
		mh.Set("Content-Type", mime.FormatMediaType(typ, map[string]string{"charset": cs}))
	} else {
		mh.Set("Content-Type", typ)
	}
	if cte := strings.TrimSpace(h.Get("Content-Transfer-Encoding")); cte != "" {
		mh.Set("Content-Transfer-Encoding", cte)
	}
	return mh
}

// textPart writes a text part to the message's text stream. Parts whose
// charset go-message did not convert (none stated, UTF-8 or US-ASCII that
// may well be Latin-1, or unknown) are sniffed by text.Decode.
func (w *walker) textPart(n int, typ string, params map[string]string, decErr error, body io.Reader) error {
	cs := strings.ToLower(params["charset"])
	if cs == "" || cs == "utf-8" || cs == "us-ascii" || message.IsUnknownCharset(decErr) {
		body = text.Decode(body)
	}
	w.texts++
	if w.texts > 1 {
		if err := w.write("\n"); err != nil {
			return err
		}
		w.tw.Mark("part:" + strconv.Itoa(n))
	}
	pb := partBuffers.Get().(*[32 << 10]byte)
	defer partBuffers.Put(pb)
	buf := pb[:]
	for {
		k, rerr := body.Read(buf)
		if k > 0 {
			if _, err := w.text().Write(buf[:k]); err != nil {
				return w.closeText()
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return w.readError(rerr, "part:"+strconv.Itoa(n))
		}
	}
	return w.write("\n")
}

// readError decides what a read error means: a failure of the node's own
// reader (a limit, a truncated container) ends the message; a decoding
// error (bad base64, a broken charset) is a problem of that part only.
func (w *walker) readError(err error, label string) error {
	if w.src.err != nil {
		return w.src.err
	}
	return w.problem([]string{label}, finding.ReasonCorrupt, err)
}

// problem records what could not be read, after the text before it.
func (w *walker) problem(labels []string, reason string, err error) error {
	if cerr := w.closeText(); cerr != nil {
		return cerr
	}
	return w.out.Problem(w.ctx, labels, reason, err)
}

// emit sends a part to the registry as a child, after closing the open
// text stream so that findings stay in document order.
func (w *walker) emit(label, name string, r io.Reader) error {
	if err := w.closeText(); err != nil {
		return err
	}
	return w.out.Child(w.ctx, extract.Member{Label: label, Name: name, Size: -1, Compressed: -1, R: r})
}

// text returns the open text stream, opening one at the message's
// location if none is.
func (w *walker) text() *extract.TextWriter {
	if w.tw == nil {
		w.tw = w.out.Text(w.ctx)
	}
	return w.tw
}

func (w *walker) write(s string) error {
	if _, err := w.text().WriteString(s); err != nil {
		return w.closeText()
	}
	return nil
}

func (w *walker) closeText() error {
	if w.tw == nil {
		return nil
	}
	err := w.tw.Close()
	w.tw = nil
	return err
}

// attached sends an attached message to the registry as a child labelled
// by its file name, else its subject, else its part number.
func (w *walker) attached(name string, n int, body io.Reader) error {
	if err := w.closeText(); err != nil {
		return err
	}
	info, r, err := peekMessage(body)
	if err != nil {
		return w.readError(err, "part:"+strconv.Itoa(n))
	}
	if name == "" {
		name = fileSafe(info.Subject)
		if name == "" {
			name = strconv.Itoa(n)
		}
		name += ".eml"
	}
	if ext := strings.ToLower(path.Ext(name)); ext != ".eml" {
		name += ".eml" // the registry knows a message by this extension
	}
	return w.emit("attachment:"+name, name, r)
}

// fileName picks an attachment's file name: Content-Disposition's, else
// Content-Type's, as written (decoded), without a directory.
func fileName(names ...string) string {
	for _, s := range names {
		s = oneLine(s)
		if i := strings.LastIndexAny(s, `/\`); i >= 0 {
			s = s[i+1:]
		}
		if s != "" {
			return s
		}
	}
	return ""
}

// withBOM marks HTML that go-message has converted to UTF-8 with a byte
// order mark, which takes precedence over the page's own <meta charset>:
// that still names the charset the part was sent in.
func withBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(3); string(head) == utf8BOM {
		return br
	}
	return io.MultiReader(strings.NewReader(utf8BOM), br)
}

const utf8BOM = "\xef\xbb\xbf"

// trap passes reads through and keeps the first error other than EOF, so
// a failure of the underlying reader can be told from a decoding error.
type trap struct {
	r   io.Reader
	err error
}

func (t *trap) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && t.err == nil {
		t.err = err
	}
	return n, err
}
