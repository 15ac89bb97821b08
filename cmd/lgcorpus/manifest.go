package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Planted is one value the generator wrote on purpose: where it is (line
// and 1-based byte column; byte range in the file) and what it is. The
// values are synthetic, so the manifest holds them in plain text.
type Planted struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Col    int    `json:"col"`
	Offset int    `json:"offset"`
	End    int    `json:"end"`
	Kind   string `json:"kind"`
	Value  string `json:"value"`
}

// Manifest describes a generated corpus.
type Manifest struct {
	Generator string         `json:"generator"`
	Seed      uint64         `json:"seed"`
	SizeMB    int            `json:"size_mb"`
	Files     int            `json:"files"`
	Bytes     int64          `json:"bytes"`
	Counts    map[string]int `json:"counts"`
	Planted   []Planted      `json:"planted"`
}

// writeManifest writes m with one planted value a line, so that the file
// can be read (and diffed) by people as well.
func writeManifest(path string, m *Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	head := *m
	head.Planted = nil
	hb, err := json.Marshal(head)
	if err != nil {
		return err
	}
	// Reopen the object to append the planted list after the header fields.
	hb = hb[:len(hb)-len(`,"planted":null}`)]
	w.Write(hb)
	w.WriteString(",\"planted\":[\n")
	for i := range m.Planted {
		b, err := json.Marshal(&m.Planted[i])
		if err != nil {
			return err
		}
		w.Write(b)
		if i < len(m.Planted)-1 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// countKinds tallies planted values per kind.
func countKinds(ps []Planted) map[string]int {
	c := map[string]int{}
	for _, p := range ps {
		c[p.Kind]++
	}
	return c
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
