//go:build unix

package fs

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

// treeEnv hands the tree to the copy of this test that runs unprivileged.
const treeEnv = "LEAKGUARD_FS_UNREADABLE_TREE"

// TestUnreadable checks that a directory and a file without read permission
// are skipped with reason unreadable and the OS error. Permission checks do
// not apply to root, so as root the test re-runs itself as user nobody
// (uid 65534) on a tree prepared here; that needs CAP_SETUID, which root has
// unless the container dropped it.
func TestUnreadable(t *testing.T) {
	if dir := os.Getenv(treeEnv); dir != "" {
		checkUnreadable(t, dir)
		return
	}
	base, err := os.MkdirTemp("", "leakguard-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "tree")
	mkTree(t, dir, map[string]string{"ok.txt": "ok", "locked/inner.txt": "", "secret.txt": "s"})
	for _, p := range []string{"locked", "secret.txt"} {
		if err := os.Chmod(filepath.Join(dir, p), 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		os.Chmod(filepath.Join(dir, "locked"), 0o755) // so that a non-root RemoveAll can enter it
		os.RemoveAll(base)
	})
	if os.Geteuid() != 0 {
		checkUnreadable(t, dir)
		return
	}

	// As root: copy the test binary where nobody can run it, open the
	// tree's parents to nobody, and run just this test as nobody.
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "fs.test")
	if err := copyExecutable(bin); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestUnreadable$", "-test.v")
	cmd.Env = append(os.Environ(), treeEnv+"="+dir)
	cmd.Dir = base
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if errors.Is(err, syscall.EPERM) {
		t.Skipf("running as root without CAP_SETUID, cannot drop to an unprivileged user to test permission errors: %v", err)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestUnreadable") {
		t.Fatalf("unprivileged run failed: %v\n%s", err, out)
	}
}

func checkUnreadable(t *testing.T, dir string) {
	for _, sorted := range []bool{true, false} {
		r := walk(t, dir, []string{dir}, Options{Sorted: sorted})
		equal(t, "items", r.items, []string{"ok.txt"})
		equal(t, "unreadable", r.skipped(finding.ReasonUnreadable), []string{"locked", "secret.txt"})
		for _, p := range []string{"locked", "secret.txt"} {
			if e := r.skips[p]; !strings.Contains(e.Error, "permission denied") {
				t.Errorf("%s: error %q does not carry the OS error", p, e.Error)
			}
		}
	}
}

func copyExecutable(dst string) error {
	src, err := os.Executable()
	if err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
