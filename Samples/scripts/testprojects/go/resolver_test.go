package resolver

import (
	"net"
	"testing"
	"time"
)

// A resolver that never answers must make Lookup give up, and the test expects exactly that.
func TestLookupGivesUp(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	_, err = Lookup("proxy.golang.org", pc.LocalAddr().String(), 200*time.Millisecond)
	if err == nil {
		t.Fatal("expected a time-out")
	}
	t.Logf("as expected: %v", err)
}

func TestFetchFromLocalServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // the bug under test: the server is closed before the client connects
	got, err := Fetch(addr)
	if err != nil {
		t.Fatalf("Fetch(%s): %v", addr, err)
	}
	if got != "ok" {
		t.Errorf("got %q, want ok", got)
	}
}
