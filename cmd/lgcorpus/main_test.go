package main

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/detect/validate"
)

// generateInto writes a corpus of size MB with seed into a new folder and
// returns the folder and the manifest path.
func generateInto(t *testing.T, seed uint64, sizeMB int) (string, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	var out bytes.Buffer
	code, err := run([]string{"-out", dir, "-size", strconv.Itoa(sizeMB), "-seed", strconv.FormatUint(seed, 10)}, &out)
	if err != nil || code != 0 {
		t.Fatalf("run: code %d, %v\n%s", code, err, out.String())
	}
	return dir, dir + ".manifest.json"
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestSameSeedSameBytes(t *testing.T) {
	a, am := generateInto(t, 7, 3)
	b, bm := generateInto(t, 7, 3)
	fa, fb := readTree(t, a), readTree(t, b)
	if len(fa) < 50 {
		t.Fatalf("only %d files in a 3 MB corpus", len(fa))
	}
	if len(fa) != len(fb) {
		t.Fatalf("%d files, then %d", len(fa), len(fb))
	}
	for p, content := range fa {
		if !bytes.Equal(content, fb[p]) {
			t.Fatalf("%s differs between two runs with the same seed", p)
		}
	}
	ma, _ := os.ReadFile(am)
	mb, _ := os.ReadFile(bm)
	if !bytes.Equal(ma, mb) {
		t.Fatal("manifests differ between two runs with the same seed")
	}

	c, _ := generateInto(t, 8, 3)
	fc := readTree(t, c)
	same := 0
	for p, content := range fa {
		if bytes.Equal(content, fc[p]) {
			same++
		}
	}
	if same > len(fa)/10 {
		t.Errorf("seed 8 reproduced %d of %d files of seed 7", same, len(fa))
	}
}

func TestManifestMatchesFiles(t *testing.T) {
	dir, mpath := generateInto(t, 3, 4)
	m, err := readManifest(mpath)
	if err != nil {
		t.Fatal(err)
	}
	files := readTree(t, dir)
	var total int64
	for _, b := range files {
		total += int64(len(b))
	}
	if m.Files != len(files) || m.Bytes != total {
		t.Errorf("manifest says %d files, %d bytes; the folder has %d, %d", m.Files, m.Bytes, len(files), total)
	}
	if total < 4_000_000 || total > 4_400_000 {
		t.Errorf("asked for 4 MB, got %d bytes", total)
	}
	if len(m.Planted) < 500 {
		t.Fatalf("only %d planted values", len(m.Planted))
	}
	counts := map[string]int{}
	for _, p := range m.Planted {
		counts[p.Kind]++
		b, ok := files[p.File]
		if !ok {
			t.Fatalf("%s: no such file", p.File)
		}
		if p.End > len(b) || string(b[p.Offset:p.End]) != p.Value {
			t.Fatalf("%s: bytes %d–%d are not %q", p.File, p.Offset, p.End, p.Value)
		}
		line := 1 + bytes.Count(b[:p.Offset], []byte{'\n'})
		col := p.Offset - bytes.LastIndexByte(b[:p.Offset], '\n')
		if line != p.Line || col != p.Col {
			t.Fatalf("%s: %q is at %d:%d, manifest says %d:%d", p.File, p.Value, line, col, p.Line, p.Col)
		}
	}
	for _, k := range []string{kindEmail, kindPhone, kindSSN, kindIBAN, kindCard} {
		if counts[k] == 0 {
			t.Errorf("no %s planted in a 4 MB corpus", k)
		}
		if counts[k] != m.Counts[k] {
			t.Errorf("%s: counts say %d, list has %d", k, m.Counts[k], counts[k])
		}
	}
}

// TestValuesPassValidators checks what leakguard's validators check:
// every generated number is one they accept, and every credential has the
// documented shape and enough entropy for the rules' floors.
func TestValuesPassValidators(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	shapes := map[string]*regexp.Regexp{
		"aws id":  regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`),
		"aws key": regexp.MustCompile(`^[A-Za-z0-9/+]{40}$`),
		"github":  regexp.MustCompile(`^ghp_[A-Za-z0-9]{36}$`),
		"slack":   regexp.MustCompile(`^xoxb-[0-9]{12}-[0-9]{13}-[A-Za-z0-9]{24}$`),
		"stripe":  regexp.MustCompile(`^sk_live_(?:[A-Za-z0-9]{24}|51[A-Za-z0-9]{97})$`),
	}
	p := person{"Zoë", "de Vries"}
	for i := 0; i < 3000; i++ {
		if v := cardNumber(r); !validate.Card(v) {
			t.Fatalf("card %q rejected", v)
		}
		if v := iban(r, i%2 == 0); !validate.IBAN(v) {
			t.Fatalf("IBAN %q rejected", v)
		}
		if v := ssn(r, "-"); !validate.USSSN(v) {
			t.Fatalf("SSN %q rejected", v)
		}
		if v := phone(r); !validate.Phone(v) {
			t.Fatalf("phone %q rejected", v)
		}
		if v := email(r, p, pick(r, companyDomains)); !validate.Email(v) {
			t.Fatalf("e-mail %q rejected", v)
		}
		for name, v := range map[string]string{"aws id": awsKeyID(r), "aws key": awsSecret(r), "github": githubToken(r),
			"slack": slackBotToken(r), "stripe": stripeLiveKey(r)} {
			if !shapes[name].MatchString(v) {
				t.Fatalf("%s %q has the wrong shape", name, v)
			}
			if e := validate.Entropy(v); e < 3.0 || name != "aws id" && e < 3.8 {
				t.Fatalf("%s %q has entropy %.2f", name, v, e)
			}
		}
	}
}

func TestPrivateKeysDecode(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		s := privateKeyPEM(r)
		blk, rest := pem.Decode([]byte(s))
		if blk == nil || len(bytes.TrimSpace(rest)) != 0 {
			t.Fatalf("not one PEM block:\n%s", s)
		}
		seen[blk.Type] = true
		switch blk.Type {
		case "PRIVATE KEY":
			if _, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err != nil {
				t.Fatal(err)
			}
		case "EC PRIVATE KEY":
			if _, err := x509.ParseECPrivateKey(blk.Bytes); err != nil {
				t.Fatal(err)
			}
		case "OPENSSH PRIVATE KEY":
			if !bytes.HasPrefix(blk.Bytes, []byte("openssh-key-v1\x00\x00\x00\x00\x04none")) {
				t.Fatalf("not an unencrypted openssh-key-v1 container: %q", blk.Bytes[:24])
			}
		case "RSA PRIVATE KEY":
			if !strings.HasPrefix(base64.StdEncoding.EncodeToString(blk.Bytes), "MIIEpAIBAAKCAQEA") {
				t.Fatal("RSA body does not start with the PKCS#1 header")
			}
		default:
			t.Fatalf("unexpected PEM type %q", blk.Type)
		}
	}
	if len(seen) != 4 {
		t.Errorf("key types generated: %v", seen)
	}
}

func TestLuhnAndMod97(t *testing.T) {
	// Published test numbers: a Visa test card and the IBAN of the
	// standard's example.
	if got := luhnDigit([]byte("411111111111111")); got != '1' {
		t.Errorf("Luhn digit of 411111111111111 = %c, want 1", got)
	}
	if got := mod97("370400440532013000DE89"); got != 1 {
		t.Errorf("mod-97 of DE89370400440532013000 = %d, want 1", got)
	}
}

// BenchmarkGenerate measures generation alone, in memory, one file after
// another: go test -run X -bench Generate ./cmd/lgcorpus
func BenchmarkGenerate(b *testing.B) {
	specs := plan(1, 30_000_000)
	var buf []byte
	n := 0
	for b.Loop() {
		n = 0
		for i, s := range specs {
			d := generate(1, i, s, buf)
			buf = d.buf
			n += len(d.buf)
		}
	}
	b.SetBytes(int64(n))
}

func TestCheckRecall(t *testing.T) {
	dir := t.TempDir()
	m := &Manifest{Planted: []Planted{
		{File: "hr/a.csv", Offset: 10, End: 21, Kind: kindSSN, Value: "505-24-9967"},
		{File: "hr/a.csv", Offset: 40, End: 62, Kind: kindIBAN, Value: "DE36370400448228713112"},
		{File: "it/.env", Offset: 5, End: 25, Kind: kindAWSKeyID, Value: "AKIAPJQCOA7FLCW6Q55Q"},
	}}
	finding := func(rule, path string, off, end int) string {
		return `{"rule":"` + rule + `","location":{"path":"` + filepath.Join(dir, "gen", path) + `","offset":` +
			strconv.Itoa(off) + `,"end_offset":` + strconv.Itoa(end) + "}}\n"
	}
	report := finding("us-ssn", "hr/a.csv", 10, 21) + // found
		finding("phone-number-national", "hr/a.csv", 38, 50) + // overlaps the IBAN, wrong rule
		finding("aws-access-key-id", "it/.env", 5, 25) + // found
		finding("ipv4-address", "logs/x.log", 0, 8) + // noise, not planted
		`{"rule":"email-address","location":{"path":"/elsewhere/x.go","offset":1,"end_offset":9}}` + "\n"
	path := filepath.Join(dir, "report.jsonl")
	if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	missed, err := checkRecall(&out, m, filepath.Join(dir, "gen"), path, false)
	if err != nil {
		t.Fatal(err)
	}
	if missed != 1 {
		t.Errorf("missed = %d, want 1\n%s", missed, out.String())
	}
	for _, want := range []string{"hr/a.csv:0:0 iban", "reported as phone-number-national", "recall 66.667%",
		"ipv4-address", "findings outside the generated data: 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
