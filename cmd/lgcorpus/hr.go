package main

// HR and finance CSV exports: the employee directory (e-mail, phone),
// payroll (SSN for US staff, IBAN for European staff), corporate card
// transactions (full card numbers), and the far larger number of exports
// with no personal data at all: headcount, training, timesheets, assets.

// hrKinds are the export types, in the order they are generated in; directory,
// payroll and cards hold planted values.
var hrKinds = []string{"directory", "payroll-us", "cards", "headcount", "payroll-eu", "training",
	"timesheets", "assets", "timesheets"}

func genHR(d *doc, kind string, target int) {
	domain := pick(d.r, companyDomains)
	switch kind {
	case "directory":
		d.s("employee_id,first_name,last_name,email,work_phone,department,title,office,manager_id,start_date\n")
		for len(d.buf) < target {
			p := randPerson(d.r)
			d.int(10000 + d.r.IntN(90000))
			d.b(',')
			d.s(p.first)
			d.b(',')
			d.s(p.last)
			d.b(',')
			d.plant(kindEmail, email(d.r, p, domain))
			d.b(',')
			d.plant(kindPhone, phone(d.r))
			d.b(',')
			d.s(pick(d.r, departments))
			d.b(',')
			d.s(pick(d.r, titles))
			d.b(',')
			d.s(pick(d.r, offices))
			d.b(',')
			d.int(10000 + d.r.IntN(90000))
			d.b(',')
			d.date()
			d.nl()
		}
	case "payroll-us", "payroll-eu": // US staff have an SSN, European staff an IBAN
		us := kind == "payroll-us"
		if us {
			d.s("employee_id,last_name,first_name,ssn,pay_period,gross_pay,federal_tax,state,cost_center,deposit_last4\n")
		} else {
			d.s("employee_id,last_name,first_name,iban,pay_period,gross_pay,tax_withheld,currency,cost_center\n")
		}
		for len(d.buf) < target {
			p := randPerson(d.r)
			d.int(10000 + d.r.IntN(90000))
			d.b(',')
			d.s(p.last)
			d.b(',')
			d.s(p.first)
			d.b(',')
			if us {
				d.plant(kindSSN, ssn(d.r, "-"))
			} else {
				d.plant(kindIBAN, iban(d.r, false))
			}
			d.b(',')
			d.date()
			d.b(',')
			d.money(2500, 19000)
			d.b(',')
			d.money(300, 5000)
			d.b(',')
			if us {
				d.s(pick(d.r, []string{"NY", "CA", "TX", "WA", "IL", "MA"}))
				d.s(",CC-")
				d.int(1000 + d.r.IntN(9000))
				d.b(',')
				d.pad(d.r.IntN(10000), 4)
			} else {
				d.s(pick(d.r, currencies[1:3]))
				d.s(",CC-")
				d.int(1000 + d.r.IntN(9000))
			}
			d.nl()
		}
	case "cards":
		d.s("txn_id,posted,employee_id,cardholder,card_number,merchant,category,amount,currency,approved_by\n")
		for len(d.buf) < target {
			p := randPerson(d.r)
			d.s("T")
			d.int(100000000 + d.r.IntN(900000000))
			d.b(',')
			d.date()
			d.b(',')
			d.int(10000 + d.r.IntN(90000))
			d.b(',')
			d.s(p.first + " " + p.last)
			d.b(',')
			d.plant(kindCard, cardNumber(d.r))
			d.b(',')
			d.s(pick(d.r, merchants))
			d.b(',')
			d.s(pick(d.r, expenseCategories))
			d.b(',')
			d.money(3, 4000)
			d.b(',')
			d.s(pick(d.r, currencies))
			d.b(',')
			d.int(10000 + d.r.IntN(90000))
			d.nl()
		}
	case "headcount":
		d.s("department,office,fte,contractors,open_reqs,budget_usd,attrition_pct,avg_tenure_years\n")
		for len(d.buf) < target {
			d.s(pick(d.r, departments))
			d.b(',')
			d.s(pick(d.r, offices))
			d.b(',')
			d.int(d.r.IntN(400))
			d.b(',')
			d.int(d.r.IntN(40))
			d.b(',')
			d.int(d.r.IntN(25))
			d.b(',')
			d.int(100000 + d.r.IntN(90000000))
			d.b(',')
			d.int(d.r.IntN(30))
			d.b('.')
			d.int(d.r.IntN(10))
			d.b(',')
			d.int(d.r.IntN(15))
			d.b('.')
			d.int(d.r.IntN(10))
			d.nl()
		}
	case "training":
		d.s("employee_id,course_code,course_title,completed_on,score,attempts,certificate_no\n")
		for len(d.buf) < target {
			d.int(10000 + d.r.IntN(90000))
			d.s(",SEC-")
			d.int(100 + d.r.IntN(900))
			d.b(',')
			d.s(pick(d.r, []string{"Security awareness", "Code of conduct", "Anti-bribery", "Data protection basics", "Workplace safety", "Inclusive hiring"}))
			d.b(',')
			d.date()
			d.b(',')
			d.int(50 + d.r.IntN(51))
			d.b(',')
			d.int(1 + d.r.IntN(3))
			d.s(",CERT-")
			d.pad(d.r.IntN(10000000), 7)
			d.nl()
		}
	case "timesheets":
		d.s("employee_id,week_starting,project,task_code,mon,tue,wed,thu,fri,total_hours,billable\n")
		for len(d.buf) < target {
			d.int(10000 + d.r.IntN(90000))
			d.b(',')
			d.date()
			d.b(',')
			d.s(pick(d.r, projects))
			d.s(",T")
			d.pad(d.r.IntN(10000), 4)
			total := 0
			for i := 0; i < 5; i++ {
				h := d.r.IntN(10)
				total += h
				d.b(',')
				d.int(h)
			}
			d.b(',')
			d.int(total)
			d.b(',')
			d.s(pick(d.r, []string{"yes", "no"}))
			d.nl()
		}
	default: // assets
		d.s("asset_tag,serial_number,model,purchase_date,cost,assigned_to,location,warranty_until\n")
		for len(d.buf) < target {
			d.s("AT-")
			d.pad(d.r.IntN(1000000), 6)
			d.b(',')
			d.s(pick(d.r, []string{"C02", "5CG", "PF3", "FVF", "DMP"}))
			for i := 0; i < 9; i++ {
				d.b(base32ch[d.r.IntN(32)])
			}
			d.b(',')
			d.s(pick(d.r, []string{"Latitude 7440", "MacBook Pro 14", "ThinkPad T14", "EliteBook 840", "Dell U2723QE", "iPhone 15"}))
			d.b(',')
			d.date()
			d.b(',')
			d.money(150, 3500)
			d.b(',')
			d.int(10000 + d.r.IntN(90000))
			d.b(',')
			d.s(pick(d.r, offices))
			d.b(',')
			d.date()
			d.nl()
		}
	}
}
