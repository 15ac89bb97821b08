package edm_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakguard/leakguard/internal/fingerprint/edm"
	"github.com/leakguard/leakguard/internal/keyed"
)

// Register a table, then find its records in a text that arrives in pieces.
func Example() {
	state, _ := os.MkdirTemp("", "leakguard-example")
	defer os.RemoveAll(state)
	h := keyed.New([]byte("the installation key, from keyed.Load"))
	dir := filepath.Join(state, "edm", "employees")

	table := "ssn,name,dob,phone\n" +
		"078-05-1120,Hilda Schrader Whitcher,1909-03-04,+1 555 010 0001\n" +
		"219-09-9999,Jürgen Wolff,1960-11-24,555 010 0002\n"
	st, cols, err := edm.RegisterCSV(dir, h, "employees", strings.NewReader(table), edm.CSVOptions{Primary: []string{"ssn"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(st.Rows, "rows;", cols[0].Name, cols[0].Kind, cols[0].Primary)

	ix, err := edm.Open(dir, h) // once per process; shared by the workers
	if err != nil {
		panic(err)
	}
	defer ix.Close()
	m := ix.NewMatcher(edm.MatchOptions{}, func(mt edm.Match) error {
		fmt.Println(mt.Set, "row", mt.Row, mt.Columns, mt.Confidence, mt.Start, mt.End)
		return nil
	})
	m.Write([]byte("From HR: JURGEN WOLFF (born 24 Nov 1960), "))
	m.Write([]byte("SSN 219 09 9999. Unrelated: 078-05-1120.\n"))
	if err := m.Close(); err != nil { // the item ends
		panic(err)
	}
	// Output:
	// 2 rows; ssn ssn true
	// employees row 2 [ssn name dob] high 9 57
}
