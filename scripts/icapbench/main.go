// Command icapbench is the load harness of scripts/bench-icap.sh: it
// measures ICAP REQMOD through Squid and checks that no request is lost or
// answered wrongly under load. Its subcommands:
//
//	icapbench port              print a loopback TCP port nothing listens on
//	icapbench bodies DIR        write the clean and the carded 10 KB bodies and their digests
//	icapbench origin ADDR       serve the origin behind the proxy until SIGINT/SIGTERM
//	icapbench load [flags]      send bodies through the proxy and account for every answer
//	icapbench icap [flags]      the same straight to the ICAP service, on connections all held open
//
// The origin answers an upload only when its body matches the digest the
// client put in a header and carries no card number; a carded body that
// reaches it is counted as a leak. The load client waits for every request
// it started, so its counts are exact, and exits 1 on any mismatch.
// It talks to loopback addresses only.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: icapbench port | bodies DIR | origin ADDR | load [flags] | icap [flags]")
		return 2
	}
	var err error
	switch args[0] {
	case "port":
		err = printPort(stdout)
	case "bodies":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: icapbench bodies DIR")
			return 2
		}
		err = writeBodies(args[1], stdout)
	case "origin":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: icapbench origin ADDR")
			return 2
		}
		err = serveOrigin(args[1], stderr)
	case "load":
		return runLoad(args[1:], stdout, stderr)
	case "icap":
		return runICAP(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "icapbench: unknown subcommand %q\n", args[0])
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "icapbench:", err)
		return 1
	}
	return 0
}
