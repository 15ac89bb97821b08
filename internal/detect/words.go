package detect

import "bytes"

// wordSet is the rules' keywords and context words as patterns of the
// scan automaton (scanauto.go), which finds every occurrence, overlapping,
// ASCII-case-insensitively, in the text as read: no lower-cased copy, no
// list of matches. Letters match either case; bytes outside ASCII share
// eight classes in the automaton (a few context words are Chinese, Hebrew,
// accented Latin), and the words that have them are checked byte by byte
// where they hit.
type wordSet struct {
	pats  []seq    // the words as byte classes
	words [][]byte // lower-case
	exact []bool   // the word has non-ASCII bytes: confirm each hit
}

func newWordSet(words []string) (*wordSet, error) {
	ws := &wordSet{words: make([][]byte, len(words)), exact: make([]bool, len(words))}
	pats := make([]seq, len(words))
	for i, w := range words {
		ws.words[i] = []byte(w)
		s := make(seq, len(w))
		for j := 0; j < len(w); j++ {
			b := w[j]
			switch {
			case b >= 0x80:
				s[j] = highClass(b)
				ws.exact[i] = true
			case b >= 'a' && b <= 'z':
				s[j].add(b)
				s[j].add(b - 'a' + 'A')
			default:
				s[j].add(b)
			}
		}
		pats[i] = s
	}
	ws.pats = pats
	return ws, nil
}

// highClass is the automaton's class of a byte outside ASCII: the bytes
// that agree with it in their low three bits. One class for all of them
// made "©" hit every two bytes of non-ASCII text and each two-character
// Chinese or Korean word every six (2.3 M hits to turn down on the
// benchmark corpus, a ninth of all); eight add seven symbols to the
// automaton's alphabet and turn down all but one in 8^n of those, n the
// word's bytes outside ASCII. Exact bytes would add 76.
func highClass(b byte) byteSet {
	var s byteSet
	for c := 0x80 | int(b&7); c < vByte; c += 8 {
		s.add(byte(c))
	}
	return s
}

// confirmed reports whether the hit of word w ending at end of text is the
// word: words with bytes outside ASCII are matched loosely by the automaton.
func (ws *wordSet) confirmed(text []byte, w int32, end int) bool {
	return !ws.exact[w] || equalFold(text[end-len(ws.words[w]):end], ws.words[w])
}

// lowerByte lower-cases an ASCII letter.
func lowerByte(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// equalFold reports whether text equals the lower-case word, ASCII letters
// of text in either case.
func equalFold(text, word []byte) bool {
	if len(text) != len(word) {
		return false
	}
	for i, b := range text {
		if lowerByte(b) != word[i] {
			return false
		}
	}
	return true
}

// indexFold returns the first index of the lower-case word in text, ASCII
// letters of text in either case, or -1.
func indexFold(text, word []byte) int {
	if len(word) == 0 {
		return 0
	}
	first := word[0]
	upper := first
	if first >= 'a' && first <= 'z' {
		upper = first - 'a' + 'A'
	}
	for i := 0; i+len(word) <= len(text); {
		j := bytes.IndexByte(text[i:len(text)-len(word)+1], first)
		if upper != first {
			if k := bytes.IndexByte(text[i:len(text)-len(word)+1], upper); k >= 0 && (j < 0 || k < j) {
				j = k
			}
		}
		if j < 0 {
			return -1
		}
		i += j
		if equalFold(text[i:i+len(word)], word) {
			return i
		}
		i++
	}
	return -1
}
