package mail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// maxEmbedded is the deepest chain of messages attached to messages
// followed inside one .msg file.
const maxEmbedded = 16

// extractMsg reads an Outlook .msg file by rewriting it, as it is read, as
// the MIME message it stands for and walking that: the same header lines,
// text parts and children as an .eml, and an attached message becomes an
// attached .eml that the registry extracts in turn.
func extractMsg(ctx context.Context, out extract.Emitter) error {
	ra, _, err := out.Random(ctx)
	if err != nil {
		return err
	}
	m, err := openMsg(ra)
	if err != nil {
		return err
	}
	root := m.open("", 32)
	if !root.isMessage() {
		return extract.Failure(finding.ReasonUnsupported, "compound file without MAPI properties: not an Outlook message")
	}
	pr, pw := io.Pipe()
	mw := &msgWriter{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		pw.CloseWithError(mw.run(pw, root))
	}()
	err = walkMessage(ctx, pr, out)
	pr.CloseWithError(errStopped) // the writer stops if the walk ended early
	wg.Wait()
	if err != nil {
		return err
	}
	for _, p := range mw.problems {
		if err := out.Problem(ctx, p.labels, p.reason, p.err); err != nil {
			return err
		}
	}
	return nil
}

var errStopped = errors.New("mail: reading stopped")

// msgWriter writes the MIME form of a .msg message and notes what it could
// not read, for the caller to report.
type msgWriter struct {
	w        *bufio.Writer
	problems []msgProblem
}

type msgProblem struct {
	labels []string
	reason string
	err    error
}

// run writes the message; a panic of the compound-file reader on a damaged
// file ends the stream with an error instead of the program.
func (mw *msgWriter) run(w io.Writer, root *storage) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt compound file: %v", r)
		}
	}()
	return mw.write(w, root)
}

// write writes the MIME form of the message root to w.
func (mw *msgWriter) write(w io.Writer, root *storage) error {
	mw.w = bufio.NewWriterSize(w, 32<<10)
	if err := mw.message(root, 0, nil); err != nil {
		return err
	}
	return mw.w.Flush()
}

func (mw *msgWriter) problem(labels []string, reason string, err error) {
	mw.problems = append(mw.problems, msgProblem{labels, reason, err})
}

// message writes one message storage. labels locate it for problems.
func (mw *msgWriter) message(s *storage, depth int, labels []string) error {
	w := mw.w
	b := "=_leakguard_" + strconv.Itoa(depth) // "=_" never occurs in quoted-printable or base64
	// Subject first and Content-Type second: they are what identifies the
	// text as a message when an attached one goes back to the registry.
	fmt.Fprintf(w, "Subject: %s\n", oneLine(s.str(0x0037)))
	fmt.Fprintf(w, "Content-Type: multipart/mixed; boundary=%q\nMIME-Version: 1.0\n", b)
	writeField(w, "From", address(first(s.str(0x0C1A), s.str(0x0042)),
		first(s.str(0x5D01), s.str(0x0C1F), s.str(0x5D02), s.str(0x0065))))
	if t, ok := msgDate(s); ok {
		writeField(w, "Date", t.Format(time.RFC1123Z))
	}
	to, cc, bcc := recipients(s)
	writeField(w, "To", first(to, s.str(0x0E04)))
	writeField(w, "Cc", first(cc, s.str(0x0E03)))
	writeField(w, "Bcc", first(bcc, s.str(0x0E02)))
	writeTransport(w, s.str(0x007D))
	w.WriteString("\n")

	// The plain body, then the properties the MIME form has no field for
	// (a contact's phones and addresses), in one text part: they are text
	// of the message itself.
	body, props := s.strReader(0x1000), otherProperties(s)
	hasBody := body != nil
	if body != nil || props != "" {
		var r io.Reader = strings.NewReader(props)
		if body != nil {
			r = io.MultiReader(body, strings.NewReader("\n\n"+props))
		}
		if err := mw.textPart(b, r, "text/plain", labels); err != nil {
			return err
		}
	}
	if f := s.stream(0x1013, ptBinary); f != nil {
		hasBody = true
		mw.binaryPart(b, section(f), "Content-Type: text/html\n", slices.Concat(labels, []string{"body.html"}))
	} else if r := s.strReader(0x1013); r != nil {
		hasBody = true
		if err := mw.textPart(b, r, "text/html", slices.Concat(labels, []string{"body.html"})); err != nil {
			return err
		}
	}
	if f := s.stream(0x1009, ptBinary); f != nil && !hasBody {
		if rtf, err := decompressRTF(section(f)); err != nil {
			mw.problem(slices.Concat(labels, []string{"body.rtf"}), finding.ReasonCorrupt, err)
		} else {
			mw.binaryPart(b, bytes.NewReader(rtf), "Content-Type: text/rtf\n", slices.Concat(labels, []string{"body.rtf"}))
		}
	}
	for i, name := range s.subs("__attach_version1.0_#") {
		if err := mw.attachment(b, s.sub(name, 8), i+1, depth, labels); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "--%s--\n", b)
	return err
}

