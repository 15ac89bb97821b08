package fs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/ignore"
	"github.com/leakguard/leakguard/internal/source"
)

// walker is the state of one Walk call.
type walker struct {
	s      *Source
	ctx    context.Context
	fn     func(source.Item) error
	skipFn func(finding.ItemError)
	skipMu sync.Mutex
	// push walks a directory now (sequential) or queues it (parallel).
	push func(dirJob) error
}

// dirJob is a directory waiting to be listed, with what it inherits.
type dirJob struct {
	path    string          // as the user would write it: root joined with rel
	rel     string          // slash path relative to the root, "" for the root
	root    bool            // named by the user: followed even if a symlink
	viaLink bool            // reached through a followed symlink
	m       *ignore.Matcher // ignore files of the directories above
	anc     *ancestor       // the directories above, for loop detection
}

// ancestor is one directory on the path from a root to the current one.
type ancestor struct {
	info   os.FileInfo
	path   string
	parent *ancestor
}

func (a *ancestor) find(fi os.FileInfo) *ancestor {
	for ; a != nil; a = a.parent {
		if os.SameFile(a.info, fi) {
			return a
		}
	}
	return nil
}

func newWalker(ctx context.Context, s *Source, fn func(source.Item) error, skip func(finding.ItemError)) *walker {
	return &walker{s: s, ctx: ctx, fn: fn, skipFn: skip}
}

// root starts the walk of one root: a directory is pushed, a file handed
// out. Only Exclude applies to a file root; ignore files are read from a
// directory root downwards, never above it.
func (w *walker) root(root string) error {
	path := filepath.Clean(root)
	fi, err := os.Stat(path)
	if err != nil {
		w.skip(path, finding.ReasonUnreadable, errText(err))
		return nil
	}
	if fi.IsDir() {
		return w.push(dirJob{path: path, root: true})
	}
	if p := w.s.exclude.Decide(filepath.Base(path), false); p != nil && !p.Negated() {
		w.skipIgnored(path, p)
		return nil
	}
	if !fi.Mode().IsRegular() {
		w.skip(path, finding.ReasonSpecial, describe(fi.Mode())+" not opened")
		return nil
	}
	return w.file(path, fi, false)
}

