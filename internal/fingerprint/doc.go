// Package fingerprint is the home of leakguard's fingerprints of an
// organisation's own data: edm (exact data matching of records), docs
// (winnowed shingles of confidential documents) and media (content-defined
// chunks of films, disk images and other binaries). Each subpackage
// registers data into an index kept in a directory of the state dir and
// matches scanned content against it.
//
// Every index holds keyed hashes only, derived from the installation key
// (internal/keyed): never a registered value or registered text. Someone
// who copies an index without the key learns nothing that lets them test a
// guess against it.
package fingerprint
