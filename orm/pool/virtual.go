package pool

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// VirtualEpoch is the instant every VirtualClock starts at, so traces and
// printed times are identical on every run.
var VirtualEpoch = time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)

// VirtualClock is a Clock whose time moves only when every participating
// goroutine is blocked; see the package comment for the rules. The goroutine
// that calls NewVirtualClock is the first participant and holds the baton.
type VirtualClock struct {
	mu      sync.Mutex
	now     time.Time
	seq     uint64
	timers  vtimers
	runq    []chan struct{} // participants waiting for the baton, FIFO
	running bool            // some participant holds the baton
	live    int             // goroutines started by Go still running
	joiners []chan struct{} // participants blocked in Wait
	closed  bool
	done    chan struct{} // closed by Close
	// cancelable lists waiters whose context may end; before moving time,
	// dispatch wakes those whose context has ended, so a participant that
	// cancels a context and then blocks sees the same result on every run.
	cancelable []*vWaiter
	onDeadlock func()
}

// NewVirtualClock returns a clock at VirtualEpoch whose baton is held by the
// calling goroutine (or whichever single goroutine goes on to use it: the
// baton is not tied to a goroutine, it is "the one participant running").
func NewVirtualClock() *VirtualClock {
	return &VirtualClock{now: VirtualEpoch, running: true, done: make(chan struct{})}
}

// Now returns the virtual time.
func (vc *VirtualClock) Now() time.Time {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	return vc.now
}

// Since returns the virtual time elapsed since VirtualEpoch.
func (vc *VirtualClock) Since() time.Duration { return vc.Now().Sub(VirtualEpoch) }

// Sleep blocks the caller for d of virtual time. Participants that are
// runnable now, or whose deadlines come first, run before it resumes; Sleep(0)
// therefore yields to the other runnable participants.
func (vc *VirtualClock) Sleep(d time.Duration) {
	if d < 0 {
		d = 0
	}
	vc.mu.Lock()
	if vc.closed {
		vc.mu.Unlock()
		return
	}
	t := vc.addTimerLocked(d, nil)
	vc.dispatchLocked()
	vc.mu.Unlock()
	vc.park(t.ticket)
}

// Advance moves the caller's time forward by d, as Sleep does: everything due
// in between happens first, in deadline order. Meant for tests and demos that
// want to say "an hour later".
func (vc *VirtualClock) Advance(d time.Duration) { vc.Sleep(d) }

// Go starts f as a participant. It first runs when the caller blocks.
func (vc *VirtualClock) Go(f func()) {
	vc.mu.Lock()
	if vc.closed {
		vc.mu.Unlock()
		go f()
		return
	}
	vc.live++
	ticket := make(chan struct{})
	vc.runq = append(vc.runq, ticket)
	vc.mu.Unlock()
	go func() {
		defer vc.exit()
		vc.park(ticket)
		f()
	}()
}

func (vc *VirtualClock) exit() {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.closed {
		return
	}
	vc.live--
	if vc.live == 0 {
		vc.runq = append(vc.runq, vc.joiners...)
		vc.joiners = nil
	}
	vc.dispatchLocked()
}

// Wait blocks the caller until every goroutine started with Go has returned.
// A participant must use this rather than a sync.WaitGroup: the clock cannot
// see a WaitGroup and would never let the others run.
func (vc *VirtualClock) Wait() {
	vc.mu.Lock()
	if vc.closed || vc.live == 0 {
		vc.mu.Unlock()
		return
	}
	ticket := make(chan struct{})
	vc.joiners = append(vc.joiners, ticket)
	vc.dispatchLocked()
	vc.mu.Unlock()
	vc.park(ticket)
}

// Close ends virtual time: every parked participant wakes, and afterwards
// sleeps return at once and waiters time out at once. Call it when the
// program stops so that no goroutine stays parked. Idempotent.
func (vc *VirtualClock) Close() {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if !vc.closed {
		vc.closed = true
		close(vc.done)
	}
}

// OnDeadlock sets f to be called (in a new goroutine) whenever every
// participant is parked with no deadline pending, so no participant can ever
// run again: the virtual-time counterpart of Go's "all goroutines are asleep".
// A runner can then report the deadlock and Close the clock.
func (vc *VirtualClock) OnDeadlock(f func()) {
	vc.mu.Lock()
	vc.onDeadlock = f
	vc.mu.Unlock()
}

// Idle reports whether no participant is running or runnable and nothing is
// scheduled: every participant is blocked for good (a deadlock in the demo).
func (vc *VirtualClock) Idle() bool {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	return !vc.running && len(vc.runq) == 0 && len(vc.timers) == 0
}

func (vc *VirtualClock) park(ticket chan struct{}) {
	select {
	case <-ticket:
	case <-vc.done:
	}
}

