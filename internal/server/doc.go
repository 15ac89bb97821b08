// Package server owns the HTTP API of `leakguard serve`: POST /v1/scan,
// /v1/redact and /v1/trace, the Presidio-compatible /analyze,
// /supportedentities and /health, Prometheus /metrics and the OpenAPI
// document at /openapi.json, with bearer-token authentication, body-size,
// concurrency and time limits, and JSON errors.
//
// The server does not know how scanning works: Config.Scan and Config.Trace
// are injected by the caller, which wires extractors, engine and registered
// sets. What leaves the server is the finding contract of `leakguard scan`
// (masked values, keyed fingerprints), never a finding's plaintext.
//
// Tokens (tokens.go) are kept in the state directory as SHA-256 hashes only;
// the `leakguard tokens` command manages them.
package server
