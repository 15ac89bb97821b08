package main

import "math/rand/v2"

// Word lists for the generated text. They are plain data, read-only.

var firstNames = []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
	"David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
	"Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret",
	"Priya", "Arjun", "Wei", "Mei", "Hiroshi", "Yuki", "Olumide", "Amara", "José", "María", "Lucía",
	"Søren", "Zoë", "Björn", "Anaïs", "François", "Jürgen", "Ines", "Mateo", "Noah", "Emma", "Liam",
	"Olivia", "Ava", "Ethan", "Sofia", "Lukas", "Hannah", "Fatima", "Omar", "Aisha", "Ivan", "Olga",
	"Kwame", "Ngozi", "Raj", "Ananya", "Chen", "Lars", "Ingrid", "Pieter", "Annelies", "Giulia", "Marco"}

var lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
	"Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker",
	"Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Patel", "Kim", "Chen", "Wang", "Tanaka",
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Lefèvre", "Rossi", "Bianchi",
	"Jansen", "de Vries", "Peeters", "Nielsen", "Johansson", "Kowalski", "Novák", "Okafor", "Mensah",
	"O'Brien", "Murphy", "Kelly", "Ivanova", "Popescu", "Silva", "Santos", "Fernández", "González",
	"Haddad", "Cohen", "Levi", "Sato", "Suzuki", "Singh", "Kumar", "Sharma", "Ali", "Hassan"}

type person struct{ first, last string }

func randPerson(r *rand.Rand) person { return person{pick(r, firstNames), pick(r, lastNames)} }

// Company domains are invented names under common TLDs.
var companyDomains = []string{"northwind-trading.com", "contoso-corp.com", "fabrikam-industries.com",
	"tailspin-logistics.com", "wingtip-partners.co.uk", "adventure-works.de", "litware-systems.com"}

var freeMailDomains = []string{"mailbox-tiller.de", "fjord-post.is", "quillmail.net", "postvale.org"}

var departments = []string{"Finance", "Human Resources", "Engineering", "Sales", "Marketing", "Legal",
	"Operations", "Customer Success", "IT", "Procurement", "Facilities", "Research", "Security"}

var titles = []string{"Analyst", "Senior Analyst", "Engineer", "Senior Engineer", "Staff Engineer",
	"Manager", "Senior Manager", "Director", "VP", "Coordinator", "Specialist", "Account Executive",
	"Recruiter", "Controller", "Paralegal", "Technician", "Architect", "Team Lead", "Intern"}

var offices = []string{"New York", "London", "Berlin", "Austin", "Singapore", "Toronto", "Dublin",
	"Amsterdam", "Chicago", "Remote", "São Paulo", "Zürich", "Seattle", "Paris", "Tokyo"}

var merchants = []string{"Delta Air Lines", "Marriott", "Uber", "Lufthansa", "Hilton", "Amazon Web Services",
	"Staples", "Starbucks", "WeWork", "Deutsche Bahn", "Eurostar", "Avis", "Zoom", "Dell", "Office Depot"}

var expenseCategories = []string{"Travel", "Lodging", "Meals", "Software", "Hardware", "Office supplies",
	"Training", "Client entertainment", "Conference", "Telecom"}

var currencies = []string{"USD", "EUR", "GBP", "CHF", "SGD", "CAD"}

var passwordWords = []string{"summer", "winter", "falcon", "harbor", "crimson", "granite", "pioneer",
	"lighthouse", "maple", "orchid", "thunder", "velvet", "cobalt", "meadow", "saturn", "quartz"}

var services = []string{"billing", "payments", "auth", "orders", "inventory", "search", "gateway",
	"notifications", "reporting", "catalog", "shipping", "crm-sync", "ledger", "hr-portal", "etl"}

var hosts = []string{"app01", "app02", "app03", "web01", "web02", "batch01", "worker01", "worker02",
	"db01", "cache01", "edge01", "k8s-node-3", "k8s-node-7", "jump01"}

