package pool

import "context"

// NullPool does not pool: every checkout opens a connection and every check-in
// closes it. Recycle and pre-ping do not apply (connections are never reused).
type NullPool struct {
	core
	out int
}

// NewNullPool returns a NullPool. Size, MaxOverflow and Timeout are ignored.
func NewNullPool(dial Dialer, cfg Config) (*NullPool, error) {
	p := &NullPool{}
	cfg.Size, cfg.MaxOverflow, cfg.Timeout = 0, 0, 0
	if err := p.core.init("NullPool", dial, cfg, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *NullPool) Get(ctx context.Context) (*Conn, error) { return p.core.get(ctx) }
func (p *NullPool) Stats() Stats                           { return p.core.stats() }

// Status is SQLAlchemy's NullPool.status().
func (p *NullPool) Status() string { return "NullPool" }

func (p *NullPool) countsLocked() (int, int, int) { return p.out, 0, 0 }

func (p *NullPool) doGet(ctx context.Context) (*record, bool, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, false, ErrPoolDisposed
	}
	p.out++
	p.st.Checkouts++
	p.mu.Unlock()
	rec := &record{}
	if err := p.connect(ctx, rec); err != nil {
		p.mu.Lock()
		p.out--
		p.mu.Unlock()
		return nil, false, err
	}
	return rec, true, nil
}

func (p *NullPool) doReturn(rec *record) {
	p.mu.Lock()
	p.out--
	p.emitLocked(EventCheckin, rec.id, "")
	raw := p.detachLocked(rec, "NullPool closes on return")
	p.mu.Unlock()
	closeRaw(raw)
}

// Dispose does nothing: a NullPool holds no idle connections.
func (p *NullPool) Dispose() {}

// Close makes later checkouts fail with ErrPoolDisposed.
func (p *NullPool) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}
