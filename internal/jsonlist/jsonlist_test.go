package jsonlist

import (
	"bytes"
	"encoding/json"
	"testing"
)

type item struct {
	Name  string         `json:"name"`
	Tags  []string       `json:"tags"`
	Empty map[string]int `json:"empty"`
	Sub   *item          `json:"sub,omitempty"`
}

type doc struct {
	Head  string `json:"head"`
	Runs  []run  `json:"runs"`
	Total int    `json:"total"`
	Next  string `json:"next,omitempty"`
}

type run struct {
	Tool  string `json:"tool"`
	Items []item `json:"items"`
}

// whole is the document encoding/json writes at once.
func whole(t *testing.T, d doc) []byte {
	t.Helper()
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// A document written an element at a time, into a list nested two levels
// down, is the one encoded whole; with none, with one and with several,
// and with what follows the list known only at the end.
func TestWriterIsTheWholeDocument(t *testing.T) {
	items := []item{
		{Name: `a "quoted" \ name: [x], {y}`, Tags: []string{"t1", "t2"}, Empty: map[string]int{}},
		{Name: "b", Sub: &item{Name: "nested", Tags: []string{}}},
		{Name: "c <&> é\u2028"},
	}
	for n := range len(items) + 1 {
		want := doc{Head: `"items": [ in a string`, Runs: []run{{Tool: "t", Items: items[:n]}}, Total: n, Next: "cursor"}
		if n == 0 {
			want.Runs[0].Items = []item{}
		}
		head := want
		head.Runs = []run{{Tool: "t", Items: []item{}}}
		head.Next = "" // the frame given to New need not know it
		tail := head
		tail.Next = want.Next
		var got bytes.Buffer
		l := New(&got, whole(t, head), "items")
		for i := range n {
			b, err := json.Marshal(&items[i])
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Add(b); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.End(whole(t, tail)); err != nil {
			t.Fatal(err)
		}
		if w := whole(t, want); !bytes.Equal(got.Bytes(), w) {
			t.Errorf("%d elements:\n got %s\nwant %s", n, got.Bytes(), w)
		}
	}
}

// AppendIndented is json.Indent for what encoding/json writes.
func FuzzAppendIndented(f *testing.F) {
	for _, s := range []string{"", "plain", `"\`, `\"`, "\\\\\"", "{}[],:", "\x00\u2028é", "\xff"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		v := map[string]any{s: []any{s, n, map[string]any{}, []any{}, map[string]any{"k" + s: []any{[]any{s}}}}, "n": nil, "b": true}
		compact, err := json.Marshal(v)
		if err != nil {
			t.Skip()
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact, "  ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := AppendIndented(nil, compact, "  "); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want.Bytes())
		}
	})
}
