// Package fs is the file-system source: it walks the files and directory
// trees named on the command line and hands out each regular file as a
// source.Item. It honours .leakguardignore files (gitignore syntax, see
// internal/ignore) and --exclude patterns, never opens special files, never
// follows a symlink unless asked, and never loops. It also holds the
// standard-input source, Stdin.
//
// What the walk does not hand out it reports to the skip callback, one entry
// per thing not scanned (an ignored directory is one entry, not one per file
// inside it), so the summary can say what was left out and why.
package fs

import (
	"context"
	"runtime"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/ignore"
	"github.com/leakguard/leakguard/internal/source"
)

// DefaultIgnoreFileName is the per-directory ignore file read by default.
const DefaultIgnoreFileName = ".leakguardignore"

// maxIgnoreFile caps the size of an ignore file read from the scanned tree.
const maxIgnoreFile = 1 << 20

// Options tune a walk. The zero value is a sensible default.
type Options struct {
	// Exclude holds gitignore-syntax patterns (from --exclude), relative to
	// each root. They take precedence over ignore files in the tree, so a
	// "!" line in a .leakguardignore cannot re-include what the user
	// excluded. A root that is a file is matched by its base name.
	Exclude []string
	// IgnoreFileName is the per-directory ignore file; "" means
	// DefaultIgnoreFileName.
	IgnoreFileName string
	// NoIgnoreFiles disables ignore files (Exclude still applies).
	NoIgnoreFiles bool
	// FollowSymlinks walks into symlinked directories and scans symlinked
	// files. Off by default: a symlink inside a tree is then skipped with
	// reason symlink. Roots are always followed, since the user named them.
	FollowSymlinks bool
	// IncludeGitDir walks .git directories, which are skipped by default.
	IncludeGitDir bool
	// Workers is how many directories are listed at once; 0 means
	// GOMAXPROCS (at least 2). fn is called from these goroutines.
	Workers int
	// MaxFileSize skips larger files with reason too-large; 0 is no limit.
	MaxFileSize int64
	// Sorted walks sequentially, depth first, each directory in lexical
	// order of names (the order of filepath.WalkDir), roots in the order
	// given: a deterministic order for tests and reproducible output.
	Sorted bool
}

// Source walks a set of roots. It is immutable once built and safe for
// concurrent Walks.
type Source struct {
	roots   []string
	opts    Options
	exclude *ignore.List
}

var _ source.Source = (*Source)(nil)

// New returns a source over roots, each a file or a directory.
func New(roots []string, opts Options) *Source {
	if opts.IgnoreFileName == "" {
		opts.IgnoreFileName = DefaultIgnoreFileName
	}
	if opts.Workers <= 0 {
		opts.Workers = max(2, runtime.GOMAXPROCS(0))
	}
	return &Source{
		roots:   append([]string(nil), roots...),
		opts:    opts,
		exclude: ignore.Compile(opts.Exclude, "", "--exclude"),
	}
}

// Walk hands every regular file under the roots to fn and every item it
// will not hand out to skip (which may be nil). fn runs on several
// goroutines at once unless Options.Sorted is set; skip is never called
// concurrently with itself. Walk returns nil when the walk is done, fn's
// first error, or ctx's error; a root that does not exist is a skip, not an
// error.
//
// Items are listed, not opened: a file that vanishes or changes between the
// walk and Item.Open is reported by Open's error, which the caller records.
func (s *Source) Walk(ctx context.Context, fn func(source.Item) error, skip func(finding.ItemError)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w := newWalker(ctx, s, fn, skip)
	if s.opts.Sorted {
		return w.sequential()
	}
	return w.parallel()
}