var projects = []string{"Atlas", "Borealis", "Cascade", "Delta", "Everest", "Fjord", "Granite", "Helix",
	"Ion", "Juniper", "Keystone", "Lumen", "Meridian", "Nimbus", "Orion", "Polaris"}

// proseWords are the vocabulary of memos, mail and notes.
var proseWords = []string{"the", "the", "the", "of", "to", "and", "and", "a", "in", "for", "is", "on",
	"that", "with", "we", "will", "this", "be", "as", "are", "our", "by", "at", "from", "have", "it",
	"please", "review", "quarter", "budget", "forecast", "team", "customer", "project", "deadline",
	"meeting", "agenda", "update", "release", "migration", "contract", "renewal", "vendor", "invoice",
	"approval", "headcount", "onboarding", "policy", "compliance", "audit", "roadmap", "milestone",
	"deliverable", "stakeholder", "escalation", "incident", "postmortem", "capacity", "latency",
	"revenue", "pipeline", "pricing", "discount", "proposal", "draft", "final", "version", "schedule",
	"next", "week", "Monday", "Friday", "morning", "afternoon", "follow", "up", "thanks", "attached",
	"summary", "numbers", "figures", "spreadsheet", "slides", "feedback", "changes", "risk", "plan",
	"priority", "scope", "timeline", "resources", "training", "benefits", "payroll", "expense", "travel",
	"office", "lease", "hiring", "candidate", "interview", "offer", "legal", "finance", "marketing",
	"launch", "campaign", "analytics", "dashboard", "report", "metrics", "target", "growth", "churn",
	"support", "ticket", "backlog", "sprint", "retro", "standup", "architecture", "security", "access",
	"should", "could", "would", "need", "make", "sure", "before", "after", "during", "about", "into",
	"also", "still", "only", "more", "less", "than", "new", "current", "previous", "agreed", "pending"}

var subjects = []string{"Q3 forecast", "Re: contract renewal", "Offsite agenda", "Updated org chart",
	"Fwd: vendor invoice", "Action items from today", "Budget approval needed", "Re: Re: migration plan",
	"Payroll changes for next month", "Access request", "Incident follow-up", "Candidate feedback",
	"Travel itinerary", "New hire onboarding", "Re: pricing proposal", "Board deck draft",
	"Benefits enrollment reminder", "Weekly status", "Re: audit findings", "Expense report"}

var markdownTopics = []string{"runbook", "onboarding", "architecture", "meeting-notes", "retro",
	"postmortem", "release-notes", "faq", "design", "roadmap", "handover", "vendor-review"}

var urlPaths = []string{"/api/v2/orders", "/api/v2/invoices", "/api/v1/users", "/healthz", "/login",
	"/api/v2/payments", "/static/app.js", "/api/v1/search", "/reports/monthly", "/api/v2/cart",
	"/oauth/callback", "/metrics", "/api/v1/inventory/items", "/favicon.ico", "/graphql"}

var userAgents = []string{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
	"kube-probe/1.29", "curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1", "okhttp/4.12.0"}

var javaClasses = []string{"c.n.billing.InvoiceService", "c.n.orders.OrderController", "o.h.e.j.s.SqlExceptionHelper",
	"c.n.auth.TokenFilter", "c.n.payments.SettlementJob", "o.s.w.s.DispatcherServlet", "c.n.common.RetryTemplate",
	"c.n.inventory.StockReconciler", "c.n.reporting.ExportTask", "com.zaxxer.hikari.pool.HikariPool"}

var logMessages = []string{"request completed", "cache miss", "cache hit", "retrying after backoff",
	"connection pool stats", "scheduled job started", "scheduled job finished", "message published",
	"message consumed", "slow query detected", "circuit breaker half-open", "token refreshed",
	"rate limit applied", "upstream timeout", "health check ok", "config reloaded", "batch committed",
	"invoice rendered", "settlement file uploaded", "user session created", "feature flag evaluated"}
