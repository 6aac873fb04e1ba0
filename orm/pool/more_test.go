package pool

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNullPool(t *testing.T) {
	_, srv, cfg, rec := setup(5, 10)
	p, err := NewNullPool(srv.dial, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, b := mustGet(t, p), mustGet(t, p)
	if open, _, _ := srv.counts(); open != 2 || ids(a, b) != "1,2" {
		t.Fatalf("open %d ids %s", open, ids(a, b))
	}
	a.Close()
	b.Close()
	if open, _, dials := srv.counts(); open != 0 || dials != 2 || srv.conns[0].rollbacks != 1 {
		t.Fatalf("NullPool must reset and close on return: open %d", open)
	}
	if c := mustGet(t, p); c.ID() != 3 {
		t.Fatalf("NullPool reused a connection: %d", c.ID())
	}
	wantStatus(t, p, "NullPool")
	if n := len(rec.kinds(EventClose)); n != 2 {
		t.Fatalf("%d close events", n)
	}
	p.Close()
	if _, err := p.Get(context.Background()); !errors.Is(err, ErrPoolDisposed) {
		t.Fatalf("err %v", err)
	}
}

func TestStaticPool(t *testing.T) {
	vc, srv, cfg, _ := setup(5, 10)
	srv.latency = time.Second
	p, err := NewStaticPool(srv.dial, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Two goroutines check out at once: one connection, connected once.
	var got [2]*Conn
	for i := range got {
		i := i
		vc.Go(func() { got[i] = mustGet(t, p) })
	}
	vc.Wait()
	if ids(got[0], got[1]) != "1,1" || got[0].Raw() != got[1].Raw() {
		t.Fatalf("StaticPool handed out %s", ids(got[0], got[1]))
	}
	if _, peak, dials := srv.counts(); peak != 1 || dials != 1 {
		t.Fatalf("peak %d dials %d", peak, dials)
	}
	wantStatus(t, p, "StaticPool")
	if st := p.Stats(); st.CheckedOut != 2 || st.Idle != 0 {
		t.Fatalf("stats %+v", st)
	}
	got[0].Close()
	got[1].Invalidate(errors.New("broken"))
	if c := mustGet(t, p); c.ID() != 2 {
		t.Fatalf("StaticPool did not reconnect after invalidation: %d", c.ID())
	}
	if open, _, _ := srv.counts(); open != 1 {
		t.Fatalf("open %d", open)
	}
	p.Close()
	if open, _, _ := srv.counts(); open != 0 {
		t.Fatalf("open %d after Close", open)
	}
}

// demo is a small teaching scenario: three workers share a pool of 1+1,
// holding connections for different virtual times; one of them times out.
func demo() []string {
	vc, srv, cfg, rec := setup(1, 1)
	cfg.Timeout = 5 * time.Second
	srv.latency = 100 * time.Millisecond
	p, _ := NewQueuePool(srv.dial, cfg)
	for i, hold := range []time.Duration{3 * time.Second, 10 * time.Second, 4 * time.Second, 2 * time.Second} {
		i, hold := i, hold
		vc.Go(func() {
			vc.Sleep(time.Duration(i) * 10 * time.Millisecond)
			c, err := p.Get(context.Background())
			if err != nil {
				rec.add(Event{At: vc.Since(), Kind: "worker-error", Detail: err.Error()})
				return
			}
			vc.Sleep(hold)
			c.Close()
		})
	}
	vc.Wait()
	rec.add(Event{At: vc.Since(), Kind: "status", Detail: p.Status()})
	return rec.lines()
}

func TestEventsAreDeterministicOnTheVirtualClock(t *testing.T) {
	first := demo()
	for i := 0; i < 20; i++ {
		if got := demo(); strings.Join(got, "\n") != strings.Join(first, "\n") {
			t.Fatalf("run %d differs:\n%s\n--- first:\n%s", i, strings.Join(got, "\n"), strings.Join(first, "\n"))
		}
	}
	// The story the trace must tell, worked out by hand: worker 0 connects
	// (100ms latency) and holds #1 for 3s; worker 1 overflows and holds #2
	// for 10s; worker 2 waits and gets #1 at 3.1s for 4s; worker 3 waits
	// from 30ms and times out at 5.03s; #2 comes back to a full pool.
	const timeout = "QueuePool limit of size 1 overflow 1 reached, connection timed out, timeout 5.00"
	want := []string{
		"10ms overflow #0 out=2 ov=1 idle=0 (overflow 1 of 1)",
		"20ms wait #0 out=2 ov=1 idle=0 (at the cap of 2 connections, waiting up to 5.00 s)",
		"30ms wait #0 out=2 ov=1 idle=0 (at the cap of 2 connections, waiting up to 5.00 s)",
		"100ms connect #1 out=2 ov=1 idle=0",
		"100ms checkout #1 out=2 ov=1 idle=0",
		"110ms connect #2 out=2 ov=1 idle=0",
		"110ms checkout #2 out=2 ov=1 idle=0",
		"3.1s reset #1 out=2 ov=1 idle=0 (rollback)",
		"3.1s checkin #1 out=2 ov=1 idle=0 (handed to a waiting checkout)",
		"3.1s checkout #1 out=2 ov=1 idle=0",
		"5.03s timeout #0 out=2 ov=1 idle=0 (" + timeout + ")",
		"5.03s worker-error #0 out=0 ov=0 idle=0 (" + timeout + ")",
		"7.1s reset #1 out=2 ov=1 idle=0 (rollback)",
		"7.1s checkin #1 out=1 ov=1 idle=1",
		"10.11s reset #2 out=1 ov=1 idle=1 (rollback)",
		"10.11s checkin #2 out=0 ov=0 idle=1 (pool full)",
		"10.11s close #2 out=0 ov=0 idle=1 (returned to a full pool)",
		"10.11s status #0 out=0 ov=0 idle=0 (Pool size: 1  Connections in pool: 1 Current Overflow: 0 Current Checked out connections: 0)",
	}
	if got := strings.Join(first, "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("trace:\n%s\n--- want:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestCancelWhileWaitingReturnsPromptlyAndLeaksNothing(t *testing.T) {
	srv := &fakeServer{clock: RealClock()}
	cfg := DefaultConfig()
	cfg.Size, cfg.MaxOverflow, cfg.Timeout = 1, 0, time.Hour
	p, err := NewQueuePool(srv.dial, cfg)
	if err != nil {
		t.Fatal(err)
	}
	held := mustGet(t, p)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := p.Get(ctx)
		errc <- err
	}()
	for p.Stats().Waiting == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-errc:
		var wce *WaitCanceledError
		if !errors.Is(err, context.Canceled) || !errors.As(err, &wce) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a canceled wait did not return")
	}
	if st := p.Stats(); st.Waiting != 0 || st.CheckedOut != 1 || st.Open != 1 {
		t.Fatalf("stats after cancel %+v", st)
	}
	held.Close()
	if c := mustGet(t, p); c.ID() != 1 {
		t.Fatalf("pool broken after a cancel: conn %d", c.ID())
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines, %d before: leaked", n, before)
	}
}

func TestCancelWhileWaitingOnTheVirtualClock(t *testing.T) {
	vc, srv, cfg, _ := setup(1, 0)
	p := mustQueue(t, srv, cfg)
	held := mustGet(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	var err error
	vc.Go(func() { _, err = p.Get(ctx) })
	vc.Go(func() {
		vc.Sleep(time.Second)
		cancel() // the program is being stopped
		vc.Sleep(time.Second)
	})
	vc.Wait()
	if !errors.Is(err, context.Canceled) || vc.Since() != 2*time.Second {
		t.Fatalf("err %v at %s, want canceled, no 30s wait", err, vc.Since())
	}
	if st := p.Stats(); st.Waiting != 0 || st.Open != 1 {
		t.Fatalf("stats %+v", st)
	}
	held.Close()
}

func TestHammerRealClock(t *testing.T) {
	const size, overflow, workers = 3, 2, 100
	srv := &fakeServer{clock: RealClock()}
	cfg := DefaultConfig()
	cfg.Size, cfg.MaxOverflow, cfg.Timeout = size, overflow, 20*time.Millisecond
	cfg.Reset = reset
	cfg.PrePing, cfg.Ping = true, ping
	var maxOut, maxIdle atomic.Int64
	cfg.Listener = func(e Event) { // called under the pool's lock
		if int64(e.CheckedOut) > maxOut.Load() {
			maxOut.Store(int64(e.CheckedOut))
		}
		if int64(e.Idle) > maxIdle.Load() {
			maxIdle.Store(int64(e.Idle))
		}
	}
	p, err := NewQueuePool(srv.dial, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var gets, timeouts atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(w)))
			for i := 0; i < 30; i++ {
				c, err := p.Get(context.Background())
				if errors.Is(err, ErrTimeout) {
					timeouts.Add(1)
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				gets.Add(1)
				if r.Intn(4) == 0 {
					runtime.Gosched()
				}
				if r.Intn(50) == 0 {
					c.Invalidate(errors.New("random failure"))
				} else {
					c.Close()
				}
			}
		}(w)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("deadlock: %s", p.Status())
	}
	_, peak, _ := srv.counts()
	st := p.Stats()
	if peak > size+overflow || st.PeakOpen > size+overflow || maxOut.Load() > size+overflow {
		t.Fatalf("more than %d connections open: server peak %d, pool peak %d, checked out %d", size+overflow, peak, st.PeakOpen, maxOut.Load())
	}
	if maxIdle.Load() > size {
		t.Fatalf("%d connections idle in a pool of size %d", maxIdle.Load(), size)
	}
	if st.CheckedOut != 0 || st.Waiting != 0 || st.Idle > size || st.Overflow > 0 {
		t.Fatalf("not every checkout came back: %+v (%s)", st, p.Status())
	}
	if open, _, _ := srv.counts(); open != st.Open {
		t.Fatalf("server has %d open, pool thinks %d", open, st.Open)
	}
	if gets.Load()+timeouts.Load() != workers*30 || gets.Load() == 0 {
		t.Fatalf("gets %d timeouts %d", gets.Load(), timeouts.Load())
	}
	t.Logf("%d checkouts, %d timeouts, peak open %d, %s", gets.Load(), timeouts.Load(), peak, p.Status())
	p.Close()
	if open, _, _ := srv.counts(); open != 0 {
		t.Fatalf("open %d after Close", open)
	}
}

func TestHammerVirtualClockIsDeterministic(t *testing.T) {
	run := func() (string, int) {
		vc, srv, cfg, rec := setup(2, 3)
		cfg.Timeout = 2 * time.Second
		cfg.Recycle = 5 * time.Second
		srv.latency = 50 * time.Millisecond
		p, _ := NewQueuePool(srv.dial, cfg)
		for w := 0; w < 100; w++ {
			w := w
			vc.Go(func() {
				r := rand.New(rand.NewSource(int64(w)))
				for i := 0; i < 5; i++ {
					c, err := p.Get(context.Background())
					if err != nil {
						continue
					}
					vc.Sleep(time.Duration(r.Intn(300)) * time.Millisecond)
					c.Close()
				}
			})
		}
		vc.Wait()
		for _, e := range rec.events {
			if e.Idle > 2 || e.CheckedOut > 5 {
				t.Fatalf("invariant broken at %s", fmtEvent(e))
			}
		}
		_, peak, _ := srv.counts()
		if st := p.Stats(); st.CheckedOut != 0 || st.Waiting != 0 {
			t.Errorf("stats %+v", st)
		}
		return strings.Join(rec.lines(), "\n") + "\n" + fmt.Sprint(vc.Since()), peak
	}
	a, peak := run()
	if peak > 5 {
		t.Fatalf("peak %d > 5", peak)
	}
	for i := 0; i < 3; i++ {
		if b, _ := run(); a != b {
			t.Fatal("two runs of the same virtual-clock program gave different traces")
		}
	}
	if !strings.Contains(a, " timeout ") || !strings.Contains(a, " recycle ") {
		t.Fatal("the scenario should exercise timeouts and recycles")
	}
}

func TestRealClockTimeoutsExpireInOrder(t *testing.T) {
	srv := &fakeServer{clock: RealClock()}
	cfg := DefaultConfig()
	cfg.Size, cfg.MaxOverflow, cfg.Timeout = 1, 0, 30*time.Millisecond
	p, err := NewQueuePool(srv.dial, cfg)
	if err != nil {
		t.Fatal(err)
	}
	held := mustGet(t, p)
	start := time.Now()
	errs := make(chan error, 3)
	for i := 0; i < 3; i++ {
		go func() {
			_, err := p.Get(context.Background())
			errs <- err
		}()
		time.Sleep(10 * time.Millisecond)
	}
	for i := 0; i < 3; i++ {
		if err := <-errs; !errors.Is(err, ErrTimeout) {
			t.Fatalf("waiter %d: %v", i, err)
		}
	}
	if el := time.Since(start); el < 50*time.Millisecond {
		t.Fatalf("three staggered 30ms waits ended after %s: a waiter expired early", el)
	}
	if st := p.Stats(); st.Waiting != 0 || st.Timeouts != 3 {
		t.Fatalf("stats %+v", st)
	}
	held.Close()
	// A waiter still gets a connection returned before its deadline.
	held = mustGet(t, p)
	go func() { time.Sleep(5 * time.Millisecond); held.Close() }()
	if c := mustGet(t, p); c.ID() != 1 {
		t.Fatalf("conn %d", c.ID())
	}
}

func TestGetWithAnEndedContextHandsOutNothing(t *testing.T) {
	_, srv, cfg, _ := setup(2, 0)
	p := mustQueue(t, srv, cfg)
	mustGet(t, p).Close() // one idle connection available
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, err := p.Get(ctx)
	if c != nil || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "QueuePool") {
		t.Fatalf("Get with a canceled context: %v, %v", c, err)
	}
	if st := p.Stats(); st.CheckedOut != 0 || st.Idle != 1 || st.Open != 1 {
		t.Fatalf("stats %+v", st)
	}
}
