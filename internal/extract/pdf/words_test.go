package pdf

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"unicode"
)

// words splits text into lower-case words of letters and digits, the unit
// the sample tests compare in order.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// inOrder returns how many words of want appear in got in the same order:
// the longest common subsequence of the two word lists.
func inOrder(want, got []string) int {
	prev := make([]int, len(got)+1)
	cur := make([]int, len(got)+1)
	for _, w := range want {
		for j, g := range got {
			switch {
			case w == g:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(got)]
}

var (
	texComment = regexp.MustCompile(`(?m)(^|[^\\])%.*$`)
	// Environments' names and their set-up arguments are not text.
	texEnv = regexp.MustCompile(`\\(begin|end)\{[^}]*\}(\s*(\[[^\]]*\]|\{[^}]*\}))*`)
	// Commands whose arguments are file names, keys or layout, not text.
	texNoText = regexp.MustCompile(`\\(includegraphics|usepackage|documentclass|label|ref|pageref|cite|today|hypersetup|vspace|hspace)\*?(\s*(\[[^\]]*\]|\{[^}]*\}))*`)
	texOption = regexp.MustCompile(`\\[A-Za-z@]+\*?(\s*\[[^\]]*\])*`)
)

// texText returns the words a LaTeX source typesets itself (roughly: the
// body with commands, options and layout arguments removed). Text that
// macros generate (\blindtext, \lipsum) is not in the source.
func texText(src string) string {
	if i := strings.Index(src, `\begin{document}`); i >= 0 {
		src = src[i:]
	}
	if i := strings.Index(src, `\end{document}`); i >= 0 {
		src = src[:i]
	}
	src = texComment.ReplaceAllString(src, "$1")
	src = texEnv.ReplaceAllString(src, " ")
	src = texNoText.ReplaceAllString(src, " ")
	src = texOption.ReplaceAllString(src, " ")
	return strings.NewReplacer(`\\`, " ", "&", " ", "~", " ", "{", " ", "}", " ", "$", " ").Replace(src)
}

// odtText returns the character data of an OpenDocument's content.xml
// body, a space between elements so that paragraphs stay apart.
func odtText(path string) (string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "content.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		var b strings.Builder
		dec := xml.NewDecoder(rc)
		inBody := false
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				return b.String(), nil
			}
			if err != nil {
				return "", err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				if t.Name.Local == "body" {
					inBody = true
				}
				b.WriteByte(' ')
			case xml.EndElement:
				b.WriteByte(' ')
			case xml.CharData:
				if inBody {
					b.Write(t)
				}
			}
		}
	}
	return "", errors.New("no content.xml")
}
