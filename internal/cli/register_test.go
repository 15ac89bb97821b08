package cli

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/fingerprint/media"
	"github.com/leakguard/leakguard/internal/trace"
)

// sotu returns a State of the Union address from the shared labelled data,
// failing the test when the data is not there.
func sotu(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", "text-reuse", "sotu", name)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("shared labelled data missing (%v): the test needs ../shared/data beside the repository", err)
	}
	return string(b)
}

// TestRegisterAndTrace registers records, documents and a binary file, plants
// parts of each (reformatted, inside archives, cut short) in a dump, and
// checks that trace reports each with the right row, coverage and place,
// and that no registered value is anywhere in the state directory.
func TestRegisterAndTrace(t *testing.T) {
	state := t.TempDir()
	t.Setenv("LEAKGUARD_HOME", state)
	src := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	csv := "employee_id,full_name,email,birth_date\n" +
		"4711,Ingrid Halvorsen,ingrid.halvorsen@corp.example,1971-05-23\n" +
		"4712,Tomasz Wieczorek,tomasz.w@corp.example,1983-11-02\n" +
		"4713,Amelie Fontaine,amelie.f@corp.example,1990-01-17\n"
	speech := sotu(t, "1862_abraham_lincoln_r.txt")
	film := make([]byte, 3<<20)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range film {
		film[i] = byte(r.UintN(256))
	}
	for _, args := range [][]string{
		{"register", "records", write("staff.csv", []byte(csv)), "--name", "staff", "--primary", "employee_id,email"},
		{"register", "docs", write("lincoln.txt", []byte(speech)), "--name", "speeches"},
		{"register", "files", write("screener.bin", film), "--name", "screeners"},
	} {
		if code, out, errs := run(t, "", args...); code != ExitClean {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
	}

	// The dump: a record reformatted in prose, another one's primary value
	// beside nothing of its own, a reflowed upper-cased excerpt of the
	// speech inside a zip, and the first half of the film.
	dump := t.TempDir()
	prose := "HR export leaked: INGRID HALVORSEN (employee 4711), born 23/05/1971.\n" +
		"Unrelated: employee 4713 joined the chess club.\n"
	os.WriteFile(filepath.Join(dump, "notes.txt"), []byte(prose), 0o600)
	excerpt := strings.ToUpper(strings.Join(strings.Fields(speech[3000:7000]), " "))
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("paste/excerpt.txt")
	w.Write([]byte("posted anonymously\n" + excerpt + "\n"))
	zw.Close()
	os.WriteFile(filepath.Join(dump, "leak.zip"), zb.Bytes(), 0o600)
	os.WriteFile(filepath.Join(dump, "part.bin"), film[:len(film)/2], 0o600)

	code, out, errs := run(t, "", "trace", "--format", "json", "--no-progress", dump)
	if code != ExitFindings {
		t.Fatalf("trace: exit %d\n%s", code, errs)
	}
	var rep trace.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("trace JSON: %v\n%s", err, out)
	}
	if len(rep.Records) != 1 || rep.Records[0].Set != "staff" || rep.Records[0].Row != 1 ||
		len(rep.Sets) == 0 || rep.Sets[0].Total != 3 || rep.Sets[0].Found != 1 {
		t.Errorf("records: want row 1 of staff (3 rows) only, got %+v %+v", rep.Records, rep.Sets)
	} else if c := strings.Join(rep.Records[0].Columns, ","); c != "birth_date,employee_id,full_name" {
		t.Errorf("records: columns %v, want employee_id, full_name and birth_date", c)
	}
	if len(rep.Documents) != 1 {
		t.Fatalf("documents: want the speech once, got %+v", rep.Documents)
	}
	d := rep.Documents[0]
	want := float64(len(strings.Fields(speech[3000:7000]))) / float64(len(strings.Fields(speech)))
	if d.Set != "speeches" || !strings.HasSuffix(d.Document, "lincoln.txt") || d.Coverage < want*0.8 || d.Coverage > want*1.2 {
		t.Errorf("document: %+v, want lincoln.txt with coverage near %.3f", d, want)
	}
	if len(d.Locations) != 1 || !strings.HasSuffix(d.Locations[0].Location, "leak.zip!paste/excerpt.txt") || d.Locations[0].Share < 0.9 ||
		d.ShareOfDump <= 0 || d.ShareOfDump >= 1 {
		t.Errorf("document places: %+v (share of dump %v)", d.Locations, d.ShareOfDump)
	}
	// The state's key is new on every run, and with it the chunk
	// boundaries: the chunk cut by the end of part.bin is lost, and it may
	// be as long as the largest chunk, so coverage lies between (half the
	// film less one largest chunk) and half of it.
	minCov := (float64(len(film)/2) - float64(media.DefaultParams().MaxSize)) / float64(len(film))
	if len(rep.Files) != 1 || rep.Files[0].Coverage < minCov || rep.Files[0].Coverage > 0.5 ||
		!strings.HasSuffix(rep.Files[0].Locations[0].Location, "part.bin") || rep.Files[0].Locations[0].Exact {
		t.Errorf("files: want half of screener.bin in part.bin, got %+v", rep.Files)
	}

	// Nothing registered is kept in clear: not a value, not a sentence.
	secrets := []string{"Halvorsen", "halvorsen", "ingrid.halvorsen@corp.example", "1971-05-23", "Wieczorek",
		"tomasz.w@corp.example", strings.Join(strings.Fields(speech[5000:5060]), " ")}
	filepath.WalkDir(state, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q in clear", p, s)
			}
		}
		if bytes.Contains(b, film[1<<20:1<<20+64]) {
			t.Errorf("%s holds bytes of the registered file", p)
		}
		return nil
	})

	// The sets are listed, and scan finds them too unless told not to.
	if code, out, _ := run(t, "", "register", "list"); code != ExitClean ||
		!strings.Contains(out, "staff") || !strings.Contains(out, "speeches") || !strings.Contains(out, "screeners") {
		t.Errorf("register list: exit %d\n%s", code, out)
	}
	_, out, _ = run(t, "", "scan", "--format", "jsonl", "--no-progress", "--kind", "registered", dump)
	if n := strings.Count(out, `"kind":"registered"`); n != 3 {
		t.Errorf("scan --kind registered: %d registered findings, want 3\n%s", n, out)
	}
	_, out, _ = run(t, "", "scan", "--format", "jsonl", "--no-progress", "--no-registered", dump)
	if strings.Contains(out, `"kind":"registered"`) {
		t.Errorf("scan --no-registered reported registered data")
	}
	if code, _, errs := run(t, "", "register", "remove", "docs", "speeches"); code != ExitClean {
		t.Errorf("register remove: exit %d: %s", code, errs)
	}
	if _, out, _ := run(t, "", "register", "list"); strings.Contains(out, "speeches") {
		t.Errorf("removed set still listed:\n%s", out)
	}
}
