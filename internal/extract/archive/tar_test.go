package archive_test

import (
	"archive/tar"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

func TestTarMembers(t *testing.T) {
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	w.WriteHeader(&tar.Header{Name: "dir/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: epoch})
	w.WriteHeader(&tar.Header{Name: "dir/link", Typeflag: tar.TypeSymlink, Linkname: "PLANT-notContent", ModTime: epoch})
	body := "password: PLANT-tarSecret\n"
	w.WriteHeader(&tar.Header{Name: "dir/secret.txt", Typeflag: tar.TypeReg, Mode: 0o600, Size: int64(len(body)), ModTime: epoch})
	w.Write([]byte(body))
	w.Close()

	res := run(t, "t.tar", b.Bytes(), extract.Limits{})
	wantAt(t, res, "PLANT-tarSecret", "t.tar!dir/secret.txt")
	if len(res.Problems) != 0 || len(res.Texts) != 1 {
		t.Errorf("problems %+v, texts %+v", res.Problems, res.Texts)
	}
}

func TestTarGz(t *testing.T) {
	tr := tarOf(t, txt("dir/", ""), txt("dir/secret.txt", "PLANT-tgz\n"))
	for _, c := range []struct{ name, header, want string }{
		{"t.tar.gz", "", "t.tar.gz!t.tar!dir/secret.txt"},
		{"backup.tgz", "", "backup.tgz!backup.tar!dir/secret.txt"},
		{"renamed.tgz", "backup-2014.tar", "renamed.tgz!backup-2014.tar!dir/secret.txt"},
		{"/srv/share/HR/t.TAR.GZ", "", "/srv/share/HR/t.TAR.GZ!t.TAR!dir/secret.txt"},
	} {
		res := run(t, c.name, gzipOf(t, c.header, tr), extract.Limits{})
		wantAt(t, res, "PLANT-tgz", c.want)
	}
}

// TestTarTruncated: the members before the break are read, the broken one
// as far as it goes, and the archive reports the break.
func TestTarTruncated(t *testing.T) {
	long := strings.Repeat("filler line of the middle member\n", 2000) + "PLANT-lost\n"
	data := tarOf(t, txt("a.txt", "PLANT-first\n"), txt("b.txt", "PLANT-middle\n"+long), txt("c.txt", "PLANT-never\n"))
	res := run(t, "t.tar", data[:len(data)/2], extract.Limits{})
	wantAt(t, res, "PLANT-first", "t.tar!a.txt")
	wantAt(t, res, "PLANT-middle", "t.tar!b.txt")
	wantAt(t, res, "PLANT-never")
	wantProblem(t, res, "t.tar!b.txt", finding.ReasonCorrupt, "unexpected EOF")
	wantProblem(t, res, "t.tar", finding.ReasonCorrupt, "broken after 2 members")
}

// TestTarGzTruncated: a cut tar.gz still yields the members before the cut,
// and both the gzip stream and the tar inside report the break.
func TestTarGzTruncated(t *testing.T) {
	noise := make([]byte, 64<<10)
	for i := range noise {
		noise[i] = byte(i*7919>>3) ^ byte(i>>9)
	}
	data := gzipOf(t, "", tarOf(t, txt("a.txt", "PLANT-beforeCut\n"), file{"noise.bin", noise}, txt("z.txt", "PLANT-afterCut")))
	res := run(t, "t.tar.gz", data[:len(data)*2/3], extract.Limits{})
	wantAt(t, res, "PLANT-beforeCut", "t.tar.gz!t.tar!a.txt")
	wantAt(t, res, "PLANT-afterCut")
	wantProblem(t, res, "t.tar.gz!t.tar!noise.bin", finding.ReasonCorrupt, "unexpected EOF")
	wantProblem(t, res, "t.tar.gz!t.tar", finding.ReasonCorrupt, "broken after 2 members")
	wantProblem(t, res, "t.tar.gz", finding.ReasonCorrupt, "stream broken after")
	for _, p := range res.Problems {
		if p.Reason != finding.ReasonCorrupt {
			t.Errorf("problem %s: %s %s", p.Location.Where(), p.Reason, p.Error)
		}
	}
}

func TestNotATar(t *testing.T) {
	// A tar header whose checksum is right and whose size is not a number.
	data := tarOf(t, txt("a.txt", "PLANT-x"))
	copy(data[124:136], "size? what ")
	copy(data[148:156], "        ")
	sum := 0
	for _, c := range data[:512] {
		sum += int(c)
	}
	copy(data[148:156], fmt.Sprintf("%06o\x00 ", sum))
	res := run(t, "t.tar", data, extract.Limits{})
	wantProblem(t, res, "t.tar", finding.ReasonCorrupt, "tar: ")
}
