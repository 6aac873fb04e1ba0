package pool

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigIsSQLAlchemys(t *testing.T) {
	c := DefaultConfig()
	if c.Size != 5 || c.MaxOverflow != 10 || c.Timeout != 30*time.Second || c.Recycle > 0 ||
		c.PrePing || c.UseLIFO || c.ResetOnReturn != ResetRollback {
		t.Fatalf("DefaultConfig() = %+v, want pool_size 5, max_overflow 10, timeout 30s, no recycle, no pre-ping, FIFO, rollback", c)
	}
}

func TestOverflowCountsFromMinusSizeAndStatusWording(t *testing.T) {
	_, srv, cfg, _ := setup(5, 10)
	p := mustQueue(t, srv, cfg)
	wantStatus(t, p, "Pool size: 5  Connections in pool: 0 Current Overflow: -5 Current Checked out connections: 0")
	a := mustGet(t, p)
	b := mustGet(t, p)
	wantStatus(t, p, "Pool size: 5  Connections in pool: 0 Current Overflow: -3 Current Checked out connections: 2")
	a.Close()
	wantStatus(t, p, "Pool size: 5  Connections in pool: 1 Current Overflow: -3 Current Checked out connections: 1")
	b.Close()
	st := p.Stats()
	if st.Idle != 2 || st.CheckedOut != 0 || st.Overflow != -3 || st.Open != 2 {
		t.Fatalf("Stats = %+v", st)
	}
}

func TestCheckoutBlocksOnlyAtTheHardCapThenTimesOut(t *testing.T) {
	vc, srv, cfg, rec := setup(2, 1)
	p := mustQueue(t, srv, cfg)
	var held []*Conn
	for i := 0; i < 3; i++ {
		held = append(held, mustGet(t, p))
	}
	if w := rec.kinds(EventWait); len(w) != 0 {
		t.Fatalf("checkouts below the cap waited: %v", w)
	}
	if ov := rec.kinds(EventOverflow); len(ov) != 1 || ov[0].Overflow != 1 {
		t.Fatalf("overflow events = %v, want one at overflow 1", ov)
	}
	_, err := p.Get(context.Background())
	const msg = "QueuePool limit of size 2 overflow 1 reached, connection timed out, timeout 30.00"
	var te *TimeoutError
	if !errors.Is(err, ErrTimeout) || !errors.As(err, &te) || err.Error() != msg {
		t.Fatalf("4th checkout: err = %v, want %q", err, msg)
	}
	if got := vc.Since(); got != 30*time.Second {
		t.Fatalf("virtual time after the timeout = %s, want 30s", got)
	}
	to := rec.kinds(EventTimeout)
	if len(to) != 1 || to[0].At != 30*time.Second || len(rec.kinds(EventWait)) != 1 {
		t.Fatalf("timeout events = %v", to)
	}
	for _, c := range held {
		c.Close()
	}
	if st := p.Stats(); st.CheckedOut != 0 || st.Waiting != 0 || st.Timeouts != 1 {
		t.Fatalf("Stats = %+v", st)
	}
}

func TestDefaultTimeoutMessage(t *testing.T) {
	_, srv, cfg, _ := setup(5, 10)
	p := mustQueue(t, srv, cfg)
	for i := 0; i < 15; i++ {
		mustGet(t, p)
	}
	_, err := p.Get(context.Background())
	if err == nil || err.Error() != "QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00" {
		t.Fatalf("err = %v", err)
	}
}

func TestTimeoutZeroFailsAtOnce(t *testing.T) {
	vc, srv, cfg, rec := setup(1, 0)
	cfg.Timeout = 0
	p := mustQueue(t, srv, cfg)
	mustGet(t, p)
	if _, err := p.Get(context.Background()); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if vc.Since() != 0 || len(rec.kinds(EventWait)) != 0 {
		t.Fatalf("timeout 0 waited: t=%s", vc.Since())
	}
}

