package docs

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxWord caps the normalised bytes of a word that are hashed. Longer
// tokens (base64, hex dumps) are still one word, identified by their
// beginning; the cap keeps the tokenizer's state a fixed size.
const maxWord = 64

// tokenizer splits a stream of UTF-8 text into normalised words with the
// byte span each came from. Its state is bounded: a partial rune (at most
// 3 bytes) and a partial word (maxWord bytes), whatever the input size.
//
// Normalisation, per rune: compatibility decomposition (NFKD: ligatures,
// full-width forms, superscripts become plain letters and digits), then
// combining marks are dropped (accents folded: "résumé" = "resume", since
// conversion through PDF or OCR often loses or mangles them), then case is
// folded. Letters and digits make words; every other rune (space,
// punctuation, symbols) separates them. Composition, the C of NFKC, is moot
// once marks are dropped, so the result is NFKC with accents folded.
// Format characters (soft hyphen, zero-width joiner) are ignored. Scripts
// written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) make one
// word per character.
type tokenizer struct {
	key    sipKey
	emit   func(start, end int64, h uint64)
	off    int64 // stream offset of the next byte written
	carry  [utf8.UTFMax]byte
	nc     int   // bytes in carry: an incomplete rune at the end of the last write
	cstart int64 // stream offset of carry[0]

	buf    [maxWord]byte // the normalised current word
	n      int
	inWord bool
	start  int64 // stream offset where the current word began
	end    int64 // stream offset just past its last letter
}

// asciiFold maps an ASCII byte to its folded letter or digit, or 0 for a
// separator.
var asciiFold = func() (t [128]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c
		t[c-'a'+'A'] = c
	}
	return t
}()

func (t *tokenizer) reset() {
	t.off, t.nc, t.cstart, t.n, t.inWord, t.start, t.end = 0, 0, 0, 0, false, 0, 0
}

// write feeds the next bytes of the stream.
func (t *tokenizer) write(p []byte) {
	for t.nc > 0 {
		// Complete the rune split by the previous write.
		old, i := t.nc, 0
		for !utf8.FullRune(t.carry[:t.nc]) && i < len(p) {
			t.carry[t.nc] = p[i]
			t.nc++
			i++
		}
		if !utf8.FullRune(t.carry[:t.nc]) {
			t.off += int64(len(p)) // still incomplete: wait for more
			return
		}
		if _, size := utf8.DecodeRune(t.carry[:t.nc]); size == t.nc {
			t.rune(t.carry[:t.nc], t.cstart, t.cstart+int64(t.nc))
			t.nc = 0
			t.off += int64(i)
			p = p[i:]
			break
		}
		// Not a rune: its first byte is a separator; give back the bytes
		// taken from p and retry with the rest of the carry.
		t.flush()
		copy(t.carry[:], t.carry[1:old])
		t.nc = old - 1
		t.cstart++
	}
	base := t.off
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			if f := asciiFold[c]; f != 0 {
				if !t.inWord {
					t.inWord, t.start, t.n = true, base+int64(i), 0
				}
				if t.n < maxWord {
					t.buf[t.n] = f
					t.n++
				}
				t.end = base + int64(i) + 1
			} else if t.inWord {
				t.flush()
			}
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) {
			t.nc = copy(t.carry[:], p[i:])
			t.cstart = base + int64(i)
			break
		}
		_, size := utf8.DecodeRune(p[i:])
		t.rune(p[i:i+size], base+int64(i), base+int64(i+size))
		i += size
	}
	t.off = base + int64(len(p))
}

// rune handles one non-ASCII rune (its UTF-8 bytes src) at [start, end).
func (t *tokenizer) rune(src []byte, start, end int64) {
	d := norm.NFKD.Properties(src).Decomposition()
	if d == nil {
		r, _ := utf8.DecodeRune(src)
		t.folded(r, start, end)
		return
	}
	for len(d) > 0 {
		r, size := utf8.DecodeRune(d)
		t.folded(r, start, end)
		d = d[size:]
	}
}

// folded handles one decomposed rune that came from [start, end).
func (t *tokenizer) folded(r rune, start, end int64) {
	switch {
	case r == utf8.RuneError:
		t.flush()
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		// Accents and invisible format characters neither make nor
		// break a word.
		if t.inWord {
			t.end = end
		}
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar):
		t.flush()
		t.appendRune(foldCase(r), start, end)
		t.flush()
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		if r == 'ß' || r == 'ẞ' {
			t.appendRune('s', start, end)
			t.appendRune('s', start, end)
			return
		}
		t.appendRune(foldCase(r), start, end)
	default:
		t.flush()
	}
}

// foldCase maps upper, title and lower case forms (and variants such as
// long s and final sigma) to one lower-case form.
func foldCase(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }

func (t *tokenizer) appendRune(r rune, start, end int64) {
	if !t.inWord {
		t.inWord, t.start, t.n = true, start, 0
	}
	if t.n+utf8.RuneLen(r) <= maxWord {
		t.n += utf8.EncodeRune(t.buf[t.n:], r)
	}
	t.end = end
}

// flush ends the current word, if any, and emits it.
func (t *tokenizer) flush() {
	if !t.inWord {
		return
	}
	t.inWord = false
	t.emit(t.start, t.end, t.key.sum64(t.buf[:t.n]))
}

// close ends the stream: a trailing incomplete rune is a separator.
func (t *tokenizer) close() {
	t.nc = 0
	t.flush()
}
