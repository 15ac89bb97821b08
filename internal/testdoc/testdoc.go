// Package testdoc writes small, valid office documents and PDFs from plain
// paragraphs, for tests and evaluations that need a text converted to
// another format (a leak pasted into Word, printed to PDF) and read back
// through the extractors. It writes only what the formats require, with
// the standard library (and x/text's Windows-1252 table for WinAnsi).
//
// Docx writes a WordprocessingML package with one <w:p> per paragraph. PDF
// writes a PDF 1.7 file of our own making: Helvetica (one of the standard
// 14 fonts, never embedded) in WinAnsiEncoding, lines wrapped to the page
// width by the font's character widths, as many US Letter pages as the
// text needs, and a cross-reference table with the objects' byte offsets.
// Builder, underneath PDF, writes any object graph, for tests that need
// more (annotations, attachments, broken references).
package testdoc
