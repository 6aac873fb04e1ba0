package pool

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// QueuePool is SQLAlchemy's default pool; see the package comment.
type QueuePool struct {
	core
	size, maxOverflow int // maxOverflow -1: no limit
	overflow          int // slots beyond size; starts at -size
	idle              ring
	waiters           []*qWaiter
	// On the real clock, waits carry no timer of their own: FIFO waiters
	// with one Timeout expire in order, so one pool timer armed for the
	// oldest waiter does it. Arming a runtime timer per wait made every
	// contended checkout slower than database/sql's (which has no timeout).
	sweep      bool
	sweepArmed bool
}

var qWaiters = sync.Pool{New: func() any { return new(qWaiter) }}

type qWaiter struct {
	w        Waiter
	deadline time.Time // with sweep
	rec      *record   // the slot handed over, or
	permit   bool      // a free slot to connect into, or
	closed   bool      // the pool was closed
}

// NewQueuePool returns a QueuePool; cfg.Size 0 means no limit, as in SQLAlchemy.
func NewQueuePool(dial Dialer, cfg Config) (*QueuePool, error) {
	p := &QueuePool{size: cfg.Size, maxOverflow: cfg.MaxOverflow, overflow: -cfg.Size}
	if err := p.core.init("QueuePool", dial, cfg, p); err != nil {
		return nil, err
	}
	if p.size == 0 {
		p.maxOverflow = -1
	}
	_, p.sweep = p.clock.(*realClock)
	return p, nil
}

// Get checks a connection out.
func (p *QueuePool) Get(ctx context.Context) (*Conn, error) { return p.core.get(ctx) }

// Stats returns the pool's counters.
func (p *QueuePool) Stats() Stats {
	s := p.core.stats()
	p.mu.Lock()
	s.Waiting = len(p.waiters)
	p.mu.Unlock()
	return s
}

func (p *QueuePool) countsLocked() (out, overflow, idle int) {
	idle = p.idle.n // a slot handed to a waiter counts as checked out to it
	out = p.size - idle + p.overflow
	if p.size > 0 {
		overflow = p.overflow
	}
	return
}

// Status is SQLAlchemy's QueuePool.status(), word for word.
func (p *QueuePool) Status() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out, ov, idle := p.countsLocked()
	return fmt.Sprintf("Pool size: %d  Connections in pool: %d Current Overflow: %d Current Checked out connections: %d",
		p.size, idle, ov, out)
}

func (p *QueuePool) timeoutError() error {
	ov := p.overflow
	if p.size == 0 {
		ov = 0
	}
	return &TimeoutError{Size: p.size, Overflow: ov, Timeout: p.cfg.Timeout}
}

func (p *QueuePool) doGet(ctx context.Context) (*record, bool, error) {
	p.mu.Lock()
	waited := false
	for {
		if p.closed {
			p.mu.Unlock()
			return nil, false, ErrPoolDisposed
		}
		if p.idle.n > 0 {
			var rec *record
			if p.cfg.UseLIFO {
				rec = p.idle.popBack()
			} else {
				rec = p.idle.popFront()
			}
			p.st.Checkouts++
			p.mu.Unlock()
			return rec, false, nil
		}
		if p.maxOverflow < 0 || p.overflow < p.maxOverflow {
			p.overflow++
			p.st.Checkouts++
			if p.size > 0 && p.overflow > 0 && p.cfg.Listener != nil {
				p.emitLocked(EventOverflow, 0, fmt.Sprintf("overflow %d of %d", p.overflow, p.maxOverflow))
			}
			p.mu.Unlock()
			return p.newSlot(ctx)
		}
		if waited || p.cfg.Timeout == 0 {
			p.st.Timeouts++
			err := p.timeoutError()
			p.emitLocked(EventTimeout, 0, err.Error())
			p.mu.Unlock()
			return nil, false, err
		}
		// At the hard cap: wait for a returned connection or a freed slot.
		waited = true
		qw := qWaiters.Get().(*qWaiter)
		if p.sweep {
			*qw = qWaiter{w: p.clock.NewWaiter(-1), deadline: time.Now().Add(p.cfg.Timeout)}
			if !p.sweepArmed {
				p.sweepArmed = true
				time.AfterFunc(p.cfg.Timeout, p.sweepExpired)
			}
		} else {
			*qw = qWaiter{w: p.clock.NewWaiter(p.cfg.Timeout)}
		}
		p.waiters = append(p.waiters, qw)
		p.st.Waits++
		if p.cfg.Listener != nil {
			p.emitLocked(EventWait, 0, fmt.Sprintf("at the cap of %d connections, waiting up to %0.2f s", p.size+p.maxOverflow, p.cfg.Timeout.Seconds()))
		}
		p.mu.Unlock()
		res := qw.w.Wait(ctx)
		p.mu.Lock()
		// From here on nobody else refers to qw: a waker pops it from the
		// list under mu before waking it, and a timed-out waiter removes
		// itself under mu. So it and its clock waiter can be reused.
		rec, permit := qw.rec, qw.permit
		if r, ok := qw.w.(releaser); ok {
			r.release()
		}
		if res != Woken {
			p.removeWaiterLocked(qw)
		}
		*qw = qWaiter{}
		qWaiters.Put(qw)
		if res == Woken {
			switch {
			case rec != nil:
				p.st.Checkouts++
				p.mu.Unlock()
				return rec, false, nil
			case permit:
				p.st.Checkouts++
				p.mu.Unlock()
				return p.newSlot(ctx)
			}
			continue // closed: reported at the top of the loop
		}
		if res == Canceled {
			err := &WaitCanceledError{Pool: "QueuePool", Err: ctx.Err()}
			p.emitLocked(EventTimeout, 0, err.Error())
			p.mu.Unlock()
			return nil, false, err
		}
		// Timed out: as Python's queue, take what arrived at the deadline,
		// else fail (the top of the loop, with waited set).
	}
}