func TestWaiterGetsTheReturnedConnection(t *testing.T) {
	vc, srv, cfg, rec := setup(1, 0)
	p := mustQueue(t, srv, cfg)
	held := mustGet(t, p)
	vc.Go(func() {
		vc.Sleep(10 * time.Second)
		held.Close()
	})
	c := mustGet(t, p) // waits at the cap until the goroutine returns held
	if vc.Since() != 10*time.Second || c.ID() != held.ID() {
		t.Fatalf("got conn %d at %s, want conn %d at 10s", c.ID(), vc.Since(), held.ID())
	}
	if w := rec.kinds(EventWait); len(w) != 1 || w[0].At != 0 {
		t.Fatalf("wait events = %v", w)
	}
	c.Close()
	vc.Wait()
	wantStatus(t, p, "Pool size: 1  Connections in pool: 1 Current Overflow: 0 Current Checked out connections: 0")
}

func TestFIFOAndLIFO(t *testing.T) {
	for _, lifo := range []bool{false, true} {
		_, srv, cfg, _ := setup(3, 0)
		cfg.UseLIFO = lifo
		p := mustQueue(t, srv, cfg)
		a, b, c := mustGet(t, p), mustGet(t, p), mustGet(t, p)
		a.Close()
		b.Close()
		c.Close()
		got := ids(mustGet(t, p), mustGet(t, p), mustGet(t, p))
		want := map[bool]string{false: "1,2,3", true: "3,2,1"}[lifo]
		if got != want {
			t.Fatalf("UseLIFO=%v: checkout order %s, want %s", lifo, got, want)
		}
	}
}

func TestFailedConnectGivesTheOverflowSlotBack(t *testing.T) {
	_, srv, cfg, rec := setup(2, 0)
	p := mustQueue(t, srv, cfg)
	srv.failDials = 1
	_, err := p.Get(context.Background())
	var ce *ConnectError
	if !errors.As(err, &ce) || !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "QueuePool") {
		t.Fatalf("err = %v, want a ConnectError wrapping the refusal", err)
	}
	wantStatus(t, p, "Pool size: 2  Connections in pool: 0 Current Overflow: -2 Current Checked out connections: 0")
	if f := rec.kinds(EventConnect); len(f) != 1 || f[0].Conn != 0 || !strings.Contains(f[0].Detail, "refused") {
		t.Fatalf("connect events = %v", f)
	}
	a, b := mustGet(t, p), mustGet(t, p) // both slots usable again
	if ids(a, b) != "1,2" {
		t.Fatalf("ids %s", ids(a, b))
	}
}

func TestFreedSlotGoesToAWaiter(t *testing.T) {
	// One connection checked out, a second checkout connecting slowly and
	// failing: the waiter behind it must get the freed slot, not time out.
	vc, srv, cfg, _ := setup(1, 1)
	srv.latency = time.Second
	p := mustQueue(t, srv, cfg)
	held := mustGet(t, p) // t=1s
	var failErr error
	vc.Go(func() {
		srv.failDials = 1
		_, failErr = p.Get(context.Background()) // takes the last slot, fails at t=2s
	})
	vc.Sleep(0) // let it start connecting
	c, err := p.Get(context.Background())
	if err != nil || failErr == nil {
		t.Fatalf("waiter: %v; failing checkout: %v", err, failErr)
	}
	if vc.Since() != 3*time.Second {
		t.Fatalf("waiter got a connection at %s, want 3s (slot freed at 2s, 1s to connect)", vc.Since())
	}
	c.Close()
	held.Close()
	vc.Wait()
}

func TestRecycleOnCheckoutWhenOlderThanPoolRecycle(t *testing.T) {
	vc, srv, cfg, rec := setup(1, 0)
	cfg.Recycle = time.Hour
	p := mustQueue(t, srv, cfg)
	mustGet(t, p).Close()
	vc.Advance(time.Hour)
	c := mustGet(t, p)
	if c.ID() != 1 {
		t.Fatalf("exactly pool_recycle old must not recycle (SQLAlchemy compares with >); got conn %d", c.ID())
	}
	c.Close()
	vc.Advance(time.Second)
	c = mustGet(t, p)
	if c.ID() != 2 {
		t.Fatalf("after 1h1s got conn %d, want a recycled conn 2", c.ID())
	}
	r := rec.kinds(EventRecycle)
	if len(r) != 1 || r[0].Conn != 1 || r[0].At != time.Hour+time.Second {
		t.Fatalf("recycle events = %v", r)
	}
	if open, _, _ := srv.counts(); open != 1 || !srv.conns[0].closed {
		t.Fatalf("old connection not closed: open=%d", open)
	}
}

