package accuracy

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

func TestScoreCredFile(t *testing.T) {
	T := func(a, b int) credLabel { return credLabel{Line: a, EndLine: b, Truth: 'T', VStart: -1, VEnd: -1} }
	F := func(a int) credLabel { return credLabel{Line: a, EndLine: a, Truth: 'F', VStart: -1, VEnd: -1} }
	X := func(a int) credLabel { return credLabel{Line: a, EndLine: a, Truth: 'X', VStart: -1, VEnd: -1} }
	withValue := func(l credLabel, vs, ve int) credLabel { l.VStart, l.VEnd = vs, ve; return l }
	h := func(rule string, line, end, col, endCol int) hit {
		return hit{Rule: rule, Line: line, EndLine: end, Col: col, EndCol: endCol}
	}
	tests := []struct {
		name       string
		labels     []credLabel
		hits       []hit
		want       [][]string // rules per label
		unlabelled map[int][]string
	}{
		{"T line found", []credLabel{T(3, 3)}, []hit{h("a", 3, 3, 0, 5)}, [][]string{{"a"}}, map[int][]string{}},
		{"T line missed", []credLabel{T(3, 3)}, []hit{h("a", 4, 4, 0, 5)}, [][]string{nil}, map[int][]string{4: {"a"}}},
		{"F line found", []credLabel{F(7)}, []hit{h("b", 7, 7, 2, 9)}, [][]string{{"b"}}, map[int][]string{}},
		{"X line found", []credLabel{X(2)}, []hit{h("c", 2, 2, 0, 1)}, [][]string{{"c"}}, map[int][]string{}},
		{"multi-line finding inside a multi-line label", []credLabel{T(10, 20)}, []hit{h("pem", 12, 25, 0, 3)}, [][]string{{"pem"}}, map[int][]string{}},
		{"multi-line finding reaching a one-line label", []credLabel{T(5, 5)}, []hit{h("pem", 1, 5, 0, 3)}, [][]string{{"pem"}}, map[int][]string{}},
		{"two rules on one row count once each", []credLabel{T(1, 1)}, []hit{h("b", 1, 1, 0, 3), h("a", 1, 1, 4, 8), h("a", 1, 1, 9, 12)}, [][]string{{"a", "b"}}, map[int][]string{}},
		{"two true rows on a line: both found by one finding", []credLabel{withValue(T(4, 4), 0, 5), withValue(T(4, 4), 10, 15)}, []hit{h("a", 4, 4, 0, 5)}, [][]string{{"a"}, {"a"}}, map[int][]string{}},
		{
			"mixed line: columns decide",
			[]credLabel{withValue(T(6, 6), 10, 26), withValue(F(6), 40, 50)},
			[]hit{h("key", 6, 6, 10, 26), h("nonce", 6, 6, 40, 50), h("other", 6, 6, 60, 70)},
			[][]string{{"key"}, {"nonce"}},
			map[int][]string{6: {"other"}},
		},
		{
			"mixed line: a wide finding covers both values",
			[]credLabel{withValue(T(6, 6), 10, 26), withValue(F(6), 40, 50)},
			[]hit{h("wide", 6, 6, 0, 80)},
			[][]string{{"wide"}, {"wide"}},
			map[int][]string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scoreCredFile(tc.labels, tc.hits)
			if !reflect.DeepEqual(got.labelRules, tc.want) {
				t.Errorf("label rules = %v, want %v", got.labelRules, tc.want)
			}
			if !reflect.DeepEqual(got.unlabelled, tc.unlabelled) {
				t.Errorf("unlabelled = %v, want %v", got.unlabelled, tc.unlabelled)
			}
		})
	}
}

