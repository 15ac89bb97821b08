package pdf

import "strings"

// brief keeps the first line of a PDFium failure: a trap in the
// WebAssembly code (PDFium aborting when out of memory) comes with a
// stack trace of hundreds of lines that is no use in an item error.
func brief(err error) error {
	msg := err.Error()
	i := strings.IndexByte(msg, '\n')
	if i < 0 {
		return err
	}
	msg = strings.TrimSpace(msg[:i])
	if strings.HasSuffix(msg, "wasm error: unreachable") {
		// PDFium's abort(): out of memory (past WithMemoryLimit) or a
		// failed internal check.
		msg = "PDFium aborted (out of its memory limit, or an internal check failed)"
	}
	return &briefError{msg: msg, err: err}
}

type briefError struct {
	msg string
	err error
}

func (e *briefError) Error() string { return e.msg }
func (e *briefError) Unwrap() error { return e.err }
