// Package icap owns leakguard's ICAP service (RFC 3507): the wire codec
// (request line, ICAP headers, Encapsulated sections, chunked bodies with
// their extensions such as "ieof", preview and "100 Continue") and a server
// that answers a web proxy's OPTIONS, REQMOD and RESPMOD with "204 No
// Content", an unchanged copy of the message, or an HTTP 403 page.
//
// The codec is our own: Go's net/http chunked reader drops chunk extensions,
// so it cannot tell the end of a preview from the end of a body. What to
// block is not decided here: the server hands each message to a Check
// function and turns its Verdict into ICAP.
//
// Uploads (REQMOD) are held until the verdict, so a blocked one never
// reaches the origin in part. Downloads (RESPMOD) longer than
// Limits.StreamAfter are streamed back while checked, because Squid stops
// sending a response body the ICAP server does not start answering; a late
// block then cuts the download short (see hold.go).
package icap
