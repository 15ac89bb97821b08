// Package edm is leakguard's exact data matching: it remembers the records
// of a table (employees, customers, accounts) as keyed hashes of their
// normalised cell values, and finds, in streamed text, the places where a
// primary value of a record (an SSN, an e-mail address, an account number)
// occurs together with at least one other value of the same record, within
// a proximity window or on the same line of a table.
//
// Registration (Builder, or RegisterCSV on top of it) writes an index
// directory that holds only HMAC-SHA-256 values under a per-set key derived
// from the installation key: the registered values never reach the disk.
// An Index is opened read-only (memory-mapped where the platform allows),
// is safe for concurrent use, and is shared by any number of Matchers, one
// per worker, each fed one item's text with Write and finished with Close.
// A Matcher keeps a bounded window of text whatever the item's size.
package edm
