package orm

import (
	"sync"

	"ormlab/orm/pool"
)

// VirtualClock is a clock for pool demos: waits and timeouts take no real
// time, and the demo does the same thing in the same order on every run.
// Give it to an engine with WithClock(clock). The goroutines of the demo
// take turns: start them with clock.Go (not the go statement), let time
// pass with clock.Sleep, and end with clock.Wait, which returns when all of
// them have. Time moves only when every one of them is blocked — in Sleep,
// or in a checkout waiting for a free connection — and then jumps straight
// to the next deadline. A demo goroutine must not block on anything else
// (a channel, a mutex): the clock cannot see that wait.
//
// It is the pool package's VirtualClock (rules in its package comment) with
// Go able to report a panic in a demo goroutine as the program's failure in
// the playground.
type VirtualClock struct {
	*pool.VirtualClock
	mu    sync.Mutex
	guard func(f func()) func()
}

// NewVirtualClock returns a virtual clock at 09:00 on 1 January 2025; the
// calling goroutine takes part in its time (it can Sleep and Wait).
func NewVirtualClock() *VirtualClock {
	return &VirtualClock{VirtualClock: pool.NewVirtualClock()}
}

// Go starts f as a goroutine that takes part in the clock's time. It first
// runs when the caller blocks (Sleep, Wait, a pool wait).
func (c *VirtualClock) Go(f func()) {
	c.mu.Lock()
	g := c.guard
	c.mu.Unlock()
	if g != nil {
		f = g(f)
	}
	c.VirtualClock.Go(f)
}

// GuardGoroutines wraps every function later passed to Go with g (the
// playground uses it to turn a panic in one of them into the program's
// error, as a panic in any goroutine ends a Go program).
func (c *VirtualClock) GuardGoroutines(g func(f func()) func()) {
	c.mu.Lock()
	c.guard = g
	c.mu.Unlock()
}
