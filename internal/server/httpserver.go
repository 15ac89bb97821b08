package server

import (
	"net/http"
	"time"
)

// HTTPServer returns an http.Server for the API's handler with the
// connection limits a server exposed to untrusted clients needs: a slow
// client (slowloris) cannot hold a connection by sending its headers a byte
// at a time, and idle keep-alive connections are closed. Body and scan time
// are bounded per request by Config.Timeout, so there is no whole-request
// read or write timeout here that would cut a long legitimate scan.
func HTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
