package main

import "strings"

// Team documentation and notes in Markdown and plain text: runbooks,
// meeting notes, designs. Owners and attendees are named with their
// addresses; the on-call line has a phone number; tables are full of
// figures; code blocks hold commands, and in some runbooks somebody pasted
// a credential into one.

// notesLeakShare is the fraction of documents with a pasted credential.
const notesLeakShare = 0.10

func genNotes(d *doc, markdown bool, target int) {
	domain := pick(d.r, companyDomains)
	owner := randPerson(d.r)
	topic := pick(d.r, markdownTopics)
	title := strings.ToUpper(topic[:1]) + strings.ReplaceAll(topic[1:], "-", " ") + ": " + pick(d.r, projects) + " " + pick(d.r, services)
	if markdown {
		d.s("# " + title + "\n\n")
	} else {
		d.s(title + "\n" + strings.Repeat("=", len(title)) + "\n\n")
	}
	d.s("Owner: " + owner.first + " " + owner.last + " <")
	d.plant(kindEmail, email(d.r, owner, domain))
	d.s(">\nLast reviewed: ")
	d.date()
	d.s("\n\n")
	if topic == "meeting-notes" || topic == "retro" {
		d.s("Attendees:\n")
		for n := 2 + d.r.IntN(5); n > 0; n-- {
			p := randPerson(d.r)
			d.s("- " + p.first + " " + p.last + " (")
			d.plant(kindEmail, email(d.r, p, domain))
			d.s(")\n")
		}
		d.nl()
	}
	if topic == "runbook" || topic == "handover" {
		d.s("On-call phone: ")
		d.plant(kindPhone, phone(d.r))
		d.s("\n\n")
	}
	leak := chance(d.r, notesLeakShare)
	for section := 1; len(d.buf) < target; section++ {
		if markdown {
			d.s("## ")
		}
		d.int(section)
		d.s(". " + pick(d.r, proseWords) + " " + pick(d.r, proseWords) + "\n\n")
		d.paragraph()
		d.nl()
		switch d.r.IntN(4) {
		case 0:
			d.table(markdown)
		case 1:
			d.commands(markdown, leak)
			leak = false
		default:
			for n := 2 + d.r.IntN(4); n > 0; n-- {
				d.s("- ")
				d.sentence()
				d.buf = d.buf[:len(d.buf)-1]
				d.nl()
			}
			d.nl()
		}
	}
}

func (d *doc) table(markdown bool) {
	if markdown {
		d.s("| Item | Q1 | Q2 | Q3 | Q4 |\n|---|---:|---:|---:|---:|\n")
	}
	for n := 3 + d.r.IntN(8); n > 0; n-- {
		if markdown {
			d.s("| ")
		}
		d.s(pick(d.r, proseWords))
		for q := 0; q < 4; q++ {
			if markdown {
				d.s(" | ")
			} else {
				d.b('\t')
			}
			d.int(d.r.IntN(5000))
			d.b('.')
			d.pad(d.r.IntN(100), 2)
		}
		if markdown {
			d.s(" |")
		}
		d.nl()
	}
	d.nl()
}

// commands writes a shell block; with leak, one line carries a credential.
func (d *doc) commands(markdown, leak bool) {
	svc := pick(d.r, services)
	if markdown {
		d.s("```bash\n")
	}
	d.s("kubectl -n prod get pods -l app=" + svc + "\n")
	d.s("kubectl -n prod rollout restart deploy/" + svc + "\n")
	if leak {
		switch d.r.IntN(5) {
		case 0:
			d.s("export AWS_ACCESS_KEY_ID=")
			d.plant(kindAWSKeyID, awsKeyID(d.r))
			d.s("\nexport AWS_SECRET_ACCESS_KEY=")
			d.plant(kindAWSSecret, awsSecret(d.r))
			d.nl()
		case 1:
			d.s("export GITHUB_TOKEN=")
			d.plant(kindGitHub, githubToken(d.r))
			d.nl()
		case 2:
			d.s("psql \"postgres://" + svc + "_admin:")
			d.plant(kindPostgres, dbPassword(d.r))
			d.s("@" + svc + "-db.internal:5432/" + svc + "\"\n")
		case 3:
			d.s("cat > deploy.key <<'EOF'\n")
			d.plant(kindPrivateKey, privateKeyPEM(d.r))
			d.s("\nEOF\n")
		default:
			d.s("curl -X POST https://slack.com/api/chat.postMessage -H \"Authorization: Bearer ")
			d.plant(kindSlack, slackBotToken(d.r))
			d.s("\" -d channel=C0")
			d.s(randFrom(d.r, base32ch[:26], 8))
			d.nl()
		}
	}
	d.s("sha256sum release-")
	d.int(d.r.IntN(10))
	d.b('.')
	d.int(d.r.IntN(40))
	d.s(".tar.gz  # ")
	d.hex(64)
	d.nl()
	if markdown {
		d.s("```\n")
	}
	d.nl()
}
