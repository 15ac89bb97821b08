package markup

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// packagerObject builds the \objdata of a packaged file: an OLE 1.0
// embedded object of class "Package" holding name and content.
func packagerObject(name, content string) string {
	var native bytes.Buffer
	le := func(b *bytes.Buffer, v uint32) { binary.Write(b, binary.LittleEndian, v) }
	native.Write([]byte{2, 0})
	native.WriteString(name + "\x00")
	native.WriteString(`C:\tmp\` + name + "\x00")
	native.Write([]byte{0, 0, 3, 0})
	tmp := `C:\Users\x\AppData\Local\Temp\` + name + "\x00"
	le(&native, uint32(len(tmp)))
	native.WriteString(tmp)
	le(&native, uint32(len(content)))
	native.WriteString(content)

	var obj bytes.Buffer
	le(&obj, 0x0501)
	le(&obj, 2)
	for _, s := range []string{"Package\x00", "", ""} {
		le(&obj, uint32(len(s)))
		obj.WriteString(s)
	}
	le(&obj, uint32(native.Len()))
	obj.Write(native.Bytes())
	h := hex.EncodeToString(obj.Bytes())
	var out strings.Builder
	for len(h) > 64 {
		out.WriteString(h[:64] + "\r\n")
		h = h[64:]
	}
	out.WriteString(h)
	return out.String()
}

func rtfDoc() string {
	return `{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0\froman\fcharset204 Times New Roman Cyr;}` +
		`{\f1\fswiss\fcharset0 Arial{\*\falt PLANT-falt};}{\f2\fnil\fcharset128 MS Mincho;}{\f3\fnil\fcharset238 Arial CE;}}
{\colortbl;\red0\green0\blue0;}
{\stylesheet{\s0 Normal PLANT-stylesheet;}}
{\info{\title Budget PLANT-title}{\author J. Smith}{\keywords PLANT-keywords}{\doccomm note PLANT-doccomm}{\creatim\yr2014\mo11\dy20}}
{\*\generator PLANT-generator;}
\pard\plain\f0 \'cf\'e0\'f0\'ee\'eb\'fc: PLANT-cp1251\par
\uc1\u1055?\u1072?\u1088? PLANT-unicode \uc2\u8364\'80\'80 euro \uc1\u-10179?\u-8704? smile\par
\trowd\cellx1000\cellx2000 user\cell PLANT-cellpass\cell\row
\trowd\cellx1000\cellx2000\cell PLANT-secondrow\cell\row
see {\field{\*\fldinst HYPERLINK "https://u:PLANT-fldinst@example.com"}{\fldrslt link text}} after\par
note{\super\chftn}{\footnote\pard\plain\chftn PLANT-footnote} back\par
{\*\unknowndest PLANT-skipped}{\pict\wmetafile8 504c414e54 PLANT-pict}x\bin5 }}{{\y PLANT-afterbin\par
{\f2 \'82\'a0\'83N} {\f3 \'9ea\'9ee} key\tab PLANT-tab\line next\par
{\object\objemb{\*\objclass Package}{\*\objdata ` + packagerObject("secret.txt", "password: PLANT-embedded\n") + `}{\result shown}}\par
braces \{ \} \\ done}`
}

const rtfText = `title: Budget PLANT-title
author: J. Smith
keywords: PLANT-keywords
doccomm: note PLANT-doccomm
Пароль: PLANT-cp1251
Пар PLANT-unicode € euro 😀 smile
user	PLANT-cellpass
	PLANT-secondrow
see link text after
HYPERLINK "https://u:PLANT-fldinst@example.com"
note
PLANT-footnote
 back
xy PLANT-afterbin
あク žaže key	PLANT-tab
next
shown
braces { } \ done
`

func TestRTFTextPropertiesAndObjects(t *testing.T) {
	res := extracttest.Run(t, "doc.rtf", []byte(rtfDoc()), extracttest.Options{}, New())
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	if len(res.Texts) != 2 {
		t.Fatalf("got %d text streams, want the document and its embedded file: %+v", len(res.Texts), res.Texts)
	}
	if got := res.Texts[0].Text; got != rtfText {
		t.Errorf("text:\n%s\nwant:\n%s", got, rtfText)
	}
	for _, tok := range []string{"PLANT-title", "PLANT-keywords", "PLANT-doccomm", "PLANT-cp1251", "PLANT-unicode",
		"PLANT-cellpass", "PLANT-secondrow", "PLANT-fldinst", "PLANT-footnote", "PLANT-afterbin", "PLANT-tab"} {
		if got := res.Where(tok); !slices.Equal(got, []string{"doc.rtf"}) {
			t.Errorf("%s found at %v, want [doc.rtf]", tok, got)
		}
	}
	for _, tok := range []string{"PLANT-falt", "PLANT-stylesheet", "PLANT-generator", "PLANT-skipped", "PLANT-pict"} {
		if got := res.Where(tok); got != nil {
			t.Errorf("%s is in a skipped destination but was found at %v", tok, got)
		}
	}
	if got := res.Where("PLANT-embedded"); !slices.Equal(got, []string{"doc.rtf!embedded:objdata1"}) {
		t.Errorf("embedded file's token found at %v", got)
	}
	if res.Texts[1].Path != "secret.txt" {
		t.Errorf("embedded file named %q, want its packaged name secret.txt", res.Texts[1].Path)
	}
}

func TestRTFDefaultCodePageAndMac(t *testing.T) {
	cases := map[string]string{
		`{\rtf1\ansi caf\'e9 PLANT-x}`:                      "café PLANT-x\n",
		`{\rtf1\mac caf\'8e PLANT-x}`:                       "café PLANT-x\n",
		`{\rtf1\ansi\ansicpg1253 \'e1\'e2\'e3 PLANT-x\par}`: "αβγ PLANT-x\n",
		`{\rtf1\ansi\ansicpg932 \'82\'a0\'82\'a2 PLANT-x}`:  "あい PLANT-x\n",
		`{\rtf1 a\u-4064 ?b\uc0\u233 c}`:                    "a\uf020béc\n",
		`{\rtf1 no close \'e9`:                              "no close é\n",
		`{\rtf1 extra}}} closes}`:                           "extra closes\n",
	}
	for doc, want := range cases {
		res := extracttest.Run(t, "d.rtf", []byte(doc), extracttest.Options{}, New())
		if len(res.Texts) != 1 || res.Texts[0].Text != want {
			t.Errorf("%s: got %q, want %q", doc, res.All(), want)
		}
	}
}

func TestRTFTooDeepIsCorrupt(t *testing.T) {
	doc := `{\rtf1 before PLANT-before\par` + strings.Repeat("{", 1200) + "x" + strings.Repeat("}", 1201)
	res := extracttest.Run(t, "deep.rtf", []byte(doc), extracttest.Options{}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt {
		t.Fatalf("problems %+v, want one corrupt", res.Problems)
	}
	if got := res.Where("PLANT-before"); !slices.Equal(got, []string{"deep.rtf"}) {
		t.Errorf("text before the damage found at %v, want it scanned", got)
	}
}
