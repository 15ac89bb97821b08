package pdf

import (
	"context"
	"testing"
)

// TestReusable: the memory probe reads go-pdfium's implementation; if a
// go-pdfium upgrade breaks it, every instance would be discarded after one
// document (correct but slower), and this test says so.
func TestReusable(t *testing.T) {
	x := extractor(t)
	inst, err := x.pool.instance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if !reusable(inst) {
		t.Fatal("a fresh instance is not reusable: the memory probe no longer reads go-pdfium's implementation")
	}
}
