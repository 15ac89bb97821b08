//go:build !unix

package fs

import "os"

// fileIdent is unknown where the system gives no inode.
func fileIdent(os.FileInfo) string { return "" }
