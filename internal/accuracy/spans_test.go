package accuracy

import (
	"math"
	"reflect"
	"testing"
)

func TestMatchOverlap(t *testing.T) {
	tests := []struct {
		name       string
		gold, pred []span
		want       []int
	}{
		{"disjoint", []span{{0, 5}}, []span{{5, 9}}, []int{-1}},
		{"one each", []span{{0, 5}, {10, 20}}, []span{{12, 14}, {3, 8}}, []int{1, 0}},
		{"one prediction cannot serve two gold spans", []span{{0, 5}, {3, 9}}, []span{{2, 6}}, []int{0, -1}},
		// A greedy match of gold 0 to its biggest overlap (pred 0) would
		// leave gold 1 unmatched; the maximum matching pairs both.
		{"augmenting path", []span{{0, 10}, {8, 12}}, []span{{0, 9}, {9, 10}}, []int{1, 0}},
	}
	for _, tc := range tests {
		if got := matchOverlap(tc.gold, tc.pred); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: matchOverlap = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestScoreSpans(t *testing.T) {
	gold := []span{{0, 16}, {20, 30}, {40, 45}}
	pred := []span{{0, 16}, {22, 30}, {50, 60}, {50, 60}}
	ov, ex, goldHit, predHit := scoreSpans(gold, pred)
	if (ov != PRF{TP: 2, FP: 2, FN: 1}) {
		t.Errorf("overlap = %+v", ov)
	}
	if (ex != PRF{TP: 1, FP: 3, FN: 2}) {
		t.Errorf("exact = %+v", ex)
	}
	if !reflect.DeepEqual(goldHit, []bool{true, true, false}) || !reflect.DeepEqual(predHit, []bool{true, true, false, false}) {
		t.Errorf("hits = %v %v", goldHit, predHit)
	}
}

func TestPRF(t *testing.T) {
	m := PRF{TP: 8, FP: 2, FN: 8}
	if m.Precision() != 0.8 || m.Recall() != 0.5 || math.Abs(m.F1()-2*0.8*0.5/1.3) > 1e-12 {
		t.Errorf("P %v R %v F1 %v", m.Precision(), m.Recall(), m.F1())
	}
	if z := (PRF{}); z.Precision() != 0 || z.Recall() != 0 || z.F1() != 0 {
		t.Error("empty counts must score 0, not NaN")
	}
}

func TestCodePoints(t *testing.T) {
	text := "Ünïcødé → a@b.io"
	start := len("Ünïcødé → ")
	if got := codePoints(text, int64(start), int64(len(text))); got != (span{10, 16}) {
		t.Errorf("codePoints = %v, want {10 16}", got)
	}
}
