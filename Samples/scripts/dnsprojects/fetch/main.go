// fetch GETs each URL on its command line, as a deploy script's health check or a
// small service's start-up does: a client whose dialer gives up after -dial-timeout,
// which includes the name lookup. Errors are logged the way Go services log them.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	dialTimeout := flag.Duration("dial-timeout", 2*time.Second, "how long a connection (lookup included) may take")
	flag.Parse()
	client := &http.Client{Transport: &http.Transport{
		DialContext: (&net.Dialer{Timeout: *dialTimeout}).DialContext,
	}}
	failed := false
	for _, url := range flag.Args() {
		resp, err := client.Get(url)
		if err != nil {
			log.Printf("fetch: %v", err)
			failed = true
			continue
		}
		resp.Body.Close()
		log.Printf("fetch: %s: %s", url, resp.Status)
	}
	if failed {
		os.Exit(1)
	}
}
