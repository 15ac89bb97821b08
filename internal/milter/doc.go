// Package milter owns leakguard's mail filter for Postfix (and any MTA that
// speaks the milter protocol, version 2 to 6): it collects each outgoing
// message as the MTA sends it — envelope, connection data, headers and body —
// hands the whole RFC 5322 message to an injected Check function, and turns
// the Verdict into the milter answer: accept, accept with an X-Leakguard
// header, quarantine (Postfix's hold queue), "550 5.7.1" reject, or, when the
// check itself failed and the server is fail-closed, "451 4.7.1" tempfail.
//
// How a message is judged is not decided here: Check gets the message and
// the caller runs it through the extractors and the engine.
//
// The protocol is github.com/d--j/go-milter's low-level server, not its
// mailfilter package. mailfilter only listens on an address it opens itself
// (we serve a listener we are given, like the ICAP and HTTP servers), keeps
// headers in a parsed list with a count limit that silently truncates, and
// decides too-large messages by rejecting or truncating, whereas our
// failure policy is accept-and-log or tempfail. With the low-level server
// the message is written once, as bytes, into our own spool: memory up to
// 64 KiB per message, a temporary file beyond that, MaxBytes at most.
//
// Postfix is pointed at the milter in main.cf:
//
//	smtpd_milters = inet:127.0.0.1:10025
//	milter_default_action = accept   # or tempfail, to match FailClosed
//
// milter_default_action covers the cases this package cannot answer for:
// leakguard not running or not reachable. Everything else (Check failed,
// timed out, message too large) follows Server.FailClosed.
package milter
