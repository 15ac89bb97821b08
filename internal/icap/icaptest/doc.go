// Package icaptest runs the real ICAP peers leakguard's integration tests
// talk to: Debian's Squid on loopback with a private configuration that
// sends requests and responses to an ICAP service under test, curl
// through that proxy, a local origin server that reports what reached it,
// and c-icap-client. It is imported only by tests (of internal/icap and of
// 'leakguard serve'); every helper skips the test with the package to
// install when its peer is missing.
package icaptest
