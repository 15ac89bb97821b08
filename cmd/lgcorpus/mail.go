package main

import "time"

// Mail as a mail store exports it, one message per .eml file: RFC 5322
// headers with the people's addresses, a plain-text body of office prose,
// a signature with a phone number, sometimes a quoted reply, and now and
// then the things people should not mail: an SSN, new bank details, a card
// number, a temporary password, a pasted key.

// mailLeakShare is the fraction of messages carrying one sensitive value in
// the body besides the addresses and the signature's phone number.
const mailLeakShare = 0.12

func genMail(d *doc, target int) {
	domain := pick(d.r, companyDomains)
	from := randPerson(d.r)
	to := randPerson(d.r)
	when := time.Date(2019+d.r.IntN(6), time.Month(1+d.r.IntN(12)), 1+d.r.IntN(28),
		7+d.r.IntN(12), d.r.IntN(60), d.r.IntN(60), 0, time.UTC)

	d.s("Return-Path: <bounces+")
	d.hex(8)
	d.s("@mail." + domain + ">\nReceived: from mx")
	d.int(1 + d.r.IntN(4))
	d.s(".mail." + domain + " by mailstore01 with ESMTPS id ")
	d.hex(12)
	d.s(";\n\t" + when.Format(time.RFC1123Z) + "\nMessage-ID: <")
	d.hex(16)
	d.b('.')
	d.hex(8)
	d.s("@mail." + domain + ">\nDate: " + when.Format(time.RFC1123Z) + "\nFrom: \"" + from.first + " " + from.last + "\" <")
	d.plant(kindEmail, email(d.r, from, domain))
	d.s(">\nTo: \"" + to.first + " " + to.last + "\" <")
	d.plant(kindEmail, email(d.r, to, domain))
	d.s(">\n")
	if chance(d.r, 0.4) {
		cc := randPerson(d.r)
		d.s("Cc: " + cc.first + " " + cc.last + " <")
		d.plant(kindEmail, email(d.r, cc, domain))
		d.s(">\n")
	}
	d.s("Subject: " + pick(d.r, subjects) + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n\n")

	d.s("Hi " + to.first + ",\n\n")
	leak := chance(d.r, mailLeakShare)
	for len(d.buf) < target*3/4 {
		d.paragraph()
		d.nl()
		if leak {
			d.mailLeak()
			leak = false
		}
	}
	d.s("Best regards,\n" + from.first + " " + from.last + "\n" + pick(d.r, titles) + ", " + pick(d.r, departments) + "\nTel: ")
	d.plant(kindPhone, phone(d.r))
	d.s("\n\n")
	if chance(d.r, 0.5) {
		d.s("On " + when.Add(-time.Duration(d.r.IntN(72))*time.Hour).Format("Mon, Jan 2, 2006 at 15:04") + ", " + to.first + " " + to.last + " wrote:\n")
		for len(d.buf) < target {
			d.s("> ")
			d.sentence()
			d.nl()
		}
	}
}

// mailLeak writes one paragraph holding a sensitive value.
func (d *doc) mailLeak() {
	switch d.r.IntN(7) {
	case 0:
		d.s("For the benefits form, my SSN is ")
		d.plant(kindSSN, ssn(d.r, "-"))
		d.s(".\n\n")
	case 1:
		d.s("Please update my bank details for payroll, the new IBAN is ")
		d.plant(kindIBAN, iban(d.r, true))
		d.s(" (same bank).\n\n")
	case 2:
		d.s("You can book it on the corporate card, number ")
		d.plant(kindCard, cardNumber(d.r))
		d.s(", expiry 0")
		d.int(1 + d.r.IntN(9))
		d.s("/2")
		d.int(6 + d.r.IntN(4))
		d.s(".\n\n")
	case 3:
		d.s("Your account has been created. Temporary password: ")
		d.plant(kindPassword, humanPassword(d.r))
		d.s("\nPlease change it at first login.\n\n")
	case 4:
		d.s("Here are the keys for the upload job:\n\naws_access_key_id = ")
		d.plant(kindAWSKeyID, awsKeyID(d.r))
		d.s("\naws_secret_access_key = ")
		d.plant(kindAWSSecret, awsSecret(d.r))
		d.s("\n\n")
	case 5:
		u := pick(d.r, services)
		d.s("The reporting replica is at postgres://" + u + "_ro:")
		d.plant(kindPostgres, dbPassword(d.r))
		d.s("@" + u + "-replica.internal:5432/" + u + " if you need it.\n\n")
	default:
		d.s("I used this token for the CI job, please rotate it when you can: ")
		d.plant(kindGitHub, githubToken(d.r))
		d.s("\n\n")
	}
}