// attachment writes one attachment storage as a part of boundary b: its
// data as a file, or an attached message as message/rfc822.
func (mw *msgWriter) attachment(b string, a *storage, n, depth int, labels []string) error {
	w := mw.w
	name := fileName(a.str(0x3707), a.str(0x3704), a.str(0x3001))
	if obj := a.sub("__substg1.0_3701000D", 24); obj != nil {
		method, _ := a.long(0x3705)
		if method != attachEmbeddedMsg && !obj.has(0x0037) && !obj.has(0x1000) {
			mw.problem(slices.Concat(labels, []string{"attachment:" + first(name, "object-"+strconv.Itoa(n))}),
				finding.ReasonUnsupported, errors.New("embedded OLE object attachment: not read"))
			return nil
		}
		label := "attachment:" + first(name, strconv.Itoa(n)) + ".eml"
		if depth+1 >= maxEmbedded {
			mw.problem(slices.Concat(labels, []string{label}), finding.ReasonLimit,
				fmt.Errorf("messages attached more than %d deep: not read", maxEmbedded))
			return nil
		}
		fmt.Fprintf(w, "--%s\nContent-Type: message/rfc822\n", b)
		if name != "" {
			fmt.Fprintf(w, "Content-Disposition: %s\n", disposition(name+".eml"))
		}
		w.WriteString("\n")
		return mw.message(obj, depth+1, slices.Concat(labels, []string{label}))
	}
	f := a.stream(0x3701, ptBinary)
	if f == nil {
		return nil // attached by reference: there is no content here
	}
	if name == "" {
		name = "attachment-" + strconv.Itoa(n)
	}
	typ := strings.ToLower(a.str(0x370E))
	if _, _, err := mime.ParseMediaType(typ); err != nil || typ == "" {
		typ = "application/octet-stream"
	}
	mw.binaryPart(b, section(f), "Content-Type: "+typ+"\nContent-Disposition: "+disposition(name)+"\n",
		slices.Concat(labels, []string{"attachment:" + name}))
	return nil
}

// attachEmbeddedMsg is the PR_ATTACH_METHOD of an attached message.
const attachEmbeddedMsg = 5

// textPart writes UTF-8 text as a quoted-printable part of boundary b;
// quoted-printable lines never look like a boundary.
func (mw *msgWriter) textPart(b string, r io.Reader, typ string, labels []string) error {
	w := mw.w
	fmt.Fprintf(w, "--%s\nContent-Type: %s; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n", b, typ)
	qp := quotedprintable.NewWriter(w)
	if _, err := io.Copy(qp, r); err != nil {
		if errors.Is(err, errStopped) {
			return err
		}
		mw.problem(labels, finding.ReasonCorrupt, err)
	}
	qp.Close()
	_, err := w.WriteString("\n")
	return err
}

// binaryPart writes content in base64 as a part of boundary b with the
// given header lines.
func (mw *msgWriter) binaryPart(b string, r io.Reader, header string, labels []string) {
	w := mw.w
	fmt.Fprintf(w, "--%s\n%sContent-Transfer-Encoding: base64\n\n", b, header)
	enc := newBase64Lines(w)
	if _, err := io.Copy(enc, r); err != nil && !errors.Is(err, errStopped) {
		mw.problem(labels, finding.ReasonCorrupt, err)
	}
	enc.Close()
	w.WriteString("\n")
}