// TestCredDataEndToEnd runs the whole CredData path on a made-up set with
// known labels: meta parsing, paths relative to the set root, the engine's
// line numbers and the totals.
func TestCredDataEndToEnd(t *testing.T) {
	dir := t.TempDir()
	root := dir + "/" + CredDataDir
	writeFiles(t, root, map[string]string{
		"data/r1/src/a.py": "x = 1\nkey = 'tok_abcd1234'\nother = 'tok_zzzz9999'\n\nmore = 'tok_unlab123'\n",
		"data/r1/src/b.txt": "-----BEGIN TEST-----\nAAAA\nBBBB\n-----END TEST-----\nplain line\n" +
			"template tok_aaaaaaaa\n",
		"data/r1/test/c.yml": "nothing here\nsecret: hunter\n",
		"data/r1/bin.dat":    "\x00\x01\x02tok_abcd1234",
		"meta/r1.csv": "Id,FileID,Domain,RepoName,FilePath,LineStart,LineEnd,GroundTruth,ValueStart,ValueEnd,CryptographyKey,PredefinedPattern,Category\n" +
			"1,a,GitHub,r1,data/r1/src/a.py,2,2,T,7,19,,,Token\n" +
			"2,a,GitHub,r1,data/r1/src/a.py,3,3,F,9,21,,,Token\n" +
			"3,b,GitHub,r1,data/r1/src/b.txt,1,4,T,,,Private,,PEM Private Key\n" +
			"4,b,GitHub,r1,data/r1/src/b.txt,6,6,X,9,21,,,Token\n" +
			"5,c,GitHub,r1,data/r1/test/c.yml,2,2,T,8,14,,,Password\n",
	})
	r, err := CredData(context.Background(), dir, testEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Files != 3 || r.Binary != 1 {
		t.Errorf("files %d, binary %d; want 3 and 1", r.Files, r.Binary)
	}
	if r.True != 3 || r.False != 1 || r.Template != 1 {
		t.Errorf("labels T/F/X = %d/%d/%d, want 3/1/1", r.True, r.False, r.Template)
	}
	if (r.PRF != PRF{TP: 2, FP: 1, FN: 1}) {
		t.Errorf("PRF = %+v, want TP 2 FP 1 FN 1", r.PRF)
	}
	if r.XHits != 1 || r.Unlabelled != 1 {
		t.Errorf("X hits %d, unlabelled %d; want 1 and 1", r.XHits, r.Unlabelled)
	}
	if got, want := r.StrictPrecision(), 2.0/4; got != want {
		t.Errorf("strict precision %v, want %v", got, want)
	}
	if len(r.Missed) != 1 || r.Missed[0].Path != "data/r1/test/c.yml" || r.Missed[0].Line != 2 || r.Missed[0].Text != "secret: hunter" {
		t.Errorf("missed = %+v", r.Missed)
	}
	if len(r.FalseHits) != 1 || r.FalseHits[0].Line != 3 || !reflect.DeepEqual(r.FalseHits[0].Rules, []string{"test-token"}) {
		t.Errorf("false hits = %+v", r.FalseHits)
	}
	if len(r.Unreviewed) != 1 || r.Unreviewed[0].Line != 5 {
		t.Errorf("unlabelled = %+v", r.Unreviewed)
	}
	want := map[string]RuleCount{
		"test-token": {Rule: "test-token", TP: 1, FP: 1, X: 1, Unlabelled: 1},
		"test-pem":   {Rule: "test-pem", TP: 1},
	}
	if len(r.Rules) != len(want) {
		t.Errorf("rules = %+v", r.Rules)
	}
	for _, c := range r.Rules {
		if c != want[c.Rule] {
			t.Errorf("rule %s = %+v, want %+v", c.Rule, c, want[c.Rule])
		}
	}
}

func TestCredDataMissingMeta(t *testing.T) {
	if _, err := CredData(context.Background(), t.TempDir(), testEngine(t)); err == nil {
		t.Fatal("no error for a directory without CredData")
	}
}

// TestCredDataExternal scores another tool's hits with the same scorer: a
// hit on a true row counts, nothing else does.
func TestCredDataExternal(t *testing.T) {
	dir := sharedData(t)
	labels, err := readCredMeta(filepath.Join(dir, filepath.FromSlash(CredDataDir), "meta"))
	if err != nil {
		t.Fatal(err)
	}
	var truePath string
	var trueLine int
	alone := func(ls []credLabel, l credLabel) bool { // the only label touching its lines
		n := 0
		for _, o := range ls {
			if o.Line <= l.EndLine && l.Line <= o.EndLine {
				n++
			}
		}
		return n == 1
	}
	for p, ls := range labels {
		for _, l := range ls {
			if l.Truth == 'T' && l.Line == l.EndLine && alone(ls, l) && (truePath == "" || p < truePath) {
				truePath, trueLine = p, l.Line
			}
		}
	}
	r, err := CredDataExternal(context.Background(), dir, []ExternalHit{{Path: truePath, Rule: "other", Line: trueLine}})
	if err != nil {
		t.Fatal(err)
	}
	if r.TP != 1 || r.FP != 0 || r.FN != r.True-1 {
		t.Errorf("one true hit scored TP %d FP %d FN %d of %d", r.TP, r.FP, r.FN, r.True)
	}
}