// sweepExpired times out the waiters whose deadline has passed, oldest
// first, and re-arms itself for the oldest one left.
func (p *QueuePool) sweepExpired() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	for len(p.waiters) > 0 {
		qw := p.waiters[0]
		if qw.deadline.After(now) {
			time.AfterFunc(qw.deadline.Sub(now), p.sweepExpired)
			return
		}
		p.waiters[0] = nil
		p.waiters = p.waiters[1:]
		if e, ok := qw.w.(interface{ expire() bool }); ok {
			e.expire()
		}
	}
	p.sweepArmed = false
}

// newSlot connects a new connection into a slot already counted in overflow.
func (p *QueuePool) newSlot(ctx context.Context) (*record, bool, error) {
	rec := &record{}
	if err := p.connect(ctx, rec); err != nil {
		p.mu.Lock()
		p.releaseSlotLocked()
		p.mu.Unlock()
		return nil, false, err
	}
	return rec, true, nil
}

func (p *QueuePool) removeWaiterLocked(qw *qWaiter) {
	for i, w := range p.waiters {
		if w == qw {
			copy(p.waiters[i:], p.waiters[i+1:])
			p.waiters[len(p.waiters)-1] = nil
			p.waiters = p.waiters[:len(p.waiters)-1]
			return
		}
	}
}

// nextWaiterLocked removes and wakes the oldest waiter still waiting.
func (p *QueuePool) nextWaiterLocked() *qWaiter {
	for len(p.waiters) > 0 {
		qw := p.waiters[0]
		p.waiters[0] = nil
		p.waiters = p.waiters[1:]
		if qw.w.Wake() {
			return qw
		}
	}
	return nil
}

// releaseSlotLocked frees one slot, giving it to a waiter if there is one.
func (p *QueuePool) releaseSlotLocked() {
	if p.closed {
		p.overflow--
		return
	}
	if qw := p.nextWaiterLocked(); qw != nil {
		qw.permit = true
		return
	}
	p.overflow--
}

func (p *QueuePool) doReturn(rec *record) {
	p.mu.Lock()
	if p.closed || rec.id <= p.disposeID {
		p.releaseSlotLocked()
		p.emitLocked(EventCheckin, rec.id, "the pool was disposed")
		raw := p.detachLocked(rec, "pool disposed")
		p.mu.Unlock()
		closeRaw(raw)
		return
	}
	if qw := p.nextWaiterLocked(); qw != nil {
		qw.rec = rec
		p.emitLocked(EventCheckin, rec.id, "handed to a waiting checkout")
		p.mu.Unlock()
		return
	}
	if p.size > 0 && p.idle.n >= p.size {
		// A return to a full queue closes the connection (overflow shrinks).
		p.overflow--
		p.emitLocked(EventCheckin, rec.id, "pool full")
		raw := p.detachLocked(rec, "returned to a full pool")
		p.mu.Unlock()
		closeRaw(raw)
		return
	}
	p.idle.pushBack(rec)
	if p.cfg.Listener != nil {
		p.emitLocked(EventCheckin, rec.id, "")
	}
	p.mu.Unlock()
}

// Dispose closes every idle connection; the ones checked out now are closed
// when they are returned. The pool stays usable.
func (p *QueuePool) Dispose() {
	p.mu.Lock()
	p.disposeID = p.nextID
	var raws []io.Closer
	for p.idle.n > 0 {
		rec := p.idle.popFront()
		p.overflow--
		if raw := p.detachLocked(rec, "pool disposed"); raw != nil {
			raws = append(raws, raw)
		}
	}
	p.mu.Unlock()
	for _, raw := range raws {
		closeRaw(raw)
	}
}

// Close disposes the pool for good: waiting and later checkouts fail with
// ErrPoolDisposed, returned connections are closed.
func (p *QueuePool) Close() {
	p.mu.Lock()
	p.closed = true
	for len(p.waiters) > 0 {
		if qw := p.nextWaiterLocked(); qw != nil {
			qw.closed = true
		}
	}
	p.mu.Unlock()
	p.Dispose()
}

// ring is a growable ring buffer of slots: FIFO and LIFO in O(1).
type ring struct {
	buf  []*record
	head int
	n    int
}

func (r *ring) pushBack(rec *record) {
	if r.n == len(r.buf) {
		nb := make([]*record, max(8, 2*len(r.buf)))
		for i := 0; i < r.n; i++ {
			nb[i] = r.buf[(r.head+i)%len(r.buf)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.n)%len(r.buf)] = rec
	r.n++
}

func (r *ring) popFront() *record {
	rec := r.buf[r.head]
	r.buf[r.head] = nil
	r.head = (r.head + 1) % len(r.buf)
	r.n--
	return rec
}

func (r *ring) popBack() *record {
	i := (r.head + r.n - 1) % len(r.buf)
	rec := r.buf[i]
	r.buf[i] = nil
	r.n--
	return rec
}
