package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// output is where a command writes its report: standard output, or a
// temporary file beside the named path that replaces it only once the
// report is whole, so that a failed report never leaves a truncated file
// that looks whole. The file is the owner's only, as the inventory is:
// paths and masked previews are nobody else's business.
//
// A command that works before it writes (a scan) creates its output
// first: a path that cannot be written fails the command at once, not
// after an hour's scan.
type output struct {
	w      io.Writer
	tmp    *os.File // nil for standard output
	to     string
	direct *os.File // a device or pipe written as it is
}

// createOutput opens the output for path: standard output when path is
// "" or "-"; a device, named pipe or socket (-o /dev/null, -o
// /dev/stdout, a pipe to another program) as it is, since renaming a file
// over one replaces it (run as root, -o /dev/null had left a regular file
// in /dev/null for every later writer); else a new temporary file in the
// folder of the file path names, following symbolic links, so that a link
// to a report keeps pointing at it.
func createOutput(path string, stdout io.Writer) (*output, error) {
	if path == "" || path == "-" {
		return &output{w: stdout}, nil
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &output{w: f, direct: f}, nil
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, err
	}
	return &output{w: tmp, tmp: tmp, to: path}, nil
}

// Write implements io.Writer.
func (o *output) Write(p []byte) (int, error) { return o.w.Write(p) }

// commit puts the written report in place; after it, abort does nothing.
func (o *output) commit() error {
	if o.direct != nil {
		f := o.direct
		o.direct = nil
		return f.Close()
	}
	if o.tmp == nil {
		return nil
	}
	tmp := o.tmp
	o.tmp = nil
	err := tmp.Close()
	if err == nil {
		err = os.Rename(tmp.Name(), o.to)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	return nil
}

// abort drops an uncommitted report and leaves what was at the path.
func (o *output) abort() {
	if o.direct != nil {
		o.direct.Close() // what was written went already
		o.direct = nil
	}
	if o.tmp != nil {
		o.tmp.Close()
		os.Remove(o.tmp.Name())
		o.tmp = nil
	}
}

// writeOutput runs write on the output for path and commits what it
// wrote if it succeeded.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	out, err := createOutput(path, stdout)
	if err != nil {
		return err
	}
	defer out.abort()
	if err := write(out); err != nil {
		return err
	}
	return out.commit()
}
