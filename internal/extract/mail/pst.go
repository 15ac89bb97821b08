package mail

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// readpstArgs make readpst write one RFC 822 file per item (-e: with an
// extension, .eml for mail), in one directory per folder, bodies in UTF-8
// (-8), without the RTF copy of each body (-b), deleted items included
// (-D: a leak does not stop at the bin), in one process (-j 0) so the
// numbering of files is stable, quietly (-q).
func readpstArgs(outDir, input string) []string {
	return []string{"-e", "-8", "-b", "-D", "-j", "0", "-q", "-o", outDir, input}
}

// extractPST converts a PST or OST store to files with readpst in the
// node's private temporary folder and sends each message to the registry,
// labelled "<folder path>/<Subject> (<YYYY-MM-DD>)". The folder path is the
// one readpst writes below the store's own top folder ("Personal folders",
// "Outlook Data File"), which it names after the store and is left out:
// the file name already says which store it is, so a message of the Inbox
// is "Inbox/Re: budget (2014-11-20)". Folders are walked in a fixed order:
// a folder's messages in readpst's numbering (the store's order), then its
// subfolders by name.
func (x *Extractor) extractPST(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	prog, err := exec.LookPath(x.readpst())
	if err != nil {
		return extract.Failure(finding.ReasonNoHelper, "readpst is not installed (apt-get install pst-utils)")
	}
	dir, err := out.TempDir()
	if err != nil {
		return err
	}
	input, err := pstInput(n, dir)
	if err != nil {
		return err
	}
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o700); err != nil {
		return err
	}
	stderr := &tailBuffer{max: 2048}
	cmd := exec.CommandContext(ctx, prog, readpstArgs(outDir, input)...)
	cmd.Stderr = stderr
	runErr := cmd.Run()
	if err := ctx.Err(); err != nil {
		return err
	}
	count, err := walkStore(ctx, outDir, out)
	if err != nil {
		return err
	}
	if runErr != nil {
		err := fmt.Errorf("readpst failed (%v): %s", runErr, strings.TrimSpace(string(stderr.b)))
		if count == 0 {
			return extract.Failure(finding.ReasonCorrupt, "%v", err)
		}
		return out.Problem(ctx, nil, finding.ReasonCorrupt, err)
	}
	return nil
}

// pstInput returns the path readpst reads: the file itself when the node
// is a file on disk, else a copy in the private temporary folder.
func pstInput(n *extract.Node, dir string) (string, error) {
	if n.Depth == 0 && n.Location.Path != "" && n.Location.Path != "-" {
		if st, err := os.Stat(n.Location.Path); err == nil && st.Mode().IsRegular() {
			return filepath.Abs(n.Location.Path)
		}
	}
	name := filepath.Join(dir, "store.pst")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, n.R)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return name, err
}

// walkStore emits what readpst wrote under dir and returns how many items.
func walkStore(ctx context.Context, dir string, out extract.Emitter) (int, error) {
	count := 0
	tops, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	for _, e := range tops {
		var err error
		if e.IsDir() {
			err = walkFolder(ctx, filepath.Join(dir, e.Name()), "", out, &count)
		} else {
			err = emitItem(ctx, filepath.Join(dir, e.Name()), "", out, &count)
		}
		if err != nil {
			return count, err
		}
	}
	return count, nil
}

// walkFolder emits a folder's items in readpst's numbering, then its
// subfolders by name. rel is the folder's path below the store's top.
func walkFolder(ctx context.Context, abs, rel string, out extract.Emitter, count *int) error {
	entries, err := os.ReadDir(abs)
	if err != nil {
		return out.Problem(ctx, []string{first(rel, filepath.Base(abs))}, finding.ReasonCorrupt, err)
	}
	var files, dirs []os.DirEntry
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e)
		} else {
			files = append(files, e)
		}
	}
	slices.SortStableFunc(files, func(a, b os.DirEntry) int { return compareNumbered(a.Name(), b.Name()) })
	for _, f := range files {
		if err := emitItem(ctx, filepath.Join(abs, f.Name()), rel, out, count); err != nil {
			return err
		}
	}
	for _, d := range dirs {
		if err := walkFolder(ctx, filepath.Join(abs, d.Name()), path.Join(rel, d.Name()), out, count); err != nil {
			return err
		}
	}
	return nil
}

// compareNumbered orders readpst's "2.eml" before "10.eml".
func compareNumbered(a, b string) int {
	na, ea := strconv.Atoi(strings.TrimSuffix(a, path.Ext(a)))
	nb, eb := strconv.Atoi(strings.TrimSuffix(b, path.Ext(b)))
	switch {
	case ea == nil && eb == nil && na != nb:
		return na - nb
	case ea == nil && eb != nil:
		return -1
	case ea != nil && eb == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// emitItem sends one file readpst wrote: a message by its subject and
// date, anything else (a contact card, a calendar entry) by its name.
func emitItem(ctx context.Context, file, rel string, out extract.Emitter, count *int) error {
	*count++
	f, err := os.Open(file)
	if err != nil {
		return out.Problem(ctx, []string{path.Join(rel, filepath.Base(file))}, finding.ReasonCorrupt, err)
	}
	defer f.Close()
	if !strings.EqualFold(filepath.Ext(file), ".eml") {
		m := extract.Member{Label: path.Join(rel, filepath.Base(file)), Name: filepath.Base(file), Size: -1, Compressed: -1, R: f}
		return out.Child(ctx, m)
	}
	info, r, err := peekMessage(f)
	if err != nil {
		return out.Problem(ctx, []string{path.Join(rel, filepath.Base(file))}, finding.ReasonCorrupt, err)
	}
	label := info.describe("(no subject)")
	if rel != "" {
		label = rel + "/" + label
	}
	m := extract.Member{Label: label, Name: nameOf(info, "message"), Size: -1, Compressed: -1, ModTime: info.Date, R: r}
	return out.Child(ctx, m)
}

// tailBuffer keeps the last max bytes written: the end of a helper's error
// output, which says why it failed.
type tailBuffer struct {
	b   []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}
