package office

import (
	"fmt"
	"testing"
)

const nsP = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`

func slideXML(root, body string) string {
	return xmlHead + `<p:` + root + ` ` + nsP + `><p:cSld><p:spTree>` + body + `</p:spTree></p:cSld></p:` + root + `>`
}

func shape(paras ...string) string {
	s := `<p:sp><p:txBody><a:bodyPr/>`
	for _, p := range paras {
		s += `<a:p><a:r><a:rPr lang="en-US"/><a:t>` + p + `</a:t></a:r></a:p>`
	}
	return s + `</p:txBody></p:sp>`
}

func deckPptx(t testing.TB) []byte {
	// slide files are numbered against presentation order: the list decides
	pres := xmlHead + `<p:presentation ` + nsP + `><p:sldIdLst><p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/></p:sldIdLst></p:presentation>`
	table := `<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody><a:p><a:r><a:t>user</a:t></a:r></a:p></a:txBody></a:tc>` +
		`<a:tc><a:txBody><a:p><a:r><a:t>PLANT-tablecell</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>`
	parts := []part{
		{"[Content_Types].xml", contentTypes("/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml")},
		{"_rels/.rels", relsXML("rId1 officeDocument ppt/presentation.xml")},
		{"ppt/presentation.xml", pres},
		{"ppt/_rels/presentation.xml.rels", relsXML("rId2 slide slides/slide1.xml", "rId3 slide slides/slide2.xml")},
		{"ppt/slides/slide2.xml", slideXML("sld", shape("Title one", "PLANT-first")+table)},
		{"ppt/slides/slide1.xml", slideXML("sld", shape("line &lt;with&gt; &amp; entities", "PLANT-second")+
			`<p:sp><p:txBody><a:p><a:r><a:t>a</a:t></a:r><a:br/><a:r><a:t>PLANT-afterbreak</a:t></a:r></a:p></p:txBody></p:sp>`)},
		{"ppt/slides/_rels/slide1.xml.rels", relsXML("rId1 notesSlide ../notesSlides/notesSlide1.xml", "rId2 comments ../comments/comment1.xml",
			"rId3 diagramData ../diagrams/data1.xml", "rId4 oleObject ../embeddings/oleObject1.bin")},
		{"ppt/notesSlides/notesSlide1.xml", slideXML("notes", shape("PLANT-notes"))},
		{"ppt/comments/comment1.xml", xmlHead + `<p:cmLst ` + nsP + `><p:cm authorId="0"><p:pos x="1" y="1"/><p:text>PLANT-comment</p:text></p:cm></p:cmLst>`},
		{"ppt/diagrams/data1.xml", xmlHead + `<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst><dgm:pt><dgm:t><a:p><a:r><a:t>PLANT-smartart</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>`},
		{"ppt/embeddings/oleObject1.bin", "PLANT-oleblob is just bytes here"},
	}
	return zipOf(t, parts...)
}

func TestPptx(t *testing.T) {
	r := run(t, "deck.pptx", deckPptx(t))
	wantAt(t, r, map[string][]string{
		"PLANT-first":      {"deck.pptx!slide:1"},
		"PLANT-tablecell":  {"deck.pptx!slide:1"},
		"PLANT-second":     {"deck.pptx!slide:2"},
		"PLANT-afterbreak": {"deck.pptx!slide:2"},
		"PLANT-smartart":   {"deck.pptx!slide:2"},
		"PLANT-notes":      {"deck.pptx!slide:2!notes"},
		"PLANT-comment":    {"deck.pptx!slide:2!comments"},
		"PLANT-oleblob":    {"deck.pptx!embedded:oleObject1.bin"},
	})
	if got, want := textAt(r, "deck.pptx!slide:1"), "Title one\nPLANT-first\nuser\tPLANT-tablecell\n"; got != want {
		t.Errorf("slide 1 %q, want %q", got, want)
	}
	if got, want := textAt(r, "deck.pptx!slide:2"), "line <with> & entities\nPLANT-second\na\nPLANT-afterbreak\nPLANT-smartart\n"; got != want {
		t.Errorf("slide 2 %q, want %q", got, want)
	}
}

func TestVsdx(t *testing.T) {
	page := func(text string) string {
		return xmlHead + `<PageContents xmlns="http://schemas.microsoft.com/office/visio/2012/main"><Shapes><Shape ID="1">` +
			`<Section N="Property"><Row N="Row_1"><Cell N="Value" V="PLANT-shapedata"/><Cell N="Label" V="Owner"/></Row></Section>` +
			`<Text><cp IX="0"/>` + text + ` <fld IX="0">PLANT-field</fld></Text></Shape></Shapes></PageContents>`
	}
	data := zipOf(t,
		part{"[Content_Types].xml", contentTypes("/visio/document.xml", "application/vnd.ms-visio.drawing.main+xml")},
		part{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.com/visio/2010/relationships/document" Target="visio/document.xml"/></Relationships>`},
		part{"visio/document.xml", xmlHead + `<VisioDocument xmlns="http://schemas.microsoft.com/office/visio/2012/main"/>`},
		part{"visio/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.com/visio/2010/relationships/pages" Target="pages/pages.xml"/></Relationships>`},
		part{"visio/pages/pages.xml", xmlHead + `<Pages xmlns="http://schemas.microsoft.com/office/visio/2012/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<Page ID="0" Name="A"><Rel r:id="rId2"/></Page><Page ID="1" Name="B"><Rel r:id="rId1"/></Page></Pages>`},
		part{"visio/pages/_rels/pages.xml.rels", fmt.Sprintf(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s%s</Relationships>`,
			`<Relationship Id="rId1" Type="http://schemas.microsoft.com/visio/2010/relationships/page" Target="page1.xml"/>`,
			`<Relationship Id="rId2" Type="http://schemas.microsoft.com/visio/2010/relationships/page" Target="page2.xml"/>`)},
		part{"visio/pages/page1.xml", page("PLANT-pageB")},
		part{"visio/pages/page2.xml", page("PLANT-pageA")},
	)
	r := run(t, "net.vsdx", data)
	wantAt(t, r, map[string][]string{
		"PLANT-pageA":     {"net.vsdx!page:1"},
		"PLANT-pageB":     {"net.vsdx!page:2"},
		"PLANT-shapedata": {"net.vsdx!page:1", "net.vsdx!page:2"},
	})
	if got, want := textAt(r, "net.vsdx!page:1"), "PLANT-shapedata\tOwner\nPLANT-pageA PLANT-field\n"; got != want {
		t.Errorf("page 1 %q, want %q", got, want)
	}
}
