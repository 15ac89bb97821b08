package main

// Prose and the everyday numbers in it: amounts, dates, ticket and order
// numbers, versions, percentages. None of them is personal data, and a
// scanner that reports them is reporting noise.

func (d *doc) sentence() {
	n := 6 + d.r.IntN(14)
	w := pick(d.r, proseWords)
	d.b(w[0] &^ 0x20) // capitalise; the list is ASCII
	d.s(w[1:])
	for i := 1; i < n; i++ {
		d.b(' ')
		if d.r.IntN(9) == 0 {
			d.number()
			continue
		}
		d.s(pick(d.r, proseWords))
	}
	d.s(". ")
}

func (d *doc) paragraph() {
	n := 2 + d.r.IntN(5)
	for i := 0; i < n; i++ {
		d.sentence()
	}
	d.buf = d.buf[:len(d.buf)-1] // the trailing space
	d.nl()
}

// number writes one of the non-sensitive numbers of office text.
func (d *doc) number() {
	r := d.r
	switch r.IntN(11) {
	case 0:
		d.s("$")
		d.int(1 + r.IntN(999))
		d.b(',')
		d.pad(r.IntN(1000), 3)
		d.s(".00")
	case 1:
		d.int(r.IntN(100))
		d.b('%')
	case 2:
		d.date()
	case 3:
		d.s(pick(d.r, []string{"OPS-", "FIN-", "HR-", "SEC-", "ENG-"}))
		d.int(100 + r.IntN(9900))
	case 4:
		d.s("PO-")
		d.int(2019 + r.IntN(7))
		d.b('-')
		d.pad(r.IntN(100000), 5)
	case 5:
		d.s("v")
		d.int(r.IntN(5))
		d.b('.')
		d.int(r.IntN(30))
		d.b('.')
		d.int(r.IntN(20))
	case 6:
		d.s("Q")
		d.int(1 + r.IntN(4))
	case 7:
		d.s("room ")
		d.int(1 + r.IntN(9))
		d.b('.')
		d.pad(r.IntN(40), 2)
	case 8:
		d.int(1 + r.IntN(500))
		d.s(" units")
	case 9:
		d.s("order #")
		d.int(100000 + r.IntN(900000))
	default:
		d.int(10 + r.IntN(90))
		d.s(" minutes")
	}
}

// date writes an ISO date in 2019–2025.
func (d *doc) date() {
	d.int(2019 + d.r.IntN(7))
	d.b('-')
	d.pad(1+d.r.IntN(12), 2)
	d.b('-')
	d.pad(1+d.r.IntN(28), 2)
}
