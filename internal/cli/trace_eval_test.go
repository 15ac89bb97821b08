package cli

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/trace"
)

// person is one generated row of the evaluation's tables.
type person struct {
	first, last, email, ssn, phone, salary string
	y, m, d                                int
}

// people generates n people from a seeded generator; salt keeps two
// tables apart (no shared e-mail or SSN).
func people(r *rand.Rand, n int, salt string) []person {
	firsts := []string{"Anna", "Bjorn", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Karin", "Liam", "Maya", "Nils", "Olga", "Pavel", "Rosa", "Sven", "Tara", "Yusuf"}
	lasts := []string{"Moreau", "Lindqvist", "Okafor", "Novak", "Schmidt", "Rossi", "Garcia", "Kowalski", "Jensen", "Dubois", "Silva", "Nakamura", "Fischer", "Costa", "Larsen", "Horvat", "Keller", "Wagner", "Ivanova", "Brennan"}
	out := make([]person, n)
	for i := range out {
		f, l := firsts[r.IntN(len(firsts))], lasts[r.IntN(len(lasts))]+strconv.Itoa(r.IntN(900)+100)
		out[i] = person{first: f, last: l,
			email:  strings.ToLower(f+"."+l) + salt + strconv.Itoa(i) + "@corp.example",
			ssn:    fmt.Sprintf("%03d-%02d-%04d", 100+r.IntN(660), 10+r.IntN(89), 1000+r.IntN(9000)),
			phone:  fmt.Sprintf("+1 %03d %03d %04d", 201+r.IntN(700), 200+r.IntN(700), r.IntN(10000)),
			salary: strconv.Itoa(30000 + r.IntN(150000)),
			y:      1950 + r.IntN(50), m: 1 + r.IntN(12), d: 1 + r.IntN(28)}
	}
	return out
}

// leakFiles writes leaks of the rows picked from ps into dir in three
// formats, and returns how many rows it leaked: CSV extracts with columns
// reordered and reformatted, an xlsx sheet, and prose in mails.
func leakFiles(t *testing.T, r *rand.Rand, dir, tag string, ps []person, picked []int) {
	t.Helper()
	var csv strings.Builder
	csv.WriteString("Surname;Given name;Date of birth;SSN;Mail\n")
	var sheet [][]string
	sheet = append(sheet, []string{"name", "dob", "email", "salary"})
	var mail strings.Builder
	mail.WriteString("From: hr@corp.example\r\nTo: someone@elsewhere.example\r\nSubject: staff list\r\n\r\n")
	for i, k := range picked {
		p := ps[k]
		switch i % 3 {
		case 0:
			fmt.Fprintf(&csv, "%s;%s;%02d/%02d/%d;%s;%s\n", strings.ToUpper(p.last), p.first, p.d, p.m, p.y,
				strings.ReplaceAll(p.ssn, "-", ""), p.email)
		case 1:
			sheet = append(sheet, []string{p.first + " " + p.last, fmt.Sprintf("%d-%02d-%02d", p.y, p.m, p.d), p.email, p.salary})
		case 2:
			fmt.Fprintf(&mail, "%s %s (SSN %s) was born on %02d.%02d.%d and can be reached on %s.\r\n\r\n",
				p.first, p.last, p.ssn, p.d, p.m, p.y, strings.ReplaceAll(p.phone, " ", "-"))
		}
	}
	os.WriteFile(filepath.Join(dir, tag+"-extract.csv"), []byte(csv.String()), 0o600)
	os.WriteFile(filepath.Join(dir, tag+"-sheet.xlsx"), workbook(t, sheet), 0o600)
	os.WriteFile(filepath.Join(dir, tag+"-mail.eml"), []byte(mail.String()), 0o600)
	_ = r
}

// TestTraceRecordsEval is the records evidence of issue 5: a table of
// people is registered, leaks of 1 to 1,000 of them in three formats are
// traced, and so are leaks of a second table of people who are not
// registered. Set LEAKGUARD_TRACE_EVAL=ROWS (e.g. 100000) to run it.
func TestTraceRecordsEval(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("LEAKGUARD_TRACE_EVAL"))
	if n == 0 {
		t.Skip("set LEAKGUARD_TRACE_EVAL=ROWS to run the records evaluation")
	}
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	r := rand.New(rand.NewPCG(5, 6))
	ours, others := people(r, n, "x"), people(r, n, "y")
	dir := t.TempDir()
	var table strings.Builder
	table.WriteString("full_name,ssn,birth_date,email,phone,salary\n")
	for _, p := range ours {
		fmt.Fprintf(&table, "%s %s,%s,%d-%02d-%02d,%s,%s,%s\n", p.first, p.last, p.ssn, p.y, p.m, p.d, p.email, p.phone, p.salary)
	}
	reg := filepath.Join(dir, "people.csv")
	os.WriteFile(reg, []byte(table.String()), 0o600)
	if code, out, errs := run(t, "", "register", "records", reg, "--name", "people", "--primary", "ssn,email",
		"--kind", "salary=generic"); code != ExitClean {
		t.Fatalf("register: %d\n%s%s", code, out, errs)
	}
	for _, size := range []int{1, 10, 100, 1000} {
		leaks := t.TempDir()
		picked := r.Perm(n)[:size]
		leakFiles(t, r, leaks, "ours", ours, picked)
		leakFiles(t, r, leaks, "others", others, r.Perm(n)[:size])
		_, out, errs := run(t, "", "trace", "--format", "json", "--no-progress", leaks)
		var rep trace.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("trace: %v\n%s", err, errs)
		}
		want := map[int64]bool{}
		for _, k := range picked {
			want[int64(k+1)] = true
		}
		right, wrong, fromOthers := 0, 0, 0
		for _, rec := range rep.Records {
			onlyOthers := true
			for _, l := range rec.Locations {
				if strings.Contains(l, "ours-") {
					onlyOthers = false
				}
			}
			switch {
			case onlyOthers:
				fromOthers++
			case want[rec.Row]:
				right++
			default:
				wrong++
			}
		}
		t.Logf("%d rows registered, %d leaked: %d found with the right row (%.3f), %d wrong rows, %d records from the unregistered table",
			n, size, right, float64(right)/float64(size), wrong, fromOthers)
		if float64(right) < 0.99*float64(size) || wrong > 0 || fromOthers > 0 {
			t.Errorf("leak of %d: recall %d/%d, %d wrong, %d from unregistered people", size, right, size, wrong, fromOthers)
		}
	}
}
