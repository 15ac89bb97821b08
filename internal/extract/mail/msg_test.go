package mail

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

func TestMsgTika(t *testing.T) {
	cases := []struct {
		file     string
		texts    map[string][]string // where → lines its text must hold
		binaries []string
	}{
		{"testMSG.msg", map[string][]string{"testMSG.msg": {
			"Subject: MIME registry use cases", "From: Jukka Zitting <jukka.zitting@gmail.com>",
			"To: tika-dev@lucene.apache.org", "As discussed, I've been working on making the type detection code more",
		}}, nil},
		{"testMSG_att_msg.msg", map[string][]string{
			"testMSG_att_msg.msg":                                {"Subject: test email", "Test email with 1 msg attachment, 1 pdf"},
			"testMSG_att_msg.msg!attachment:Test Attachment.eml": {"Subject: Test Attachment", "Blah blah blah"},
		}, []string{"testMSG_att_msg.msg!attachment:smbprn.00009008.KdcPjl.pdf"}},
		{"testMSG_att_doc.msg", map[string][]string{
			"testMSG_att_doc.msg":                    {"Subject: test pièce jointe 1", "To: 'nicolas1.23456@free.fr' <nicolas1.23456@free.fr>"},
			"testMSG_att_doc.msg!attachment:pj1.txt": {"euro : € (20AC)"},
		}, []string{"testMSG_att_doc.msg!attachment:test-unicode.doc"}},
		{"testMSG_Contact.msg", map[string][]string{"testMSG_Contact.msg": {
			"Display name: Dr Quick Brown Fox Jr", "Business phone: (123) 456-7890", "Mobile phone: (456) 789-0123",
		}}, nil},
		{"testMSG_chinese.msg", map[string][]string{"testMSG_chinese.msg": {
			"Subject: Alfresco MSG format testing ( MSG 格式測試 )", "Alfresco MSG format testing ( MSG 格式測試 ) 中文測試",
		}}, nil},
		{"test-outlook.msg", map[string][]string{"test-outlook.msg": {
			"From: L'Équipe Microsoft Outlook Express <msoe@microsoft.com>", "La réponse à vos attentes en matière de messagerie",
		}}, nil},
		{"testMSG_Task.msg", map[string][]string{"testMSG_Task.msg": {"Subject: Must jump over the lazy dog", "Quick brown fox must do what he must"}}, nil},
		{"testMSG_forwarded.msg", map[string][]string{"testMSG_forwarded.msg": {"Subject: FW: Testing", "Forwarded Body"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res := extracttest.Run(t, c.file, tikaFile(t, c.file), extracttest.Options{}, New())
			if len(res.Problems) != 0 {
				t.Errorf("problems: %+v", res.Problems)
			}
			for where, want := range c.texts {
				text := textAt(res, where)
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("%s lacks %q:\n%.1500s", where, w, text)
					}
				}
			}
			for _, b := range c.binaries {
				if !containsString(res.Binaries, b) {
					t.Errorf("no child %s in %q", b, res.Binaries)
				}
			}
		})
	}
	res := extracttest.Run(t, "test-outlook2003.msg", tikaFile(t, "test-outlook2003.msg"), extracttest.Options{}, New())
	if len(res.Binaries) != 11 {
		t.Errorf("test-outlook2003.msg: %d attachments, want 11 images: %q", len(res.Binaries), res.Binaries)
	}
}

func TestMsgNotAMessage(t *testing.T) {
	// A compound file that is no message (a Word document named .msg) is
	// an item error, not a crash.
	res := extracttest.Run(t, "word.msg", tikaFile(t, "testWORD.doc"), extracttest.Options{}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonUnsupported {
		t.Errorf("want one unsupported problem, got %+v", res.Problems)
	}
	res = extracttest.Run(t, "cut.msg", tikaFile(t, "testMSG.msg")[:3000], extracttest.Options{}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt {
		t.Errorf("want one corrupt problem for a truncated file, got %+v", res.Problems)
	}
}

// rtfBody returns the compressed RTF body of a tika .msg file.
func rtfBody(t testing.TB, file string) []byte {
	m, err := openMsg(bytes.NewReader(tikaFile(t, file)))
	if err != nil {
		t.Fatal(err)
	}
	f := m.open("", 32).stream(0x1009, ptBinary)
	if f == nil {
		t.Fatalf("%s has no compressed RTF body", file)
	}
	b, err := io.ReadAll(section(f))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecompressRTF(t *testing.T) {
	for _, file := range []string{"testMSG.msg", "testMSG_att_msg.msg", "test-outlook.msg"} {
		comp := rtfBody(t, file)
		rtf, err := decompressRTF(bytes.NewReader(comp))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		raw := binary.LittleEndian.Uint32(comp[4:])
		if !bytes.HasPrefix(rtf, []byte(`{\rtf1`)) || uint32(len(rtf)) < raw || uint32(len(rtf)) > raw+8 {
			t.Errorf("%s: %d bytes (header says %d): %.80q", file, len(rtf), raw, rtf)
		}
		if !bytes.HasSuffix(bytes.TrimRight(rtf, "\x00\r\n"), []byte("}")) {
			t.Errorf("%s: RTF does not end with a brace: %q", file, rtf[max(0, len(rtf)-40):])
		}
	}
	stored := append([]byte{0, 0, 0, 0, 11, 0, 0, 0, 'M', 'E', 'L', 'A', 0, 0, 0, 0}, `{\rtf1 hi}`...)
	if rtf, err := decompressRTF(bytes.NewReader(stored)); err != nil || string(rtf) != `{\rtf1 hi}` {
		t.Errorf("stored RTF = %q, %v", rtf, err)
	}
	comp := rtfBody(t, "testMSG.msg")
	for _, cut := range []int{0, 10, 17, len(comp) / 2} {
		decompressRTF(bytes.NewReader(comp[:cut])) // must not panic
	}
}
