package mirror

import (
	"fmt"
	"testing"
	"time"
)

// In the sandbox nothing resolves: Pick must give up within its time-outs and say why.
// The reason is printed (fmt, so `go test` without -v shows it too); the test passes.
func TestPickGivesUpOffline(t *testing.T) {
	start := time.Now()
	got, err := Pick([]string{"proxy.golang.org"}, 1500*time.Millisecond)
	if got != "" {
		t.Fatalf("Pick resolved %q offline", got)
	}
	fmt.Printf("offline as expected: %v\n", err)
	if time.Since(start) > 5*time.Second {
		t.Fatalf("Pick took %v", time.Since(start))
	}
}