// dir lists one directory and handles its entries. The directory is closed
// before any child is walked, so a deep tree does not hold a descriptor per
// level.
func (w *walker) dir(j dirJob) error {
	noFollow := !j.root && !w.s.opts.FollowSymlinks
	f, err := openDir(j.path, noFollow)
	if err != nil {
		w.skip(j.path, finding.ReasonUnreadable, errText(err))
		return nil
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		w.skip(j.path, finding.ReasonUnreadable, errText(err))
		return nil
	}
	if a := j.anc.find(fi); a != nil {
		f.Close()
		reason := finding.ReasonUnreadable // a bind mount can loop too
		if j.viaLink {
			reason = finding.ReasonSymlink
		}
		w.skip(j.path, reason, fmt.Sprintf("directory loop: same directory as %s, which is being walked", a.path))
		return nil
	}
	anc := &ancestor{info: fi, path: j.path, parent: j.anc}
	entries, err := f.ReadDir(-1)
	if w.s.opts.Sorted {
		slices.SortFunc(entries, func(a, b os.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	}
	infos := statEntries(f, entries) // in the order of entries
	f.Close()
	if err != nil {
		// Go on with what was listed: part of a directory beats none.
		w.skip(j.path, finding.ReasonUnreadable, errText(err))
	}
	m := j.m
	if !w.s.opts.NoIgnoreFiles {
		for _, e := range entries {
			if e.Name() == w.s.opts.IgnoreFileName {
				m = m.Push(w.loadIgnore(j, e))
				break
			}
		}
	}
	for i, e := range entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		var info os.FileInfo
		if infos != nil {
			info = infos[i]
		}
		if err := w.entry(j, m, anc, e, info); err != nil {
			return err
		}
	}
	return nil
}

// entry classifies one directory entry: ignored, skipped, a directory to
// walk, or a file to hand out. listed is the entry's lstat taken with the
// listing (statEntries), or nil.
func (w *walker) entry(j dirJob, m *ignore.Matcher, anc *ancestor, e os.DirEntry, listed os.FileInfo) error {
	name := e.Name()
	path := filepath.Join(j.path, name)
	rel := name
	if j.rel != "" {
		rel = j.rel + "/" + name
	}
	typ := e.Type()
	var info os.FileInfo
	viaLink := false
	if typ&os.ModeSymlink != 0 {
		// Ignore rules see a symlink as a file, as git does, unless it is
		// followed and leads to a directory.
		if !w.s.opts.FollowSymlinks {
			if !w.ignored(m, path, rel, false) {
				w.skip(path, finding.ReasonSymlink, "symbolic link not followed")
			}
			return nil
		}
		fi, err := os.Stat(path)
		if err != nil {
			if !w.ignored(m, path, rel, false) {
				w.skip(path, finding.ReasonUnreadable, "broken symbolic link: "+errText(err))
			}
			return nil
		}
		info, typ, viaLink = fi, fi.Mode().Type(), true
	}
	isDir := typ.IsDir()
	if isDir && name == ".git" && !w.s.opts.IncludeGitDir {
		w.skip(path, finding.ReasonIgnored, "git directory, not walked by default")
		return nil
	}
	if w.ignored(m, path, rel, isDir) {
		return nil
	}
	switch {
	case isDir:
		return w.push(dirJob{path: path, rel: rel, viaLink: viaLink, m: m, anc: anc})
	case !typ.IsRegular():
		w.skip(path, finding.ReasonSpecial, describe(typ)+" not opened")
		return nil
	}
	if info == nil {
		fi := listed
		var err error
		if fi == nil {
			fi, err = e.Info() // lstat: the entry may have changed since listing
		}
		if err != nil {
			w.skip(path, finding.ReasonUnreadable, errText(err))
			return nil
		}
		if !fi.Mode().IsRegular() {
			w.skip(path, finding.ReasonSpecial, describe(fi.Mode())+" (changed during the walk) not opened")
			return nil
		}
		info = fi
	}
	return w.file(path, info, !w.s.opts.FollowSymlinks)
}

// file hands out a regular file unless it is too large or unreadable.
func (w *walker) file(path string, fi os.FileInfo, noFollow bool) error {
	if limit := w.s.opts.MaxFileSize; limit > 0 && fi.Size() > limit {
		w.skip(path, finding.ReasonTooLarge, fmt.Sprintf("%d bytes, over the %d-byte limit", fi.Size(), limit))
		return nil
	}
	if err := readable(path, fi.Mode()); err != nil {
		w.skip(path, finding.ReasonUnreadable, errText(err))
		return nil
	}
	return w.fn(source.Item{
		Location: finding.Location{Path: path},
		Size:     fi.Size(),
		ModTime:  fi.ModTime(),
		Ident:    fileIdent(fi),
		Open: func() (io.ReadCloser, error) {
			f, err := openRegular(path, noFollow)
			if err != nil {
				return nil, err // not a nil *sizedFile in an interface
			}
			return f, nil
		},
	})
}

// loadIgnore reads the ignore file e of directory j. A file that cannot be
// used is reported and walked past: the walk then scans more, never less.
func (w *walker) loadIgnore(j dirJob, e os.DirEntry) *ignore.List {
	path := filepath.Join(j.path, e.Name())
	if t := e.Type(); !t.IsRegular() && (t&os.ModeSymlink == 0 || !w.s.opts.FollowSymlinks) {
		return nil // a symlink or special file is reported with the other entries
	}
	f, err := openRegular(path, !w.s.opts.FollowSymlinks)
	if err != nil {
		w.skip(path, finding.ReasonUnreadable, "ignore file not applied: "+errText(err))
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxIgnoreFile+1))
	if err != nil {
		w.skip(path, finding.ReasonUnreadable, "ignore file not applied: "+errText(err))
		return nil
	}
	if len(data) > maxIgnoreFile {
		w.skip(path, finding.ReasonTooLarge, fmt.Sprintf("ignore file not applied: over %d bytes", maxIgnoreFile))
		return nil
	}
	l, err := ignore.Parse(bytes.NewReader(data), j.rel, path)
	if err != nil { // cannot happen with an in-memory reader
		return nil
	}
	return l
}

// ignored reports whether rel is ignored, and records it if so. Exclude
// patterns are consulted first and decide when they match at all.
func (w *walker) ignored(m *ignore.Matcher, path, rel string, isDir bool) bool {
	p := w.s.exclude.Decide(rel, isDir)
	if p == nil {
		p = m.Decide(rel, isDir)
	}
	if p == nil || p.Negated() {
		return false
	}
	w.skipIgnored(path, p)
	return true
}

func (w *walker) skipIgnored(path string, p *ignore.Pattern) {
	w.skip(path, finding.ReasonIgnored, fmt.Sprintf("matches %q (%s)", p.String(), p.Source()))
}

// skip reports an item not handed out. Calls are serialised so that the
// callback can count without locking.
func (w *walker) skip(path, reason, msg string) {
	if w.skipFn == nil {
		return
	}
	w.skipMu.Lock()
	defer w.skipMu.Unlock()
	w.skipFn(finding.ItemError{Location: finding.Location{Path: path}, Reason: reason, Error: msg})
}

// errText is an OS error without the path, which the location already holds.
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// describe names a non-regular file type for a skip message.
func describe(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "named pipe"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeCharDevice != 0:
		return "character device"
	case m&os.ModeDevice != 0:
		return "block device"
	case m&os.ModeSymlink != 0:
		return "symbolic link"
	case m.IsDir():
		return "directory"
	}
	return "special file (" + m.Type().String() + ")"
}
