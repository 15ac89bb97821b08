package legacy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// helperTimeout bounds one run of a helper program, within the item's own
// time limit: a helper looping on a crafted file must not hold a worker.
const helperTimeout = 2 * time.Minute

// helper is an external program that turns a document into text.
type helper struct {
	tool string   // program name, looked up in PATH
	pkg  string   // the Debian package that installs it
	args []string // arguments before the input file
	ext  string   // extension of the input file: some tools look at it
}

// input copies the node's content into its private temporary folder, the
// one place content may be written to disk, and returns the file's path.
func input(n *extract.Node, out extract.Emitter, ext string) (string, error) {
	dir, err := out.TempDir()
	if err != nil {
		return "", fmt.Errorf("temporary folder for a helper: %w", err)
	}
	path := filepath.Join(dir, "input"+ext)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, n.R)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return path, nil
}

// run runs h on the file at path and hands its standard output to read as
// it comes. Errors say why the document could not be read: the helper is
// missing (helper-missing), the document is encrypted, the helper failed
// or crashed on it (corrupt), or it took too long (limit).
func (h helper) run(ctx context.Context, path string, read func(io.Reader) error) error {
	prog, err := h.lookPath()
	if err != nil {
		return err
	}
	hctx, cancel := context.WithTimeout(ctx, helperTimeout)
	defer cancel()
	cmd := exec.CommandContext(hctx, prog, append(append([]string{}, h.args...), path)...)
	dir := filepath.Dir(path)
	// A private HOME and TMPDIR: no user configuration is read and any
	// temporary file of the helper stays in the node's folder.
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "TMPDIR=" + dir, "LC_ALL=C.UTF-8", "PATH=" + os.Getenv("PATH")}
	stderr := &headBuffer{max: 4 << 10}
	cmd.Stderr = stderr
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", h.tool, err)
	}
	rerr := read(stdout)
	if rerr != nil {
		cmd.Process.Kill()
	} else {
		io.Copy(io.Discard, stdout)
	}
	werr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case hctx.Err() != nil:
		return &extract.LimitError{Limit: "time",
			Msg: fmt.Sprintf("%s took longer than %s on it: stopped, the rest is not scanned", h.tool, helperTimeout)}
	case rerr != nil:
		return rerr
	case werr != nil:
		return h.failure(werr, stderr.String())
	}
	return nil
}

// lookPath finds the helper program; a missing one is an error with the
// reason helper-missing that says how to install it.
func (h helper) lookPath() (string, error) {
	prog, err := exec.LookPath(h.tool)
	if err != nil {
		return "", extract.Failure(finding.ReasonNoHelper, "%s is not installed (apt-get install %s)", h.tool, h.pkg)
	}
	return prog, nil
}

// failure explains a helper's non-zero exit.
func (h helper) failure(err error, stderr string) error {
	msg := strings.TrimSpace(stderr)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if strings.Contains(strings.ToLower(stderr), "encrypted") {
		return fmt.Errorf("%s: %w", h.tool, extract.ErrEncrypted)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return extract.Failure(finding.ReasonCorrupt, "%s crashed on it (%s): the rest is not scanned", h.tool, ws.Signal())
		}
	}
	if msg != "" {
		return extract.Failure(finding.ReasonCorrupt, "%s could not read it (%v): %s", h.tool, err, msg)
	}
	return extract.Failure(finding.ReasonCorrupt, "%s could not read it (%v)", h.tool, err)
}

// headBuffer keeps the first max bytes written to it: enough of a helper's
// error output to explain a failure.
type headBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *headBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (b *headBuffer) String() string { return b.buf.String() }
