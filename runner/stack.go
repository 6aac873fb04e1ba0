package runner

import (
	"runtime"
	"sync/atomic"
)

// maxGoFrames bounds the Go frames of one goroutine while it runs
// interpreted code. yaegi spends a few Go frames per interpreted call, so
// this allows some 3,000 nested calls — far more than any lesson needs —
// and stops an endless recursion long before Go's fatal 1 GB stack, which
// would take the process or the browser worker down with it. (Deeper
// limits cost seconds: every garbage collection scans the whole stack.)
const maxGoFrames = 10000

// StackOverflow is the panic value of a runaway recursion.
type StackOverflow struct{}

func (StackOverflow) Error() string {
	return "stack overflow: too many nested calls (endless recursion?)"
}

var framePool = make(chan []uintptr, 4)

// enter starts every interpreted function (see countCall). Counting the
// frames costs in proportion to the depth, so it is sampled. In the browser
// it also yields now and then, as tick does for loops: a recursion has no
// loop, and without preemption the time limit could not fire.
func (r *run) enter() {
	n := atomic.AddUint32(&r.calls, 1)
	if needTicks && n&255 == 0 {
		runtime.Gosched()
	}
	if n&1023 != 0 {
		return
	}
	var buf []uintptr
	select {
	case buf = <-framePool:
	default:
		buf = make([]uintptr, maxGoFrames)
	}
	frames := runtime.Callers(2, buf)
	select {
	case framePool <- buf:
	default:
	}
	if frames >= maxGoFrames {
		panic(StackOverflow{})
	}
}
