package edm

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// wordEnd returns the end of the run of letters starting at i (ASCII
// letters, other Unicode letters and combining marks), or i when buf[i]
// starts no letter. Apostrophes, hyphens and digits end a word.
func wordEnd(buf []byte, i, limit int) (end int, ascii bool) {
	j, ascii := i, true
	for j < limit {
		c := buf[j]
		if c < utf8.RuneSelf {
			if c|0x20 >= 'a' && c|0x20 <= 'z' {
				j++
				continue
			}
			break
		}
		r, size := utf8.DecodeRune(buf[j:limit])
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)) {
			break
		}
		ascii = false
		j += size
	}
	return j, ascii
}

// appendFolded appends w with case and accents folded: "Łukasz" and
// "ŁUKASZ" both become "lukasz", "Müller" "muller", "Straße" "strasse".
// tmp is scratch space, returned for reuse.
func appendFolded(dst, tmp, w []byte, ascii bool) (out, tmpOut []byte) {
	if ascii {
		for _, c := range w {
			dst = append(dst, c|0x20)
		}
		return dst, tmp
	}
	tmp = norm.NFKD.Append(tmp[:0], w...)
	for i := 0; i < len(tmp); {
		r, size := utf8.DecodeRune(tmp[i:])
		i += size
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		switch r {
		case 'ß':
			dst = append(dst, 's', 's')
		case 'æ':
			dst = append(dst, 'a', 'e')
		case 'œ':
			dst = append(dst, 'o', 'e')
		case 'ø':
			dst = append(dst, 'o')
		case 'ł':
			dst = append(dst, 'l')
		case 'đ', 'ð':
			dst = append(dst, 'd')
		case 'þ':
			dst = append(dst, 't', 'h')
		case 'ı':
			dst = append(dst, 'i')
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst, tmp
}

// isTitle recognises honorifics and suffixes, which, like initials, are
// left out of names: "Dr. John Smith Jr." is "John Smith".
func isTitle(w []byte) bool {
	if len(w) > 4 {
		return false
	}
	switch string(w) {
	case "mr", "mrs", "ms", "miss", "dr", "prof", "jr", "sr", "mme", "mlle", "herr", "frau":
		return true
	}
	return false
}

// wordsOf hashes the words of a registered value the way the matcher hashes
// a phrase of text: single letters (initials) dropped, order ignored. It
// returns the key, the number of words and of folded bytes.
func wordsOf(v *valueHasher, s []byte, fold, tmp []byte) (key uint64, n, letters int, foldOut, tmpOut []byte) {
	var sum uint64
	for i := 0; i < len(s); {
		e, ascii := wordEnd(s, i, len(s))
		if e == i {
			_, size := utf8.DecodeRune(s[i:])
			i += size
			continue
		}
		fold, tmp = appendFolded(fold[:0], tmp, s[i:e], ascii)
		i = e
		if utf8.RuneCount(fold) < 2 || isTitle(fold) {
			continue
		}
		sum += v.word(fold)
		n++
		letters += len(fold)
	}
	if n == 0 {
		return 0, 0, 0, fold, tmp
	}
	return wordsKey(sum, n), n, letters, fold, tmp
}
