package pool

import (
	"context"
	"fmt"
)

// StaticPool holds exactly one connection and hands it to every checkout,
// even concurrent ones (SQLite :memory: needs this). It reconnects when the
// connection was invalidated, recycled or disposed. Pre-ping is not done: a
// shared connection cannot be swapped under another user's feet.
type StaticPool struct {
	core
	rec     *record // the shared slot
	out     int
	dialing bool
	dialers []Waiter // checkouts waiting for another's connect to finish
}

// NewStaticPool returns a StaticPool. Size, MaxOverflow and Timeout are ignored.
func NewStaticPool(dial Dialer, cfg Config) (*StaticPool, error) {
	p := &StaticPool{rec: &record{}}
	cfg.Size, cfg.MaxOverflow, cfg.Timeout, cfg.PrePing = 1, 0, 0, false
	if err := p.core.init("StaticPool", dial, cfg, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *StaticPool) Get(ctx context.Context) (*Conn, error) { return p.core.get(ctx) }
func (p *StaticPool) Stats() Stats                           { return p.core.stats() }

// Status is SQLAlchemy's StaticPool.status().
func (p *StaticPool) Status() string { return "StaticPool" }

func (p *StaticPool) countsLocked() (out, overflow, idle int) {
	if p.rec.raw != nil && p.out == 0 {
		idle = 1
	}
	return p.out, 0, idle
}

func (p *StaticPool) doGet(ctx context.Context) (*record, bool, error) {
	p.mu.Lock()
	for {
		if p.closed {
			p.mu.Unlock()
			return nil, false, ErrPoolDisposed
		}
		if !p.dialing {
			break
		}
		// Another checkout is connecting the one connection: wait for it
		// through the clock, so a virtual clock sees this goroutine blocked.
		w := p.clock.NewWaiter(-1)
		p.dialers = append(p.dialers, w)
		p.mu.Unlock()
		if w.Wait(ctx) == Canceled {
			return nil, false, &WaitCanceledError{Pool: "StaticPool", Err: ctx.Err()}
		}
		p.mu.Lock()
	}
	shared := p.rec
	why := ""
	switch {
	case shared.raw == nil:
	case shared.id <= p.invalidID:
		why = fmt.Sprintf("connection %d predates a pool-wide invalidation", shared.id)
	case p.cfg.Recycle > 0 && p.clock.Now().Sub(shared.start) > p.cfg.Recycle:
		why = fmt.Sprintf("connection %d is older than pool_recycle %s", shared.id, p.cfg.Recycle)
	default:
		p.out++
		p.st.Checkouts++
		rec := *shared
		p.mu.Unlock()
		return &rec, true, nil
	}
	p.dialing = true
	if why != "" {
		p.emitLocked(EventRecycle, shared.id, why)
	}
	raw := p.detachLocked(shared, "recycled")
	p.mu.Unlock()
	closeRaw(raw)
	fresh := &record{}
	err := p.connect(ctx, fresh)
	p.mu.Lock()
	p.dialing = false
	for _, w := range p.dialers {
		w.Wake()
	}
	p.dialers = nil
	if err != nil {
		p.mu.Unlock()
		return nil, false, err
	}
	*p.rec = *fresh
	p.out++
	p.st.Checkouts++
	p.mu.Unlock()
	return fresh, true, nil
}

// doReturn gets the checkout's copy of the shared slot; if that checkout
// invalidated the connection, the shared slot forgets it too.
func (p *StaticPool) doReturn(rec *record) {
	p.mu.Lock()
	p.out--
	if rec.raw == nil && p.rec.id == rec.id {
		p.rec.raw = nil // already closed and counted by the invalidation
	}
	p.emitLocked(EventCheckin, rec.id, "")
	p.mu.Unlock()
}

// Dispose closes the connection; the next checkout opens a new one.
func (p *StaticPool) Dispose() {
	p.mu.Lock()
	raw := p.detachLocked(p.rec, "pool disposed")
	p.mu.Unlock()
	closeRaw(raw)
}

// Close disposes the pool; later checkouts fail with ErrPoolDisposed.
func (p *StaticPool) Close() {
	p.mu.Lock()
	p.closed = true
	for _, w := range p.dialers {
		w.Wake()
	}
	p.dialers = nil
	p.mu.Unlock()
	p.Dispose()
}