func TestPrePingInvalidatesThePoolOnDisconnect(t *testing.T) {
	_, srv, cfg, rec := setup(3, 0)
	cfg.PrePing = true
	pings := 0
	cfg.Ping = func(ctx context.Context, raw io.Closer) error { pings++; return ping(ctx, raw) }
	p := mustQueue(t, srv, cfg)
	a, b, c := mustGet(t, p), mustGet(t, p), mustGet(t, p)
	if pings != 0 {
		t.Fatalf("fresh connections must not be pinged, got %d pings", pings)
	}
	a.Close()
	b.Close()
	c.Close()
	srv.dropAll() // the server restarted
	d := mustGet(t, p)
	if d.ID() != 4 || pings != 1 {
		t.Fatalf("after the drop: conn %d, %d pings; want conn 4 after 1 ping", d.ID(), pings)
	}
	// The other two pooled connections predate the disconnect: they are
	// reconnected on checkout without a ping.
	e, f := mustGet(t, p), mustGet(t, p)
	if ids(e, f) != "5,6" || pings != 1 {
		t.Fatalf("conns %s after %d pings, want 5,6 after 1", ids(e, f), pings)
	}
	if inv := rec.kinds(EventInvalidate); len(inv) != 1 || inv[0].Conn != 1 {
		t.Fatalf("invalidate events = %v", inv)
	}
	if rc := rec.kinds(EventRecycle); len(rc) != 2 {
		t.Fatalf("recycle events = %v, want 2 (pool-wide invalidation)", rc)
	}
	d.Close()
	e.Close()
	f.Close()
	// Connections opened after the invalidation are pinged normally again.
	g := mustGet(t, p)
	if g.ID() != 4 || pings != 2 {
		t.Fatalf("conn %d pings %d", g.ID(), pings)
	}
	if open, _, _ := srv.counts(); open != 3 {
		t.Fatalf("open = %d, want 3", open)
	}
}

func TestPrePingOtherErrorFailsTheCheckout(t *testing.T) {
	_, srv, cfg, _ := setup(1, 0)
	cfg.PrePing = true
	boom := errors.New("permission denied for SELECT 1")
	fail := false
	cfg.Ping = func(ctx context.Context, raw io.Closer) error {
		if fail {
			return boom
		}
		return nil
	}
	cfg.IsDisconnect = func(err error) bool { return errors.Is(err, ErrDisconnect) }
	p := mustQueue(t, srv, cfg)
	mustGet(t, p).Close()
	fail = true
	_, err := p.Get(context.Background())
	var pe *PingError
	if !errors.As(err, &pe) || !errors.Is(err, boom) {
		t.Fatalf("err = %v, want a PingError", err)
	}
	wantStatus(t, p, "Pool size: 1  Connections in pool: 1 Current Overflow: 0 Current Checked out connections: 0")
	fail = false
	if c := mustGet(t, p); c.ID() != 2 {
		t.Fatalf("slot did not reconnect: conn %d", c.ID())
	}
}

