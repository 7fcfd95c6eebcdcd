// Package mirror picks the first module mirror whose name resolves.
package mirror

import (
	"context"
	"net"
	"time"
)

// Pick returns the first of hosts that resolves within timeout each, or "" and the last error.
func Pick(hosts []string, timeout time.Duration) (string, error) {
	var last error
	for _, h := range hosts {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		_, err := net.DefaultResolver.LookupHost(ctx, h)
		cancel()
		if err == nil {
			return h, nil
		}
		last = err
	}
	return "", last
}
