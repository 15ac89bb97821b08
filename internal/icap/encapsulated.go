package icap

import (
	"strconv"
	"strings"
)

// Names of the Encapsulated header's entities (RFC 3507 section 4.4.1).
const (
	entReqHdr   = "req-hdr"
	entResHdr   = "res-hdr"
	entReqBody  = "req-body"
	entResBody  = "res-body"
	entOptBody  = "opt-body"
	entNullBody = "null-body"
)

// entity is one "name=offset" of the Encapsulated header.
type entity struct {
	name   string
	offset int
}

// maxOffset bounds an offset before the header budget is applied; it only
// keeps strconv from parsing absurd numbers.
const maxOffset = 1 << 30

// parseEncapsulated parses "req-hdr=0, res-hdr=137, res-body=296" and checks
// the shape every method shares: known names, each at most once, header
// sections first and starting at 0, offsets that never go back, exactly one
// body entity and it last.
func parseEncapsulated(v string) ([]entity, error) {
	var ents []entity
	seen := map[string]bool{}
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		name, num, ok := strings.Cut(part, "=")
		if !ok {
			return nil, badRequest("malformed Encapsulated header")
		}
		name = strings.ToLower(strings.TrimSpace(name))
		switch name {
		case entReqHdr, entResHdr, entReqBody, entResBody, entOptBody, entNullBody:
		default:
			return nil, badRequest("unknown entity in Encapsulated header")
		}
		if seen[name] {
			return nil, badRequest("repeated entity in Encapsulated header")
		}
		seen[name] = true
		off, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil || off < 0 || off > maxOffset {
			return nil, badRequest("bad offset in Encapsulated header")
		}
		ents = append(ents, entity{name: name, offset: off})
	}
	if len(ents) == 0 {
		return nil, badRequest("empty Encapsulated header")
	}
	for i, e := range ents {
		last := i == len(ents)-1
		if isBody(e.name) != last {
			return nil, badRequest("Encapsulated header must end with exactly one body entity")
		}
		if i == 0 && e.offset != 0 {
			return nil, badRequest("first encapsulated entity must be at offset 0")
		}
		if i > 0 && e.offset <= ents[i-1].offset {
			return nil, badRequest("Encapsulated offsets must increase")
		}
	}
	if seen[entReqHdr] && seen[entResHdr] && ents[0].name != entReqHdr {
		return nil, badRequest("req-hdr must come before res-hdr")
	}
	return ents, nil
}

func isBody(name string) bool {
	switch name {
	case entReqBody, entResBody, entOptBody, entNullBody:
		return true
	}
	return false
}

// allowedEntities says which entities a method may carry (RFC 3507 4.4.1):
// a REQMOD carries an HTTP request, a RESPMOD an HTTP response (and maybe the
// request that caused it), an OPTIONS nothing but an optional opt-body.
func allowedEntities(method string) map[string]bool {
	switch method {
	case methodREQMOD:
		return map[string]bool{entReqHdr: true, entReqBody: true, entNullBody: true}
	case methodRESPMOD:
		return map[string]bool{entReqHdr: true, entResHdr: true, entResBody: true, entNullBody: true}
	}
	return map[string]bool{entOptBody: true, entNullBody: true}
}
