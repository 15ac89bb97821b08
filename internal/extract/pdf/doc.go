// Package pdf extracts the text of PDF documents, page by page in reading
// order, with their annotations, form field values and embedded files.
//
// It runs PDFium compiled to WebAssembly (github.com/klippa-app/go-pdfium
// on the wazero runtime): pure Go, no cgo, and PDFium's C++ runs in a
// sandbox whose memory is capped, with no file system, and which can be
// killed when a document makes it hang. Compiling the module takes seconds,
// so an Extractor starts its pool on first use and caches the compiled code
// on disk for the next process.
package pdf
