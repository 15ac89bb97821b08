// Package miltertest runs the real mail peers leakguard's milter
// integration tests talk to: a private Debian Postfix on loopback whose
// SMTP listeners pass every message to a milter under test and relay what
// they accept to an SMTP sink in the test, plus the SMTP client side. It
// is imported only by tests (of internal/milter and of 'leakguard serve');
// StartPostfix skips the test when Postfix or root is missing.
package miltertest
