package archive_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/archive"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// tikaDir is Apache Tika's test documents, shared beside the repository.
func tikaDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "documents", "tika")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the shared test documents are missing (%v): they are expected at %s, beside the repository", err, dir)
	}
	return dir
}

// tikaWant is what some of Tika's archives must give: a text stream at a
// place, or a problem with a reason at a place.
var tikaWant = map[string]struct{ text, problem, reason string }{
	"test-documents.zip":           {text: "test-documents.zip!testTXT.txt"},
	"test-documents.7z":            {text: "test-documents.7z!test-documents/testTXT.txt"},
	"test-documents.tar":           {text: "test-documents.tar!test-documents/testTXT.txt"},
	"test-documents.tgz":           {text: "test-documents.tgz!test-documents.tar!test-documents/testTXT.txt"},
	"test-nested-tarball.tar":      {text: "test-nested-tarball.tar!folderContainingTgz/inner/nested.tgz!nested.tar!folderWithinTgz/testTXT.txt"},
	"test-zip-of-zip.zip":          {text: "test-zip-of-zip.zip!html-within-zip.zip!text.html"},
	"bob.gz":                       {text: "bob.gz!alice.txt"},
	"testZipEncrypted.zip":         {problem: "testZipEncrypted.zip!encrypted.txt", reason: finding.ReasonEncrypted},
	"full_encrypted.7z":            {problem: "full_encrypted.7z", reason: finding.ReasonEncrypted},
	"test7Z_protected_passTika.7z": {problem: "test7Z_protected_passTika.7z!text.txt", reason: finding.ReasonEncrypted},
	"testZIP_corrupted_oom.zip":    {problem: "testZIP_corrupted_oom.zip", reason: finding.ReasonCorrupt},
	"moby.zip":                     {problem: "moby.zip!moby.1", reason: finding.ReasonUnsupported}, // imploded
	"quine.gz":                     {reason: finding.ReasonLimit},
}

// TestTikaArchives reads Tika's archives: nothing panics or hangs, what is
// readable is read and the rest are item errors with a reason.
func TestTikaArchives(t *testing.T) {
	dir := tikaDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	exts := []string{".zip", ".gz", ".tgz", ".bz2", ".7z", ".tar", ".xz", ".zst", ".rar", ".lz"}
	reasons := []string{finding.ReasonLimit, finding.ReasonEncrypted, finding.ReasonCorrupt, finding.ReasonUnsupported}
	seen := 0
	for _, e := range entries {
		if !slices.Contains(exts, strings.ToLower(filepath.Ext(e.Name()))) {
			continue
		}
		seen++
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		res := extracttest.Run(t, e.Name(), data, extracttest.Options{File: true}, archive.New())
		want := tikaWant[e.Name()]
		if want.text != "" && !slices.ContainsFunc(res.Texts, func(t extracttest.Text) bool { return t.Where == want.text }) {
			t.Errorf("%s: no text at %s", e.Name(), want.text)
		}
		if want.reason != "" && !slices.ContainsFunc(res.Problems, func(p finding.ItemError) bool {
			return p.Reason == want.reason && (want.problem == "" || p.Location.Where() == want.problem)
		}) {
			t.Errorf("%s: no %s problem at %s: %+v", e.Name(), want.reason, want.problem, res.Problems)
		}
		for _, p := range res.Problems {
			if !slices.Contains(reasons, p.Reason) {
				t.Errorf("%s: problem at %s has reason %q: %s", e.Name(), p.Location.Where(), p.Reason, p.Error)
			}
		}
		t.Logf("%-40s texts=%3d binaries=%3d problems=%d", e.Name(), len(res.Texts), len(res.Binaries), len(res.Problems))
	}
	if seen < 30 {
		t.Fatalf("only %d archives found in %s", seen, dir)
	}
}
