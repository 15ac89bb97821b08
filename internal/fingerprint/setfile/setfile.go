// Package setfile is the storage shared by the fingerprint set packages
// (docs, media): each keeps its sets as one file per set in a directory,
// named <set><ext>, written atomically and readable by the owner only, and
// laid out as a magic string, a body of varints, fixed-width integers and
// strings, and a CRC-32C of everything before it.
//
// Only the framing lives here; what the body holds is each package's own
// format. A Format value describes one kind of set file, so the packages
// hold no state of their own for it.
package setfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Format is one kind of set file.
type Format struct {
	// Ext is the file name extension, with its dot (".docs"), which tells
	// the kinds apart in a directory listing.
	Ext string
	// Magic opens every file; it names the kind and its version, so that
	// a file of another kind or version is refused before it is parsed.
	Magic string
	// What names the kind in messages ("document", "media").
	What string
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// CheckName reports whether name can name a set: letters, digits, '.',
// '_' and '-', starting with a letter or digit, at most 128. A set name
// becomes a file name, so this keeps it a plain one on every system: no
// separator, no "..", no hidden file that a listing would skip.
func CheckName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("invalid set name %q (letters, digits, . _ -, at most 128)", name)
	}
	return nil
}

// Path returns the file of the set name in dir. It does not check name.
func (f Format) Path(dir, name string) string { return filepath.Join(dir, name+f.Ext) }

// List returns the names of the sets of this kind in dir, sorted. A
// missing dir holds no sets. Files whose names could not have been made by
// Save (temporary files among them, which start with a dot) are skipped.
func (f Format) List(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), f.Ext); ok && e.Type().IsRegular() && CheckName(n) == nil {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// Remove deletes the set name from dir. The name is checked first, so that
// a name from a user cannot reach a file outside dir.
func (f Format) Remove(dir, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	return os.Remove(f.Path(dir, name))
}

// Save writes the set name to dir: the magic, what body writes, and the
// checksum. It writes a temporary file beside the set and renames it over
// the old one, so a reader sees the old set or the new one, never half of
// either, and a crash leaves the old set. The file is readable by the owner
// only: it holds no registered content, but its hashes are still the
// organisation's to guard.
func (f Format) Save(dir, name string, body func(*Encoder)) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tf, err := os.CreateTemp(dir, "."+name+f.Ext+".*")
	if err != nil {
		return err
	}
	tmp := tf.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if err := tf.Chmod(0o600); err != nil {
		tf.Close()
		return err
	}
	if err := f.Encode(tf, body); err != nil {
		tf.Close()
		return err
	}
	if err := tf.Sync(); err != nil {
		tf.Close()
		return err
	}
	if err := tf.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, f.Path(dir, name))
}
