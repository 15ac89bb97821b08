package edm

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakguard/leakguard/internal/keyed"
)

// CSVOptions control how RegisterCSV reads a table.
type CSVOptions struct {
	// Comma is the field delimiter; 0 sniffs it from the header line
	// among ',', ';', tab and '|'.
	Comma rune
	// Kinds overrides the guessed kind of columns, by header name
	// (case-insensitive).
	Kinds map[string]Kind
	// Primary names the primary columns; empty keeps the guess (the ssn,
	// id and email columns).
	Primary []string
	// DateOrder, when set, is used for every date column instead of the
	// order guessed from the sample.
	DateOrder DateOrder
	// SampleRows is how many rows are read before the columns are guessed
	// (default 1000).
	SampleRows int
}

// RegisterCSV registers a CSV or TSV table with a header line into dir. It
// returns the registration's statistics and the columns it used.
func RegisterCSV(dir string, h *keyed.Hasher, name string, r io.Reader, opt CSVOptions) (Stats, []Column, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csvReader(br, opt.Comma)
	header, err := cr.Read()
	if err != nil {
		return Stats{}, nil, fmt.Errorf("edm: reading the header: %w", err)
	}
	if opt.SampleRows <= 0 {
		opt.SampleRows = 1000
	}
	var sample [][]string
	for len(sample) < opt.SampleRows {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Stats{}, nil, fmt.Errorf("edm: %w", err)
		}
		sample = append(sample, rec)
	}
	cols, err := PlanColumns(header, sample, opt)
	if err != nil {
		return Stats{}, nil, err
	}
	b, err := NewBuilder(dir, h, name, cols)
	if err != nil {
		return Stats{}, nil, err
	}
	for _, rec := range sample {
		if err := b.Add(rec); err != nil {
			b.Abort()
			return Stats{}, nil, err
		}
	}
	sample = nil
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err == nil {
			err = b.Add(rec)
		}
		if err != nil {
			b.Abort()
			return Stats{}, nil, fmt.Errorf("edm: %w", err)
		}
	}
	st, err := b.Finish()
	return st, cols, err
}

// csvReader reads a table leniently: ragged rows and stray quotes are
// taken as they come. comma 0 sniffs the delimiter.
func csvReader(br *bufio.Reader, comma rune) *csv.Reader {
	if comma == 0 {
		comma = sniffComma(br)
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	return cr
}

// PlanColumns guesses the columns of a table from its header and sample
// rows and applies the overrides of opt (kinds, primary columns, date
// order). RegisterCSV uses it; a caller reading another format (a
// spreadsheet) uses it before NewBuilder to get the same columns.
func PlanColumns(header []string, sample [][]string, opt CSVOptions) ([]Column, error) {
	cols := GuessColumns(header, sample)
	find := func(name string) (int, error) {
		for j, c := range cols {
			if strings.EqualFold(strings.TrimSpace(c.Name), strings.TrimSpace(name)) {
				return j, nil
			}
		}
		return 0, fmt.Errorf("edm: no column %q in the header (%s)", name, strings.Join(header, ", "))
	}
	for name, k := range opt.Kinds {
		j, err := find(name)
		if err != nil {
			return nil, err
		}
		if cols[j].Kind, err = ParseKind(string(k)); err != nil {
			return nil, err
		}
		if cols[j].Kind == KindDate && cols[j].DateOrder == "" {
			cols[j].DateOrder = MDY
		}
	}
	if len(opt.Primary) > 0 {
		for j := range cols {
			cols[j].Primary = false
		}
		for _, name := range opt.Primary {
			j, err := find(name)
			if err != nil {
				return nil, err
			}
			cols[j].Primary = true
		}
	}
	for j := range cols {
		if cols[j].Kind == KindDate && opt.DateOrder != "" {
			cols[j].DateOrder = opt.DateOrder
		}
		if cols[j].Kind == KindSkip {
			cols[j].Primary = false
		}
	}
	for _, c := range cols {
		if c.Primary {
			return cols, nil
		}
	}
	return nil, errors.New("edm: no primary column: name one (an SSN, e-mail or account number column)")
}

// sniffComma picks the delimiter that occurs most often, outside quotes,
// in the header line.
func sniffComma(br *bufio.Reader) rune {
	line, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	best, bestN := ',', 0
	for _, c := range []rune{',', '\t', ';', '|'} {
		n, quoted := 0, false
		for _, b := range line {
			if b == '"' {
				quoted = !quoted
			} else if !quoted && rune(b) == c {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best
}
