package detect

import (
	"bytes"
	"context"
	"fmt"

	"github.com/leakguard/leakguard/internal/finding"
)

// Some files are credentials by their nature and are binary: Java keystores
// and PKCS#12 bundles hold private keys. Magic rules recognise them from
// their first bytes; the finding's value is that head, so its fingerprint
// recognises the same keystore wherever it is copied.

// recognisers maps a rule's magic name to its test of a file's head.
func recognisers() map[string]func(head []byte) bool {
	return map[string]func([]byte) bool{
		"jks":    func(h []byte) bool { return bytes.HasPrefix(h, []byte{0xFE, 0xED, 0xFE, 0xED, 0, 0, 0}) },
		"jceks":  func(h []byte) bool { return bytes.HasPrefix(h, []byte{0xCE, 0xCE, 0xCE, 0xCE, 0, 0, 0}) },
		"pkcs12": isPKCS12,
	}
}

// pkcs7Data and pkcs7Signed are the DER-encoded OIDs 1.2.840.113549.1.7.1
// and .7.2, the content types a PFX's authSafe may have (RFC 7292 §4).
var (
	pkcs7Data   = []byte{0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01}
	pkcs7Signed = []byte{0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02}
)

// isPKCS12 reads the start of a PFX PDU: SEQUENCE { INTEGER 3, SEQUENCE {
// OID pkcs7-data | pkcs7-signedData, … } … }, in DER or BER lengths.
func isPKCS12(h []byte) bool {
	rest, ok := derHeader(h, 0x30)
	if !ok || !bytes.HasPrefix(rest, []byte{0x02, 0x01, 0x03}) {
		return false
	}
	rest, ok = derHeader(rest[3:], 0x30)
	return ok && (bytes.HasPrefix(rest, pkcs7Data) || bytes.HasPrefix(rest, pkcs7Signed))
}

// derHeader checks the tag and skips a length (short, long up to 4 bytes, or
// BER indefinite), returning what follows.
func derHeader(b []byte, tag byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != tag {
		return nil, false
	}
	l := b[1]
	switch {
	case l < 0x80, l == 0x80:
		return b[2:], true
	case l <= 0x84 && len(b) >= 2+int(l&0x7F):
		return b[2+int(l&0x7F):], true
	}
	return nil, false
}

// ScanBinary runs the magic rules over the head of a binary item and emits
// a finding for each that recognises it.
func (e *Engine) ScanBinary(_ context.Context, in Input, head []byte, emit func(finding.Finding) error) (finding.Stats, error) {
	var st finding.Stats
	for _, c := range e.magicRules {
		if !c.appliesTo(in.pathOrLocation()) || !c.recognise(head) {
			continue
		}
		loc := in.Location
		loc.Line, loc.Column, loc.Offset, loc.EndOffset = 0, 0, 0, int64(len(head))
		f := finding.Finding{
			Rule: c.ID, Name: c.Name, Kind: c.Kind, Entity: c.Entity, Confidence: c.Confidence, Severity: c.Severity,
			Location: loc, Masked: fmt.Sprintf("<%s file>", c.Magic), Fingerprint: e.opts.hasher.Sum(head),
		}
		if c.Confidence < e.opts.minConf {
			finding.Count(&st.Suppressed, SuppressMinConf, 1)
			continue
		}
		st.Findings++
		if err := emit(f); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (in Input) pathOrLocation() string {
	if in.Path != "" {
		return in.Path
	}
	return in.Location.Path
}
