package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

func testUnchanged(t *testing.T, e *env) {
	mtime := time.Date(2025, 12, 24, 18, 30, 0, 123456789, time.UTC)
	base := store.Item{Root: "/r", Path: "/r/a.txt", Size: 100, ModTime: mtime, Ident: "2049:1234", Hash: "sha256:aa"}
	member := base
	member.Container, member.Size = []string{"x.zip", "y.txt"}, 7
	failed := base
	failed.Path, failed.Errors = "/r/broken.pdf", 1
	id := e.begin("/r")
	e.must(e.st.Write(e.ctx, id, store.Batch{Items: []store.Item{base, member, failed}}))
	_, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{})
	e.must(err)

	mod := func(f func(*store.Item)) store.Item {
		it := base
		f(&it)
		return it
	}
	probes := []struct {
		name   string
		digest string
		it     store.Item
		want   bool
	}{
		{"same", "d1", base, true},
		{"same, walker knows no identity or hash", "d1", mod(func(i *store.Item) { i.Ident, i.Hash = "", "" }), true},
		{"same, in local time", "d1", mod(func(i *store.Item) { i.ModTime = mtime.Local() }), true},
		{"member", "d1", member, true},
		{"other digest (rules changed)", "d2", base, false},
		{"size", "d1", mod(func(i *store.Item) { i.Size++ }), false},
		{"mtime by a nanosecond", "d1", mod(func(i *store.Item) { i.ModTime = mtime.Add(time.Nanosecond) }), false},
		{"identity (replaced file)", "d1", mod(func(i *store.Item) { i.Ident = "2049:9999" }), false},
		{"content hash", "d1", mod(func(i *store.Item) { i.Hash = "sha256:bb" }), false},
		{"item with errors is read again", "d1", failed, false},
		{"unknown path", "d1", mod(func(i *store.Item) { i.Path = "/r/new.txt" }), false},
		{"unknown container", "d1", mod(func(i *store.Item) { i.Container = []string{"z.zip"} }), false},
	}
	var items []store.Item
	for _, p := range probes {
		got, err := e.st.Unchanged(e.ctx, p.digest, []store.Item{p.it})
		e.must(err)
		if len(got) != 1 || got[0] != p.want {
			t.Errorf("%s: unchanged %v, want %v", p.name, got, p.want)
		}
		if p.digest == "d1" {
			items = append(items, p.it)
		}
	}
	// The batch form answers each in order, across query chunks.
	for i := range 1200 {
		items = append(items, store.Item{Path: fmt.Sprintf("/r/many/%d", i), Size: 1, ModTime: mtime})
	}
	got, err := e.st.Unchanged(e.ctx, "d1", items)
	e.must(err)
	var want []bool
	for _, p := range probes {
		if p.digest == "d1" {
			want = append(want, p.want)
		}
	}
	if !slices.Equal(got[:len(want)], want) || slices.Contains(got[len(want):], true) || len(got) != len(items) {
		t.Errorf("batch answers differ from single ones: %v", got[:len(want)])
	}
}

func testReused(t *testing.T, e *env) {
	mtime := time.Unix(1700000000, 5)
	a := store.Item{Root: "/r", Path: "/r/a.env", Size: 10, ModTime: mtime}
	b := store.Item{Root: "/r", Path: "/r/b.txt", Size: 20, ModTime: mtime}
	fa := e.secret("aws-key", awsValue, a.Path, 3)
	fz := e.secret("aws-key", awsValue, a.Path, 9)
	fz.Location.Container = []string{"inner.zip", "k.txt"}
	fb := e.secret("email", "frank.black@example.com", b.Path, 0)
	id := e.begin("/r")
	e.must(e.st.Write(e.ctx, id, store.Batch{Findings: []finding.Finding{fa, fz, fb}, Items: []store.Item{a, b}}))
	_, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{})
	e.must(err)

	// Nightly sweep: a is unchanged and not read; b was deleted.
	ok, err := e.st.Unchanged(e.ctx, "d1", []store.Item{a})
	e.must(err)
	if !ok[0] {
		t.Fatal("a not unchanged")
	}
	reused := a
	reused.Reused = true
	id = e.begin("/r")
	e.must(e.st.Write(e.ctx, id, store.Batch{Items: []store.Item{reused}}))
	out, err := e.st.FinishScan(e.ctx, id, store.ScanEnd{})
	e.must(err)
	if out.Seen != 1 || out.Resolved != 1 {
		t.Errorf("outcome %+v, want the key carried forward (seen) and the email resolved", out)
	}
	key := e.get(e.id(fa))
	if key.Status != store.Open || key.LastScan != id || key.Locations != 2 {
		t.Errorf("carried-forward finding %+v, want open, last seen in scan %d, 2 live locations", key, id)
	}
	locs, _, err := e.st.Locations(e.ctx, key.ID, store.Page{})
	e.must(err)
	for _, l := range locs {
		if l.LastScan != 1 || l.GoneScan != 0 {
			t.Errorf("location %s: %+v, want live and last read by scan 1", l.Where(), l)
		}
	}
	e.status(e.id(fb), store.Resolved)
	// The reused item stays unchanged for the next sweep, and is reused
	// again.
	if ok, _ := e.st.Unchanged(e.ctx, "d1", []store.Item{a}); !ok[0] {
		t.Error("a reused item is no longer unchanged")
	}
	id = e.begin("/r")
	e.must(e.st.Write(e.ctx, id, store.Batch{Items: []store.Item{reused}}))
	if out, err = e.st.FinishScan(e.ctx, id, store.ScanEnd{}); err != nil || out.Seen != 1 || out.Resolved != 0 {
		t.Errorf("second reuse: %+v, %v", out, err)
	}
	// Then a is edited: read again, the key is only in the zip now.
	a.Size++
	id = e.begin("/r")
	e.must(e.st.Write(e.ctx, id, store.Batch{Findings: []finding.Finding{fz}, Items: []store.Item{a}}))
	if out, err = e.st.FinishScan(e.ctx, id, store.ScanEnd{}); err != nil || out.Seen != 1 || out.Resolved != 0 {
		t.Errorf("rescan of the edited item: %+v, %v", out, err)
	}
	if f := e.get(key.ID); f.Locations != 1 || f.LastScan != id || len(f.Where.Container) != 1+1 {
		t.Errorf("after the edit: %+v, want only the zip member, last seen in scan %d", f, id)
	}
	// And deleted: the key is resolved.
	id = e.begin("/r")
	if out, err = e.st.FinishScan(e.ctx, id, store.ScanEnd{}); err != nil || out.Resolved != 1 || out.Seen != 0 {
		t.Errorf("scan after deletion: %+v, %v", out, err)
	}
	e.status(key.ID, store.Resolved)

	// An item recorded as reused that the inventory does not hold as
	// such (never recorded, or under another root) is recorded whole.
	c := store.Item{Root: "/r", Path: "/r/c.txt", Size: 30, ModTime: mtime, Reused: true}
	moved := reused
	moved.Root = "/elsewhere"
	id = e.begin("/r")
	e.must(e.st.Write(e.ctx, id, store.Batch{Items: []store.Item{c, moved}}))
	_, err = e.st.FinishScan(e.ctx, id, store.ScanEnd{})
	e.must(err)
	if ok, err := e.st.Unchanged(e.ctx, "d1", []store.Item{c, moved}); err != nil || !ok[0] || !ok[1] {
		t.Errorf("reused items the inventory lacked: unchanged %v (%v), want both recorded", ok, err)
	}
}
