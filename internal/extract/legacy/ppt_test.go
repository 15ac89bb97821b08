package legacy

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// rec encodes a PowerPoint record; container records get version 0xF.
func rec(typ uint16, inst uint16, data ...[]byte) []byte {
	body := bytes.Join(data, nil)
	ver := uint16(0)
	switch typ {
	case rtDocument, rtSlide, rtNotes, rtMainMaster, rtSlideListWithText, rtExObjList, rtExHyperlink,
		rtExOleEmbed, rtComment10, 0x040C, 0xF002, 0xF004, 0xF00D:
		ver = 0xF
	}
	h := binary.LittleEndian.AppendUint16(nil, ver|inst<<4)
	h = binary.LittleEndian.AppendUint16(h, typ)
	h = binary.LittleEndian.AppendUint32(h, uint32(len(body)))
	return append(h, body...)
}

func chars(s string) []byte { return rec(rtTextCharsAtom, 0, utf16le(s)) }

func le32s(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// textBox is a shape holding text, as PowerPoint stores a text box.
func textBox(s string) []byte {
	return rec(0xF004, 0, rec(0xF00D, 0, rec(0x0F9F, 0, le32s(4)), chars(s)))
}

// presentationFile builds a .ppt with two slides (placeholder text in the
// slide list, text boxes, a comment, speaker notes), a master with a
// footer, a hyperlink and a compressed embedded object; token is the
// CurrentUserAtom's header token.
func presentationFile(token uint32) []byte {
	slideAtom := func(notes uint32) []byte {
		return rec(rtSlideAtom, 0, le32s(0), make([]byte, 8), le32s(5, notes), []byte{0, 0, 0, 0})
	}
	var obj bytes.Buffer
	zw := zlib.NewWriter(&obj)
	const embedded = "an embedded file with PLANT-pptobject in it\n"
	zw.Write([]byte(embedded))
	zw.Close()

	doc := rec(rtDocument, 0,
		rec(rtSlideListWithText, 0,
			rec(rtSlidePersistAtom, 0, le32s(2, 0, 1, 256, 0)), rec(0x0F9F, 0, le32s(0)), chars("Title PLANT-title1"),
			rec(rtSlidePersistAtom, 0, le32s(3, 0, 1, 257, 0)), rec(rtTextBytesAtom, 0, []byte("Bytes PLANT-bytes2"))),
		rec(rtSlideListWithText, 1, rec(rtSlidePersistAtom, 0, le32s(5, 0, 0, 0x80000000, 0))),
		rec(rtExObjList, 0,
			rec(rtExHyperlink, 0, rec(0x0FD3, 0, le32s(1)), rec(rtCString, 1, utf16le("https://u:PLANT-link@x.example/"))),
			rec(rtExOleEmbed, 0, rec(rtExOleObjAtom, 0, le32s(0, 0, 1, 0, 6, 0)), rec(rtCString, 2, utf16le("Package")))),
	)
	slide1 := rec(rtSlide, 0, slideAtom(4),
		rec(0x040C, 0, rec(0xF002, 0, textBox("Box PLANT-box1\rsecond line"), textBox("Title PLANT-title1"))),
		rec(rtComment10, 0, rec(rtCString, 0, utf16le("Reviewer")), rec(rtCString, 1, utf16le("Comment PLANT-comment1"))))
	slide2 := rec(rtSlide, 0, slideAtom(0), rec(0x040C, 0, rec(0xF002, 0, textBox("Box PLANT-box2"))))
	notes := rec(rtNotes, 0, rec(0x040C, 0, rec(0xF002, 0, textBox("Speaker PLANT-notes1"))))
	master := rec(rtMainMaster, 0, rec(0x040C, 0, rec(0xF002, 0, textBox("Footer PLANT-master"))))
	stg := rec(rtExOleObjStg, 1, le32s(uint32(len(embedded))), obj.Bytes())

	var s []byte
	var offsets []uint32
	for _, r := range [][]byte{doc, slide1, slide2, notes, master, stg} {
		offsets = append(offsets, uint32(len(s)))
		s = append(s, r...)
	}
	dirAt := uint32(len(s))
	s = append(s, rec(rtPersistDirectory, 0, le32s(1|uint32(len(offsets))<<20), le32s(offsets...))...)
	editAt := uint32(len(s))
	s = append(s, rec(rtUserEditAtom, 0, le32s(256), []byte{0, 0, 0, 3}, le32s(0, dirAt, 1, 7), []byte{1, 0, 0, 0})...)

	user := rec(rtCurrentUserAtom, 0, le32s(0x14, token, editAt), []byte{4, 0, 0xF4, 3, 3, 0, 0, 0}, []byte("user"), le32s(8))
	return compoundFile(map[string][]byte{"PowerPoint Document": s, "Current User": user})
}

func TestPptSlidesNotesMastersAndObjects(t *testing.T) {
	res := extracttest.Run(t, "deck.ppt", presentationFile(tokenPlain), extracttest.Options{}, New())
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	if len(res.Texts) != 2 {
		t.Fatalf("streams %+v, want the deck and its embedded object", res.Texts)
	}
	const want = "Title PLANT-title1\nBox PLANT-box1\nsecond line\nReviewer\nComment PLANT-comment1\nSpeaker PLANT-notes1\n" +
		"Bytes PLANT-bytes2\nBox PLANT-box2\nFooter PLANT-master\nhttps://u:PLANT-link@x.example/\n"
	if got := res.Texts[0].Text; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	for tok, where := range map[string]string{
		"PLANT-title1": "deck.ppt!slide:1", "PLANT-box1": "deck.ppt!slide:1", "PLANT-comment1": "deck.ppt!slide:1",
		"PLANT-notes1": "deck.ppt!slide:1", "PLANT-bytes2": "deck.ppt!slide:2", "PLANT-box2": "deck.ppt!slide:2",
		"PLANT-master": "deck.ppt", "PLANT-link": "deck.ppt", "PLANT-pptobject": "deck.ppt!embedded:object1",
	} {
		if got := res.Where(tok); !slices.Equal(got, []string{where}) {
			t.Errorf("%s at %v, want %s", tok, got, where)
		}
	}
}

func TestPptEncrypted(t *testing.T) {
	res := extracttest.Run(t, "locked.ppt", presentationFile(tokenEncrypted), extracttest.Options{}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonEncrypted {
		t.Fatalf("problems %+v, want one encrypted", res.Problems)
	}
	if len(res.Texts) != 0 {
		t.Errorf("text from an encrypted deck: %+v", res.Texts)
	}
}

func TestPptWithoutEditChainFallsBackToAllText(t *testing.T) {
	// A broken Current User stream: the text is still read, in stream
	// order, with no slide numbers.
	b := presentationFile(0x12345678)
	res := extracttest.Run(t, "old.ppt", b, extracttest.Options{}, New())
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	for _, tok := range []string{"PLANT-title1", "PLANT-box2", "PLANT-notes1", "PLANT-master"} {
		if got := res.Where(tok); !slices.Equal(got, []string{"old.ppt"}) {
			t.Errorf("%s at %v", tok, got)
		}
	}
}

func TestPptNotACompoundFile(t *testing.T) {
	data := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...)
	res := extracttest.Run(t, "bad.ppt", data, extracttest.Options{}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt {
		t.Fatalf("problems %+v, want one corrupt", res.Problems)
	}
}
