package pdf

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

func assertWhere(t *testing.T, res extracttest.Result, token string, want ...string) {
	t.Helper()
	if got := res.Where(token); !slices.Equal(got, want) {
		t.Errorf("%s found at %q, want %q\ntexts: %+v\nproblems: %+v", token, got, want, res.Texts, res.Problems)
	}
}

func TestPlantedPagesAndAttachments(t *testing.T) {
	inner := docSpec{pages: [][]string{{"inner document", "token PLANT-inner1"}}}.build()
	doc := docSpec{
		pages: [][]string{
			{"Quarterly report", "nothing secret here PLANT-page1"},
			{"Credentials", "password: PLANT-page2"},
			{"Appendix", "PLANT-page3 ends it"},
		},
		attachments: map[string][]byte{
			"secret.txt": []byte("db_password=PLANT-attached\n"),
			"inner.pdf":  inner,
		},
		comments:   map[int]string{1: "reviewer: rotate PLANT-comment2"},
		fields:     map[int][2]string{0: {"api_key", "PLANT-field1"}},
		annotFiles: map[int][2]string{2: {"note.txt", "PLANT-annotfile3"}},
	}.build()
	for _, file := range []bool{true, false} { // from disk, and from a stream read into memory
		res := extracttest.Run(t, "doc.pdf", doc, extracttest.Options{File: file}, extractor(t))
		for _, p := range res.Problems {
			t.Errorf("problem at %s: %s: %s", p.Location.Where(), p.Reason, p.Error)
		}
		assertWhere(t, res, "PLANT-page1", "doc.pdf!page:1")
		assertWhere(t, res, "PLANT-page2", "doc.pdf!page:2")
		assertWhere(t, res, "PLANT-page3", "doc.pdf!page:3")
		assertWhere(t, res, "PLANT-field1", "doc.pdf!page:1")
		assertWhere(t, res, "PLANT-comment2", "doc.pdf!page:2")
		assertWhere(t, res, "PLANT-attached", "doc.pdf!attachment:secret.txt")
		assertWhere(t, res, "PLANT-inner1", "doc.pdf!attachment:inner.pdf!page:1")
		assertWhere(t, res, "PLANT-annotfile3", "doc.pdf!attachment:note.txt")

		text := res.Texts[0].Text
		if res.Texts[0].Where != "doc.pdf" {
			t.Fatalf("first stream is %s", res.Texts[0].Where)
		}
		// Reading order, pages apart, a pattern like "password: x" intact.
		i1, i2, i3 := strings.Index(text, "PLANT-page1"), strings.Index(text, "password: PLANT-page2"), strings.Index(text, "PLANT-page3")
		if i1 < 0 || i2 < i1 || i3 < i2 {
			t.Errorf("text out of order: %q", text)
		}
		if !strings.Contains(text, "api_key: PLANT-field1") {
			t.Errorf("form field not as name: value: %q", text)
		}
		if strings.Contains(text, "\r") {
			t.Errorf("carriage return left in text: %q", text)
		}
	}
}

// TestBrokenPage: a page PDFium cannot load is an item error at that page;
// the pages around it are read.
func TestBrokenPage(t *testing.T) {
	doc := docSpec{pages: [][]string{{"PLANT-before"}, {"lost"}, {"PLANT-after"}}, broken: map[int]bool{2: true}}.build()
	res := extracttest.Run(t, "doc.pdf", doc, extracttest.Options{File: true}, extractor(t))
	assertWhere(t, res, "PLANT-before", "doc.pdf!page:1")
	assertWhere(t, res, "PLANT-after", "doc.pdf!page:3")
	if len(res.Problems) != 1 || res.Problems[0].Location.Where() != "doc.pdf!page:2" || res.Problems[0].Reason != finding.ReasonCorrupt {
		t.Errorf("want one corrupt problem at doc.pdf!page:2, got %+v", res.Problems)
	}
}

// TestManyBrokenPages: a page tree of mostly missing pages is given up
// after maxBadRun failures in a row, said once; the attachments are still
// opened.
func TestManyBrokenPages(t *testing.T) {
	spec := docSpec{broken: map[int]bool{}, attachments: map[string][]byte{"a.txt": []byte("PLANT-att")}}
	for i := 1; i <= 100; i++ {
		spec.pages = append(spec.pages, []string{fmt.Sprintf("PLANT-p%d", i)})
		if i > 1 && i < 100 {
			spec.broken[i] = true
		}
	}
	res := extracttest.Run(t, "doc.pdf", spec.build(), extracttest.Options{File: true}, extractor(t))
	assertWhere(t, res, "PLANT-p1", "doc.pdf!page:1")
	assertWhere(t, res, "PLANT-att", "doc.pdf!attachment:a.txt")
	if len(res.Problems) != maxBadRun {
		t.Fatalf("want %d problems, got %d: %+v", maxBadRun, len(res.Problems), res.Problems)
	}
	last := res.Problems[maxBadRun-1]
	if last.Location.Where() != fmt.Sprintf("doc.pdf!page:%d", maxBadRun+1) || !strings.Contains(last.Error, "not read") {
		t.Errorf("last problem: %+v", last)
	}
	if res.Where("PLANT-p100") != nil {
		t.Errorf("page 100 read after giving up")
	}
}
