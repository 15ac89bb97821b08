package cli

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

func TestPipeWriterKeepsOrderAcrossBlocks(t *testing.T) {
	var want, got bytes.Buffer
	p := newPipeWriter(&got)
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		b := make([]byte, r.IntN(3*pipeBlock/100))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		want.Write(b)
		if n, err := p.Write(b); n != len(b) || err != nil {
			t.Fatalf("write: %d, %v", n, err)
		}
	}
	big := bytes.Repeat([]byte("x"), 3*pipeBlock+17) // spans blocks in one call
	want.Write(big)
	p.Write(big)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("%d bytes written, want %d (or the order differs)", got.Len(), want.Len())
	}
}

type failAfter struct{ n int }

func (f *failAfter) Write(b []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(b), nil
}

func TestPipeWriterReportsWriteError(t *testing.T) {
	p := newPipeWriter(&failAfter{n: 1})
	block := make([]byte, pipeBlock)
	var err error
	for range 10 {
		if _, err = p.Write(block); err != nil {
			break
		}
	}
	if cerr := p.Close(); cerr == nil || cerr.Error() != "disk full" {
		t.Errorf("close: %v, want the write error", cerr)
	}
	if _, err := p.Write([]byte("more")); err == nil {
		t.Error("write after a failure succeeded")
	}
}