// dispatchLocked hands the baton, which the caller gives up, to the next
// runnable participant, moving time to the next deadline when none is.
func (vc *VirtualClock) dispatchLocked() {
	vc.running = false
	for {
		if len(vc.runq) > 0 {
			t := vc.runq[0]
			vc.runq[0] = nil
			vc.runq = vc.runq[1:]
			vc.running = true
			close(t)
			return
		}
		if vc.wakeCanceledLocked() {
			continue
		}
		if len(vc.timers) == 0 {
			// Every participant is parked with no deadline: nothing inside
			// the program can wake any of them.
			if f := vc.onDeadlock; f != nil && !vc.closed {
				go f()
			}
			return
		}
		at := vc.timers[0].at
		if at.After(vc.now) {
			vc.now = at
		}
		for len(vc.timers) > 0 && !vc.timers[0].at.After(at) {
			t := heap.Pop(&vc.timers).(*vtimer)
			if t.w != nil {
				t.w.state = wTimedOut
			}
			vc.runq = append(vc.runq, t.ticket)
		}
	}
}

// wakeCanceledLocked makes runnable, in the order they started waiting, the
// waiters whose context has ended; it reports whether there were any.
func (vc *VirtualClock) wakeCanceledLocked() bool {
	woke := false
	kept := vc.cancelable[:0]
	for _, w := range vc.cancelable {
		if w.state != wWaiting {
			continue
		}
		if w.ctx.Err() == nil {
			kept = append(kept, w)
			continue
		}
		w.cancelLocked()
		vc.runq = append(vc.runq, w.ticket)
		woke = true
	}
	for i := len(kept); i < len(vc.cancelable); i++ {
		vc.cancelable[i] = nil
	}
	vc.cancelable = kept
	return woke
}

func (vc *VirtualClock) addTimerLocked(d time.Duration, w *vWaiter) *vtimer {
	vc.seq++
	t := &vtimer{at: vc.now.Add(d), seq: vc.seq, ticket: make(chan struct{}), w: w}
	heap.Push(&vc.timers, t)
	return t
}

// makeRunnableLocked queues a parked participant for the baton.
func (vc *VirtualClock) makeRunnableLocked(ticket chan struct{}) {
	vc.runq = append(vc.runq, ticket)
	if !vc.running {
		vc.dispatchLocked()
	}
}

// NewWaiter returns a Waiter on virtual time.
func (vc *VirtualClock) NewWaiter(timeout time.Duration) Waiter {
	return &vWaiter{vc: vc, timeout: timeout}
}

type vWaiter struct {
	vc      *VirtualClock
	timeout time.Duration
	state   int32
	timer   *vtimer // while waiting with a timeout
	ticket  chan struct{}
	ctx     context.Context
}

func (w *vWaiter) cancelLocked() {
	w.state = wCanceled
	if w.timer != nil && w.timer.index >= 0 {
		heap.Remove(&w.vc.timers, w.timer.index)
	}
	w.timer = nil
}

func (w *vWaiter) Wake() bool {
	vc := w.vc
	vc.mu.Lock()
	defer vc.mu.Unlock()
	switch w.state {
	case wPending:
		w.state = wWoken
		return true
	case wWaiting:
		w.state = wWoken
		if w.timer != nil {
			heap.Remove(&vc.timers, w.timer.index)
			w.timer = nil
		}
		vc.makeRunnableLocked(w.ticket)
		return true
	}
	return false
}

func (w *vWaiter) Wait(ctx context.Context) WaitResult {
	vc := w.vc
	vc.mu.Lock()
	if w.state == wWoken {
		vc.mu.Unlock()
		return Woken
	}
	if vc.closed {
		w.state = wTimedOut
		vc.mu.Unlock()
		return TimedOut
	}
	w.state = wWaiting
	if w.timeout >= 0 {
		w.timer = vc.addTimerLocked(w.timeout, w)
		w.ticket = w.timer.ticket
	} else {
		w.ticket = make(chan struct{})
	}
	if ctx.Done() != nil {
		w.ctx = ctx
		vc.cancelable = append(vc.cancelable, w)
	}
	vc.dispatchLocked()
	vc.mu.Unlock()

	select {
	case <-w.ticket:
	case <-vc.done:
	case <-ctx.Done():
		vc.mu.Lock()
		if w.state == wWaiting {
			w.cancelLocked()
			vc.makeRunnableLocked(w.ticket)
		}
		vc.mu.Unlock()
		// Take our turn again; the program is being stopped, so Close (or
		// the running participant's next blocking point) comes promptly.
		vc.park(w.ticket)
	}
	vc.mu.Lock()
	defer vc.mu.Unlock()
	switch w.state {
	case wWoken:
		return Woken
	case wCanceled:
		return Canceled
	}
	w.state = wTimedOut // also when the clock was closed under us
	if w.timer != nil && w.timer.index >= 0 {
		heap.Remove(&vc.timers, w.timer.index)
	}
	w.timer = nil
	return TimedOut
}

type vtimer struct {
	at     time.Time
	seq    uint64
	index  int
	ticket chan struct{}
	w      *vWaiter
}

type vtimers []*vtimer

func (h vtimers) Len() int { return len(h) }
func (h vtimers) Less(i, j int) bool {
	if h[i].at.Equal(h[j].at) {
		return h[i].seq < h[j].seq
	}
	return h[i].at.Before(h[j].at)
}
func (h vtimers) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *vtimers) Push(x any) {
	t := x.(*vtimer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *vtimers) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}