func TestInvalidate(t *testing.T) {
	_, srv, cfg, rec := setup(3, 0)
	p := mustQueue(t, srv, cfg)
	a, b, c := mustGet(t, p), mustGet(t, p), mustGet(t, p)
	b.Close()
	c.Close()
	a.Invalidate(errors.New("bad data")) // not a disconnect: only a
	if a.Raw() != nil || !srv.conns[0].closed || srv.conns[1].closed {
		t.Fatal("plain Invalidate must close only its own connection")
	}
	wantStatus(t, p, "Pool size: 3  Connections in pool: 3 Current Overflow: 0 Current Checked out connections: 0")
	x, y, z := mustGet(t, p), mustGet(t, p), mustGet(t, p) // FIFO: 2, 3, then the invalidated slot
	if ids(x, y, z) != "2,3,4" {
		t.Fatalf("ids %s, want 2,3,4", ids(x, y, z))
	}
	y.Close()
	z.Close()
	x.Invalidate(errors.Join(errors.New("server closed the connection"), ErrDisconnect))
	u, v, w := mustGet(t, p), mustGet(t, p), mustGet(t, p)
	if ids(u, v, w) != "5,6,7" {
		t.Fatalf("after a disconnect every older connection must reconnect: ids %s", ids(u, v, w))
	}
	if n := len(rec.kinds(EventInvalidate)); n != 2 {
		t.Fatalf("%d invalidate events, want 2", n)
	}
	if open, _, _ := srv.counts(); open != 3 {
		t.Fatalf("open = %d, want 3", open)
	}
}

func TestResetOnReturn(t *testing.T) {
	for _, mode := range []ResetMode{ResetRollback, ResetCommit, ResetNone} {
		_, srv, cfg, rec := setup(1, 0)
		cfg.ResetOnReturn = mode
		p := mustQueue(t, srv, cfg)
		mustGet(t, p).Close()
		c := mustGet(t, p)
		c.SkipReset() // transaction already ended: no reset
		c.Close()
		fc := srv.conns[0]
		want := map[ResetMode][2]int{ResetRollback: {1, 0}, ResetCommit: {0, 1}, ResetNone: {0, 0}}[mode]
		if fc.rollbacks != want[0] || fc.commits != want[1] {
			t.Fatalf("%s: rollbacks %d commits %d, want %v", mode, fc.rollbacks, fc.commits, want)
		}
		if n := len(rec.kinds(EventReset)); n != want[0]+want[1] {
			t.Fatalf("%s: %d reset events", mode, n)
		}
	}
	// A failing reset invalidates the connection.
	_, srv, cfg, _ := setup(1, 0)
	p := mustQueue(t, srv, cfg)
	c := mustGet(t, p)
	srv.dropAll()
	if err := c.Close(); err == nil || !strings.Contains(err.Error(), "rollback on return") {
		t.Fatalf("Close err = %v", err)
	}
	if !srv.conns[0].closed || mustGet(t, p).ID() != 2 {
		t.Fatal("connection with a failed reset was not replaced")
	}
}

func TestReturnToAFullQueueClosesTheConnection(t *testing.T) {
	_, srv, cfg, _ := setup(1, 2)
	p := mustQueue(t, srv, cfg)
	a, b, c := mustGet(t, p), mustGet(t, p), mustGet(t, p)
	wantStatus(t, p, "Pool size: 1  Connections in pool: 0 Current Overflow: 2 Current Checked out connections: 3")
	a.Close()
	b.Close()
	c.Close()
	wantStatus(t, p, "Pool size: 1  Connections in pool: 1 Current Overflow: 0 Current Checked out connections: 0")
	if open, _, _ := srv.counts(); open != 1 || !srv.conns[1].closed || !srv.conns[2].closed {
		t.Fatalf("open = %d, want only conn 1 kept", open)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close must be a no-op: %v", err)
	}
	wantStatus(t, p, "Pool size: 1  Connections in pool: 1 Current Overflow: 0 Current Checked out connections: 0")
}

func TestDispose(t *testing.T) {
	_, srv, cfg, _ := setup(3, 0)
	p := mustQueue(t, srv, cfg)
	a, b := mustGet(t, p), mustGet(t, p)
	b.Close()
	p.Dispose()
	if open, _, _ := srv.counts(); open != 1 || !srv.conns[1].closed {
		t.Fatalf("Dispose must close idle connections: open %d", open)
	}
	wantStatus(t, p, "Pool size: 3  Connections in pool: 0 Current Overflow: -2 Current Checked out connections: 1")
	a.Close()
	if open, _, _ := srv.counts(); open != 0 {
		t.Fatalf("a connection checked out at Dispose must close on return: open %d", open)
	}
	wantStatus(t, p, "Pool size: 3  Connections in pool: 0 Current Overflow: -3 Current Checked out connections: 0")
	if c := mustGet(t, p); c.ID() != 3 {
		t.Fatalf("pool unusable after Dispose: conn %d", c.ID())
	}
}

