// Package mail reads mail: RFC 822 / MIME messages (.eml), Unix mailboxes
// (mbox), Outlook stores (PST/OST, through Debian's readpst) and Outlook
// .msg files (OLE compound files, read in pure Go).
//
// A message's data-carrying header fields (From, To, Cc, Bcc, Reply-To,
// Subject, Date and any X- field) are written as "Name: value" lines at the
// start of its text stream, followed by its text/plain parts, decoded
// (transfer encoding and charset). Everything else goes back to the
// registry as a child, so it is identified and extracted in turn: HTML
// parts ("part:<n>.html"), attachments ("attachment:<file name>"),
// attached messages ("attachment:<Subject>.eml"), the messages of a
// mailbox ("message 12: <Subject> (<YYYY-MM-DD>)") and of a store
// ("Inbox/<Subject> (<YYYY-MM-DD>)"). Everything streams: a mailbox or a
// message is never held in memory whole, only one header block at a time.
package mail

import (
	"context"
	"fmt"

	"github.com/leakguard/leakguard/internal/extract"
)

// Extractor reads the mail formats. The zero value is not ready: use New.
type Extractor struct {
	// ReadPST is the readpst program (a name looked up in PATH, or a
	// path) that converts PST and OST stores.
	ReadPST string
}

// New returns an extractor of eml, mbox, PST/OST and msg.
func New() *Extractor { return &Extractor{ReadPST: "readpst"} }

// Kinds lists the kinds the extractor reads.
func (x *Extractor) Kinds() []extract.Kind {
	return []extract.Kind{extract.KindEml, extract.KindMbox, extract.KindPST, extract.KindMsg}
}

// Extract reads one mail node.
func (x *Extractor) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	switch n.Kind {
	case extract.KindEml:
		return walkMessage(ctx, n.R, out)
	case extract.KindMbox:
		return extractMbox(ctx, n, out)
	case extract.KindPST:
		return x.extractPST(ctx, n, out)
	case extract.KindMsg:
		return extractMsg(ctx, out)
	}
	return fmt.Errorf("mail: cannot read %s", n.Kind)
}

func (x *Extractor) readpst() string {
	if x.ReadPST == "" {
		return "readpst"
	}
	return x.ReadPST
}
