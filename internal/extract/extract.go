// Package extract turns what a file holds into text the engine can scan.
//
// A top-level item (a file on disk, standard input) becomes a Node. The
// registry identifies its Kind from magic bytes (and the name, for the few
// formats that have no magic), hands it to the extractor registered for that
// kind, and sends everything the extractor emits back through itself: an
// archive member, a mail attachment or an embedded object is a child Node and
// is identified and extracted in turn, to a depth limit. Text, whether a
// plain file or the body of a document, goes to the Scanner (the detection
// engine) through a TextWriter, which also records where sub-locations
// (pages, sheets, cells, slides) begin, so a finding says exactly where it is.
//
// The registry owns the limits (bytes expanded, depth, entries, ratio, time),
// the item errors of members that cannot be read (siblings go on) and the
// dedup of content seen before (the same attachment in 500 mails is scanned
// once and reported at every place). Extractors own one format each, live in
// their own packages (archive, office, pdf, mail, …) and know nothing of the
// engine.
package extract

import (
	"context"
	"io"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// Kind names a content type the registry can route.
type Kind string

// Kinds the registry identifies. An extractor declares which it reads.
const (
	KindText   Kind = "text"   // plain text in any encoding text.Decode reads
	KindBinary Kind = "binary" // unknown binary: only magic-byte rules apply

	KindZip   Kind = "zip"
	KindTar   Kind = "tar"
	KindGzip  Kind = "gzip"
	KindBzip2 Kind = "bzip2"
	KindXz    Kind = "xz"
	KindZstd  Kind = "zstd"
	KindLzip  Kind = "lzip"
	Kind7z    Kind = "7z"
	KindRar   Kind = "rar"

	KindDocx Kind = "docx"
	KindXlsx Kind = "xlsx"
	KindPptx Kind = "pptx"
	KindVsdx Kind = "vsdx"
	KindOdt  Kind = "odt"
	KindOds  Kind = "ods"
	KindOdp  Kind = "odp"
	KindEpub Kind = "epub"
	KindRTF  Kind = "rtf"
	KindHTML Kind = "html"
	KindXML  Kind = "xml"
	KindPDF  Kind = "pdf"

	KindOLE Kind = "ole" // a compound file of unknown application
	KindDoc Kind = "doc"
	KindXls Kind = "xls"
	KindPpt Kind = "ppt"
	KindMsg Kind = "msg"

	KindEml  Kind = "eml"
	KindMbox Kind = "mbox"
	KindPST  Kind = "pst"
)

// Node is one piece of content being extracted: a top-level item or a member
// inside one.
type Node struct {
	// Location names the node: Path is the file on disk (or "-" for
	// standard input), Container the chain of labels inside it.
	Location finding.Location
	// Name is the node's own file name (an archive member's path, an
	// attachment's file name), used for type hints and path-scoped rules.
	Name string
	// Kind is what the registry identified.
	Kind Kind
	// Size is the length in bytes, or -1 when unknown.
	Size int64
	// Depth is 0 for a top-level item and one more for each container.
	Depth int
	// Head holds the first bytes (up to HeadSize) that identified the kind.
	Head []byte
	// R reads the whole content from the start (Head included).
	R io.Reader
	// At gives random access when the content is a file on disk or was
	// small enough to hold in memory; nil otherwise. Formats that need it
	// (zip and everything built on zip, 7z, PDF, OLE) ask the registry with
	// Emitter.Random.
	At io.ReaderAt
	// ModTime is the modification time when known.
	ModTime time.Time
}

// Member is what an extractor hands back to the registry for a child.
type Member struct {
	// Label is the child's element of the container chain, e.g.
	// "hr/2014.tar.gz", "attachment:passwords.docx", "embedded:oleObject1.bin".
	Label string
	// Name is the child's file name for type hints and path-scoped rules;
	// Label when empty.
	Name string
	// Size is the content length when the container states it, else -1.
	Size int64
	// Compressed is the stored size when the container states it, else -1;
	// with Size it gives the expansion ratio checked before reading.
	Compressed int64
	ModTime    time.Time
	R          io.Reader
	// Slice says the child's bytes are a stretch of the node's own (a
	// message of an mbox, a member of an uncompressed tar), not an
	// expansion: they are not charged again against Limits.MaxBytes.
	Slice bool
}

// Extractor reads one family of formats.
type Extractor interface {
	// Kinds lists the kinds this extractor reads.
	Kinds() []Kind
	// Extract reads n and sends what it holds to out: members with
	// out.Child, text with out.Text, members it cannot read with
	// out.Problem. It returns an error only when n as a whole cannot be
	// read (corrupt, encrypted, unsupported); the registry records it as an
	// item error at n's location. Errors returned by out (a limit, a
	// cancelled scan) must be returned as they are, promptly.
	Extract(ctx context.Context, n *Node, out Emitter) error
}

// Expander is implemented by an extractor that can tell from a file's name
// alone that its content is likely many times its stored size (a
// compressed stream): a scan starts such files early, so that one begun
// last does not keep a worker busy while the others wait.
type Expander interface {
	// Expansion estimates the bytes of content per byte stored of a file
	// named name: 1 when the name says nothing.
	Expansion(name string) int
}

// Emitter is what an extractor writes to. It is implemented by the
// registry; one emitter serves one node.
type Emitter interface {
	// Child identifies m and extracts or scans it before returning. Its
	// failures are recorded at its own location; Child returns an error
	// only when the whole item must stop (a limit of the top-level item,
	// the context), and the extractor must then return it.
	Child(ctx context.Context, m Member) error
	// Text starts a text stream for the engine. labels are appended to the
	// node's container chain for everything written to it (e.g.
	// "sheet:Payroll"); TextWriter.Mark refines that within the stream.
	// The caller must Close it before starting another.
	Text(ctx context.Context, labels ...string) *TextWriter
	// Problem records that part of the node could not be read (an
	// encrypted member, a corrupt stream): labels locate it below the node.
	// It returns an error only when the scan must stop.
	Problem(ctx context.Context, labels []string, reason string, err error) error
	// Random returns random access to the node's content, reading it into
	// memory when the node is not a file (up to Limits.MaxBuffer); it
	// fails with a *LimitError beyond that.
	Random(ctx context.Context) (io.ReaderAt, int64, error)
	// Reroute hands the node to the extractor of kind k, when reading it
	// showed it is really a k (a compound file holding a Workbook stream
	// is a spreadsheet whatever its name). It needs random access to the
	// node (Random) so that the other extractor reads it from the start.
	Reroute(ctx context.Context, k Kind) error
	// Limits returns the limits of this scan, for extractors that bound
	// work of their own (a shared-string table, a part's declared size).
	Limits() Limits
	// Expand wraps a reader of bytes expanded from the node that the
	// extractor consumes itself instead of handing them to Child (an XML
	// part of a document): they count against the item's expansion
	// budget, and against the ratio limit when compressed (the stored
	// size) is known (> 0). Reads fail with a *LimitError past a limit.
	Expand(r io.Reader, compressed int64) io.Reader
	// TempDir returns a private temporary folder for an external helper
	// program, removed when the node is done. Only external helpers may
	// write content to disk.
	TempDir() (string, error)
}

// Scanner receives the leaves of extraction: the detection engine.
type Scanner interface {
	// ScanText scans a UTF-8 text stream. path is the name that path-scoped
	// rules see; loc is copied into every finding.
	ScanText(ctx context.Context, loc finding.Location, path string, r io.Reader, emit func(finding.Finding) error) (finding.Stats, error)
	// ScanBinary looks at content no extractor reads, for formats
	// recognised by magic bytes (keystores).
	ScanBinary(ctx context.Context, loc finding.Location, path string, head []byte, r io.Reader, emit func(finding.Finding) error) (finding.Stats, error)
}
