package mail

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// TestTikaMail runs every mail file of the Tika corpus (by extension or as
// the registry identifies it): no crash, text from each, and anything
// unreadable an item error with a reason.
func TestTikaMail(t *testing.T) {
	needReadpst(t)
	dir := sharedPath(t, "documents", "tika")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]bool{finding.ReasonCorrupt: true, finding.ReasonEncrypted: true, finding.ReasonLimit: true,
		finding.ReasonUnsupported: true, finding.ReasonNoHelper: true}
	mine := map[extract.Kind]bool{extract.KindEml: true, extract.KindMbox: true, extract.KindMsg: true, extract.KindPST: true}
	n := 0
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		head := data[:min(len(data), extract.HeadSize)]
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if !mine[extract.Identify(head, e.Name())] && ext != ".eml" && ext != ".mbox" && ext != ".msg" && ext != ".pst" {
			continue
		}
		n++
		res := extracttest.Run(t, e.Name(), data, extracttest.Options{}, New())
		if len(res.Texts) == 0 && len(res.Problems) == 0 {
			t.Errorf("%s: neither text nor a problem", e.Name())
		}
		for _, p := range res.Problems {
			if !reasons[p.Reason] {
				t.Errorf("%s: problem without a known reason: %+v", e.Name(), p)
			}
			t.Logf("%s: %s: %s (%s)", e.Name(), p.Location.Where(), p.Error, p.Reason)
		}
	}
	if n < 30 {
		t.Errorf("only %d mail files found in the corpus", n)
	}
	t.Logf("%d mail files read", n)
}
