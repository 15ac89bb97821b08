package icaptest

import "testing"

// CICAPClient returns the path of Debian's c-icap-client (package c-icap),
// an ICAP client independent of ours, or skips the test.
func CICAPClient(t testing.TB) string {
	t.Helper()
	p := lookPath("c-icap-client", "/usr/bin/c-icap-client")
	if p == "" {
		t.Skip("c-icap-client not installed (apt-get install -y c-icap); skipping the interoperability test")
	}
	return p
}
