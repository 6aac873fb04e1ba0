package pool

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Clock is the pool's sense of time and its only way to block, so that the
// same pool code runs in real time and on a VirtualClock.
type Clock interface {
	Now() time.Time
	// Sleep blocks the calling goroutine for d.
	Sleep(d time.Duration)
	// NewWaiter returns a one-shot wake-up that Wait blocks on until another
	// goroutine calls Wake, timeout passes (timeout < 0: never) or ctx ends.
	NewWaiter(timeout time.Duration) Waiter
	// Go starts f in a goroutine that takes part in the clock's time.
	Go(f func())
	// Wait blocks until every goroutine started with Go has returned.
	Wait()
}

// WaitResult says why a Waiter's Wait returned.
type WaitResult int

const (
	Woken    WaitResult = iota // another goroutine called Wake
	TimedOut                   // the timeout passed (or the virtual clock was closed)
	Canceled                   // the context ended
)

// Waiter is a one-shot wake-up known to its clock. Exactly one of Wake, the
// timeout and the context wins; Wake reports whether it was the winner, so a
// caller handing over a resource knows whether the waiter will receive it.
type Waiter interface {
	Wake() bool
	Wait(ctx context.Context) WaitResult
}

// RealClock returns a clock on the machine's time.
func RealClock() Clock { return &realClock{} }

type realClock struct{ wg sync.WaitGroup }

func (*realClock) Now() time.Time        { return time.Now() }
func (*realClock) Sleep(d time.Duration) { time.Sleep(d) }
func (c *realClock) Go(f func()) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
}
func (c *realClock) Wait() { c.wg.Wait() }

func (*realClock) NewWaiter(timeout time.Duration) Waiter {
	w := realWaiters.Get().(*realWaiter)
	w.state.Store(wPending)
	w.timeout = timeout
	return w
}

// realWaiters recycles waiters (channel and timer included): under heavy
// contention every checkout at the cap waits, and allocating three objects
// per wait showed up next to database/sql's pool.
var realWaiters = sync.Pool{New: func() any { return &realWaiter{ch: make(chan struct{}, 1)} }}

const (
	wPending int32 = iota
	wWaiting
	wWoken
	wTimedOut
	wCanceled
)

type realWaiter struct {
	state   atomic.Int32
	ch      chan struct{} // receives one token from the winning Wake
	timeout time.Duration
	timer   *time.Timer
}

// releaser is implemented by waiters that can be reused once their user is
// certain nobody else still holds them.
type releaser interface{ release() }

func (w *realWaiter) release() { realWaiters.Put(w) }

// expire times the waiter out from outside (the QueuePool's sweeper); it
// reports whether it won against Wake and the context.
func (w *realWaiter) expire() bool {
	if w.state.CompareAndSwap(wPending, wTimedOut) {
		w.ch <- struct{}{}
		return true
	}
	return false
}

func (w *realWaiter) Wake() bool {
	if w.state.CompareAndSwap(wPending, wWoken) {
		w.ch <- struct{}{}
		return true
	}
	return false
}

func (w *realWaiter) Wait(ctx context.Context) WaitResult {
	var timeC <-chan time.Time
	if w.timeout >= 0 {
		if w.timer == nil {
			w.timer = time.NewTimer(w.timeout)
		} else {
			w.timer.Reset(w.timeout)
		}
		// Since Go 1.23 a stopped timer delivers nothing stale, so the
		// timer can be reused by the next wait.
		defer w.timer.Stop()
		timeC = w.timer.C
	}
	select {
	case <-w.ch:
		if w.state.Load() == wTimedOut {
			return TimedOut
		}
		return Woken
	case <-timeC:
		if w.state.CompareAndSwap(wPending, wTimedOut) {
			return TimedOut
		}
	case <-ctx.Done():
		if w.state.CompareAndSwap(wPending, wCanceled) {
			return Canceled
		}
	}
	// Wake (or expire) won the race: take its token, and with a Wake the
	// resource, so that it is not lost.
	<-w.ch
	if w.state.Load() == wTimedOut {
		return TimedOut
	}
	return Woken
}
