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
	return &realWaiter{ch: make(chan struct{}), timeout: timeout}
}

const (
	wPending int32 = iota
	wWaiting
	wWoken
	wTimedOut
	wCanceled
)

type realWaiter struct {
	state   atomic.Int32
	ch      chan struct{}
	timeout time.Duration
}

func (w *realWaiter) Wake() bool {
	if w.state.CompareAndSwap(wPending, wWoken) {
		close(w.ch)
		return true
	}
	return false
}

func (w *realWaiter) Wait(ctx context.Context) WaitResult {
	var timeC <-chan time.Time
	if w.timeout >= 0 {
		t := time.NewTimer(w.timeout)
		defer t.Stop()
		timeC = t.C
	}
	select {
	case <-w.ch:
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
	// Wake won the race: the resource is ours, take it so it is not lost.
	<-w.ch
	return Woken
}
