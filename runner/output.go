package runner

import (
	"bytes"
	"sync"
)

// output is the program's standard output: fmt.Print*, println and the
// engines' echo all write here, never to the process's stdout. Past the
// limit it keeps nothing more and calls onLimit once (the run is stopped).
type output struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	limit     int
	truncated bool
	frozen    bool // set when the run is over: late writes from stray goroutines are dropped
	onLimit   func()
	stopped   func() bool // the run was stopped: what the program prints after is dropped
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	if o.frozen || o.truncated || (o.stopped != nil && o.stopped()) {
		o.mu.Unlock()
		return len(p), nil
	}
	room := o.limit - o.buf.Len()
	if len(p) <= room {
		o.buf.Write(p)
		o.mu.Unlock()
		return len(p), nil
	}
	if room > 0 {
		o.buf.Write(p[:room])
	}
	o.truncated = true
	cb := o.onLimit
	o.mu.Unlock()
	if cb != nil {
		cb()
	}
	// Report success: the program is being stopped anyway, and an error here
	// would only change what the program does in its last instants.
	return len(p), nil
}

// finish freezes the output and returns it.
func (o *output) finish() (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.frozen = true
	return o.buf.String(), o.truncated
}

// discard is an io.Writer that drops everything (the panic locator's rerun).
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
