package ignore

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestAgainstGit compares the matcher with `git check-ignore` on random
// pattern files over a fixed tree. It needs git on PATH and works in a
// throw-away repository under t.TempDir().
func TestAgainstGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	if testing.Short() {
		t.Skip("slow: runs git hundreds of times")
	}
	dir := t.TempDir()
	gitRun(t, dir, nil, "init", "-q", ".")
	paths, isDir := makeTree(t, dir)

	// gitQuirk spots a run of stars right after a literal ("a**/b"). The
	// manual says such a run is an ordinary '*', but git matches a pattern's
	// literal prefix separately and then reads the run as if it began an
	// element: "a**/b" ignores a/x/b. We follow the manual, so the comparison
	// leaves these out.
	gitQuirk := regexp.MustCompile(`[^/!]\*\*`)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 300; round++ {
		var lines []string
		for n := 1 + rng.IntN(3); n > 0; n-- {
			if p := randomPattern(rng); !gitQuirk.MatchString(p) {
				lines = append(lines, p)
			}
		}
		text := strings.Join(lines, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		out := gitRun(t, dir, strings.NewReader(strings.Join(paths, "\n")+"\n"),
			"check-ignore", "--stdin", "-v", "-n")
		gitSays := map[string]bool{}
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			src, p, _ := strings.Cut(sc.Text(), "\t")
			// "::" is no match; a matching "!" pattern prints with its '!'.
			gitSays[p] = src != "::" && !strings.Contains(src, ":!")
		}
		m := (*Matcher)(nil).Push(mustParse(t, text, "", ".gitignore"))
		for _, p := range paths {
			if got := walkIgnored(m, p, isDir[p]); got != gitSays[p] {
				t.Errorf("patterns %q, path %q (dir=%v): ignored=%v, git says %v", lines, p, isDir[p], got, gitSays[p])
			}
		}
	}
}

// makeTree builds dirs "a", "ab" and files "b", "a.b", "[a]" three levels deep.
func makeTree(t *testing.T, dir string) (paths []string, isDir map[string]bool) {
	isDir = map[string]bool{}
	var build func(rel string, depth int)
	build = func(rel string, depth int) {
		for _, name := range []string{"a", "ab", "b", "a.b", "[a]"} {
			p := strings.TrimPrefix(rel+"/"+name, "/")
			d := name == "a" || name == "ab"
			abs := filepath.Join(dir, filepath.FromSlash(p))
			var err error
			if d {
				err = os.Mkdir(abs, 0o755)
			} else {
				err = os.WriteFile(abs, nil, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			paths, isDir[p] = append(paths, p), d
			if d && depth < 3 {
				build(p, depth+1)
			}
		}
	}
	build("", 1)
	return paths, isDir
}

func randomPattern(rng *rand.Rand) string {
	pieces := []string{"a", "b", "a", "b", ".", "*", "**", "?", "/", "/", "[ab]", "[!a]", "[a-b]", `\[`, "]",
		" ", `\ `, "#", `\!`, "[]a]", "[!]]", "***", "[[:alpha:]]", "[a-]", "[^b]", `\`, "[a"}
	var b strings.Builder
	if rng.IntN(4) == 0 {
		b.WriteString("!")
	}
	for n := 1 + rng.IntN(5); n > 0; n-- {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

func gitRun(t *testing.T, dir string, stdin *strings.Reader, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_CONFIG_GLOBAL=/dev/null")
	if stdin != nil {
		cmd.Stdin = stdin
	}
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 { // 1: nothing ignored
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return string(out)
}
