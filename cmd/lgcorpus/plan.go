package main

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
)

// fileSpec is one file of the corpus to generate.
type fileSpec struct {
	path     string // slash-separated, relative to the output directory
	category string // logs, hr, mail, notes, config, key
	kind     string // the category's variant: log kind, export kind, syntax
	size     int    // target bytes; generators stop at the first line end past it
}

// categories are the parts of the corpus with their share of the bytes
// and the range of their file sizes.
var categories = []struct {
	name     string
	share    float64
	min, max int
}{
	{"logs", 0.66, 1 << 20, 8 << 20},
	{"hr", 0.08, 32 << 10, 1 << 20},
	{"mail", 0.10, 2 << 10, 24 << 10},
	{"notes", 0.12, 2 << 10, 48 << 10},
	{"config", 0.04, 2 << 10, 16 << 10},
}

// keyFileShare is the fraction of config folders that also hold a private
// key file.
const keyFileShare = 0.03

// plan lays out the corpus: every file's path, kind and size, drawn from
// one random stream so that the same seed and size give the same layout.
func plan(seed uint64, total int) []fileSpec {
	r := rand.New(rand.NewPCG(seed, 0x706c616e)) // "plan"
	var specs []fileSpec
	// Mail comes from a fixed set of mailboxes, as a mail store export does.
	mailboxes := make([]string, 8+total/4_000_000)
	for i := range mailboxes {
		p := randPerson(r)
		mailboxes[i] = asciiLower(p.first) + "." + asciiLower(p.last)
	}
	for _, c := range categories {
		budget := int(float64(total) * c.share)
		// A small corpus gets smaller files, so that it still has several
		// of each category (and every kind of HR export).
		hi := min(c.max, max(budget/10, 4<<10))
		lo := min(c.min, hi/2)
		for n := 0; budget > 0; n++ {
			size := min(fileSize(r, lo, hi), budget)
			for _, s := range specFor(r, c.name, n, size, mailboxes) {
				budget -= s.size
				specs = append(specs, s)
			}
		}
	}
	return specs
}

// fileSize draws a size between lo and hi, spread evenly over the
// doublings in between (many small files, a few large ones), in integer
// arithmetic so that every platform draws the same sizes.
func fileSize(r *rand.Rand, lo, hi int) int {
	octaves := max(bits.Len(uint(hi/lo))-1, 1)
	base := lo << r.IntN(octaves)
	return min(base+r.IntN(base), hi)
}

// specFor lays out the n-th file (or folder of files) of a category;
// their sizes add up to size.
func specFor(r *rand.Rand, category string, n, size int, mailboxes []string) []fileSpec {
	switch category {
	case "logs":
		kind := pick(r, logKinds)
		svc := pick(r, services)
		return []fileSpec{{fmt.Sprintf("logs/%s/%s/%s-%s-%05d.log", pick(r, hosts), svc, svc, kind, n), category, kind, size}}
	case "hr":
		kind := hrKinds[n%len(hrKinds)] // in turn, so that a small corpus has every kind
		return []fileSpec{{fmt.Sprintf("hr/exports/%d/%s_%05d.csv", 2019+r.IntN(7), kind, n), category, kind, size}}
	case "mail":
		return []fileSpec{{fmt.Sprintf("mail/%s/%s/%05d.eml", pick(r, mailboxes),
			pick(r, []string{"Inbox", "Inbox", "Sent", "Archive", "Projects"}), n), category, "eml", size}}
	case "notes":
		dept := strings.ReplaceAll(strings.ToLower(pick(r, departments)), " ", "-")
		if r.IntN(10) < 7 {
			return []fileSpec{{fmt.Sprintf("docs/%s/%s-%05d.md", dept, pick(r, markdownTopics), n), category, "md", size}}
		}
		return []fileSpec{{fmt.Sprintf("shares/%s/notes/%05d.txt", dept, n), category, "txt", size}}
	default: // config: a release folder of a service with one to three files
		dir := fmt.Sprintf("it/config/%s/%s/release-%05d", pick(r, services), pick(r, []string{"prod", "staging", "dev"}), n)
		var specs []fileSpec
		names := map[string]bool{}
		k := 1 + r.IntN(3)
		for i := 0; i < k; i++ {
			f := pick(r, configFormats)
			if !names[f.name] {
				names[f.name] = true
				specs = append(specs, fileSpec{dir + "/" + f.name, category, f.format, size / k})
			}
		}
		if r.Float64() < keyFileShare {
			specs = append(specs, fileSpec{dir + "/" + pick(r, []string{"server.key", "id_ed25519", "deploy_key", "tls.key"}), "key", "pem", 0})
		}
		return specs
	}
}

// generate builds one file's contents with its own random stream, seeded
// by the corpus seed and the file's index, so files can be built in any
// order and in parallel. The document is built in buf's storage when it
// is large enough.
func generate(seed uint64, index int, spec fileSpec, buf []byte) *doc {
	r := rand.New(rand.NewPCG(seed, uint64(index)+1<<40))
	d := newDoc(spec.path, r, spec.size, buf)
	switch spec.category {
	case "logs":
		genLog(d, spec.kind, spec.size)
	case "hr":
		genHR(d, spec.kind, spec.size)
	case "mail":
		genMail(d, spec.size)
	case "notes":
		genNotes(d, spec.kind == "md", spec.size)
	case "config":
		genConfig(d, spec.kind, spec.size)
	default:
		genKeyFile(d)
	}
	return d
}
