package archive

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/ulikunitz/xz/lzma"
)

// lzip framing (lzip manual, "File format"): each member is a 6-byte
// header ("LZIP", version 1, coded dictionary size), an LZMA stream with
// fixed properties and an end marker, and a 20-byte trailer (CRC32 of the
// data, data size, member size). The reader here streams members one
// after another; lzip-go, the package archives uses, reads a whole file
// into memory first.
const (
	lzipHeaderLen  = 6
	lzipTrailerLen = 20
	lzipMinDict    = 1 << 12
)

var lzipMagic = []byte("LZIP")

type lzipReader struct {
	br      *bufio.Reader
	dec     *lzma.Reader // the current member's decoder, nil between members
	src     *lzmaSource
	crc     uint32
	size    uint64
	members int
	err     error
	// broken is the decoder's error while what it decoded before the
	// error is still handed over; drained counts those bytes.
	broken  error
	drained int64
}

func newLzip(r io.Reader) io.Reader { return &lzipReader{br: bufio.NewReader(r)} }

func (z *lzipReader) Read(p []byte) (int, error) {
	if z.err != nil {
		return 0, z.err
	}
	if z.broken != nil {
		return z.drain(p)
	}
	for {
		if z.dec == nil {
			if err := z.startMember(); err != nil {
				z.err = err
				return 0, err
			}
		}
		n, err := z.dec.Read(p)
		z.crc = crc32.Update(z.crc, crc32.IEEETable, p[:n])
		z.size += uint64(n)
		switch {
		case err == io.EOF:
			if err := z.endMember(); err != nil {
				z.err = err
				return n, err
			}
			if n > 0 {
				return n, nil
			}
		case err != nil:
			z.broken = fmt.Errorf("lzip: member %d: %w", z.members, err)
			if n > 0 {
				return n, nil
			}
			return z.drain(p)
		default:
			return n, nil
		}
	}
}

// drain hands over what the decoder produced before it failed: the LZMA
// decoder keeps it in its window and returns it on the next reads, so a
// truncated member still yields its readable part. It stops at the window
// size in case a broken decoder keeps producing.
func (z *lzipReader) drain(p []byte) (int, error) {
	if z.drained < maxDict {
		n, _ := z.dec.Read(p)
		z.drained += int64(n)
		if n > 0 {
			return n, nil
		}
	}
	z.err = z.broken
	return 0, z.err
}

// startMember reads a member header and sets up its decoder; at the end of
// the members (anything that is not another header) it returns io.EOF.
func (z *lzipReader) startMember() error {
	h, err := z.br.Peek(lzipHeaderLen)
	if len(h) < len(lzipMagic) || !bytes.Equal(h[:len(lzipMagic)], lzipMagic) {
		if z.members > 0 {
			return io.EOF // trailing data after the last member
		}
		if err == nil {
			err = errors.New("lzip: not an lzip file")
		}
		return err
	}
	if len(h) < lzipHeaderLen {
		return fmt.Errorf("lzip: truncated header: %w", io.ErrUnexpectedEOF)
	}
	if h[4] != 1 {
		return unsupported(fmt.Errorf("lzip: version %d", h[4]))
	}
	dict := uint32(1) << (h[5] & 0x1f)
	dict -= dict / 16 * uint32(h[5]>>5&7)
	switch {
	case dict > maxDict:
		return limitError("lzip member needs a %d-byte dictionary, more than %d: not opened", dict, maxDict)
	case dict < lzipMinDict:
		return fmt.Errorf("lzip: invalid dictionary size %d", dict)
	}
	z.br.Discard(lzipHeaderLen)
	var lh [lzma.HeaderLen]byte
	lh[0] = lzma.Properties{LC: 3, LP: 0, PB: 2}.Code()
	binary.LittleEndian.PutUint32(lh[1:], dict)
	binary.LittleEndian.PutUint64(lh[5:], ^uint64(0)) // size unknown: the end marker ends it
	z.src = &lzmaSource{prefix: lh[:], br: z.br}
	dec, err := lzma.NewReader(z.src)
	if err != nil {
		return fmt.Errorf("lzip: %w", err)
	}
	z.dec, z.crc, z.size = dec, 0, 0
	z.members++
	return nil
}

// endMember checks a member's trailer against what was decoded.
func (z *lzipReader) endMember() error {
	var t [lzipTrailerLen]byte
	if _, err := io.ReadFull(z.br, t[:]); err != nil {
		return fmt.Errorf("lzip: member %d: trailer: %w", z.members, io.ErrUnexpectedEOF)
	}
	member := uint64(lzipHeaderLen) + uint64(z.src.n) + lzipTrailerLen
	switch {
	case binary.LittleEndian.Uint32(t[0:]) != z.crc:
		return fmt.Errorf("lzip: member %d: CRC mismatch", z.members)
	case binary.LittleEndian.Uint64(t[4:]) != z.size:
		return fmt.Errorf("lzip: member %d: data size mismatch", z.members)
	case binary.LittleEndian.Uint64(t[12:]) != member:
		return fmt.Errorf("lzip: member %d: member size mismatch", z.members)
	}
	z.dec = nil
	return nil
}

// lzmaSource feeds the LZMA decoder a synthetic classic header followed by
// the member's stream. It is an io.ByteReader, so the decoder takes bytes
// one at a time and never reads past the end marker into the trailer.
type lzmaSource struct {
	prefix []byte
	br     *bufio.Reader
	n      int64 // bytes of the stream (not the prefix) consumed
}

func (s *lzmaSource) Read(p []byte) (int, error) {
	if len(s.prefix) > 0 {
		n := copy(p, s.prefix)
		s.prefix = s.prefix[n:]
		return n, nil
	}
	n, err := s.br.Read(p)
	s.n += int64(n)
	return n, err
}

func (s *lzmaSource) ReadByte() (byte, error) {
	if len(s.prefix) > 0 {
		c := s.prefix[0]
		s.prefix = s.prefix[1:]
		return c, nil
	}
	c, err := s.br.ReadByte()
	if err == nil {
		s.n++
	}
	return c, err
}