func TestCloseFailsWaitersAndLaterCheckouts(t *testing.T) {
	vc, srv, cfg, _ := setup(1, 0)
	p := mustQueue(t, srv, cfg)
	held := mustGet(t, p)
	var werr error
	vc.Go(func() { _, werr = p.Get(context.Background()) })
	vc.Sleep(time.Second) // the goroutine is now waiting
	p.Close()
	vc.Wait()
	if !errors.Is(werr, ErrPoolDisposed) {
		t.Fatalf("waiter err = %v", werr)
	}
	if _, err := p.Get(context.Background()); !errors.Is(err, ErrPoolDisposed) {
		t.Fatalf("Get after Close: %v", err)
	}
	held.Close()
	if open, _, _ := srv.counts(); open != 0 {
		t.Fatalf("open = %d after Close and return", open)
	}
	if vc.Since() != time.Second {
		t.Fatalf("t = %s", vc.Since())
	}
}

func TestSizeZeroMeansNoLimit(t *testing.T) {
	_, srv, cfg, rec := setup(0, 10)
	p := mustQueue(t, srv, cfg)
	var cs []*Conn
	for i := 0; i < 50; i++ {
		cs = append(cs, mustGet(t, p))
	}
	wantStatus(t, p, "Pool size: 0  Connections in pool: 0 Current Overflow: 0 Current Checked out connections: 50")
	for _, c := range cs {
		c.Close()
	}
	wantStatus(t, p, "Pool size: 0  Connections in pool: 50 Current Overflow: 0 Current Checked out connections: 0")
	if len(rec.kinds(EventWait)) != 0 || len(rec.kinds(EventOverflow)) != 0 {
		t.Fatal("size 0 must never wait nor overflow")
	}
}

func TestMaxOverflowMinusOneMeansNoOverflowLimit(t *testing.T) {
	_, srv, cfg, _ := setup(2, -1)
	p := mustQueue(t, srv, cfg)
	var cs []*Conn
	for i := 0; i < 20; i++ {
		cs = append(cs, mustGet(t, p))
	}
	wantStatus(t, p, "Pool size: 2  Connections in pool: 0 Current Overflow: 18 Current Checked out connections: 20")
	for _, c := range cs {
		c.Close()
	}
	if open, _, _ := srv.counts(); open != 2 {
		t.Fatalf("open = %d, want 2 kept", open)
	}
}

func TestInvalidConfig(t *testing.T) {
	_, srv, _, _ := setup(1, 0)
	for _, tc := range []struct {
		field string
		mod   func(*Config)
	}{
		{"Size", func(c *Config) { c.Size = -1 }},
		{"MaxOverflow", func(c *Config) { c.MaxOverflow = -2 }},
		{"Timeout", func(c *Config) { c.Timeout = -time.Second }},
		{"ResetOnReturn", func(c *Config) { c.ResetOnReturn = 7 }},
		{"Ping", func(c *Config) { c.PrePing = true; c.Ping = nil }},
	} {
		cfg := DefaultConfig()
		tc.mod(&cfg)
		_, err := NewQueuePool(srv.dial, cfg)
		var ce *ConfigError
		if !errors.Is(err, ErrInvalidConfig) || !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.field) || !strings.Contains(err.Error(), "QueuePool") {
			t.Errorf("%s: err = %v", tc.field, err)
		}
	}
	if _, err := NewQueuePool(nil, DefaultConfig()); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("nil dialer: %v", err)
	}
	if _, err := NewNullPool(nil, DefaultConfig()); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("NullPool nil dialer: %v", err)
	}
}
