package pool

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestVirtualSleepRunsInDeadlineOrder(t *testing.T) {
	vc := NewVirtualClock()
	var log []string
	for _, d := range []int{3, 1, 2, 1} {
		d := d
		vc.Go(func() {
			vc.Sleep(time.Duration(d) * time.Second)
			log = append(log, fmt.Sprintf("%d@%s", d, vc.Since()))
		})
	}
	vc.Wait()
	if got := strings.Join(log, " "); got != "1@1s 1@1s 2@2s 3@3s" {
		t.Fatalf("order %q", got)
	}
	if vc.Since() != 3*time.Second {
		t.Fatalf("t = %s", vc.Since())
	}
}

func TestVirtualGoRunsOneAtATimeInFIFOOrder(t *testing.T) {
	vc := NewVirtualClock()
	var log []string
	for i := 0; i < 3; i++ {
		i := i
		vc.Go(func() {
			log = append(log, fmt.Sprint("a", i))
			vc.Sleep(0) // yield: the others run first
			log = append(log, fmt.Sprint("b", i))
		})
	}
	log = append(log, "main") // nobody else has run yet
	vc.Wait()
	if got := strings.Join(log, " "); got != "main a0 a1 a2 b0 b1 b2" {
		t.Fatalf("order %q", got)
	}
}

func TestVirtualAdvance(t *testing.T) {
	vc := NewVirtualClock()
	woke := time.Duration(-1)
	vc.Go(func() { vc.Sleep(30 * time.Minute); woke = vc.Since() })
	vc.Advance(time.Hour)
	if woke != 30*time.Minute || vc.Since() != time.Hour {
		t.Fatalf("woke at %s, now %s", woke, vc.Since())
	}
	if !vc.Now().Equal(VirtualEpoch.Add(time.Hour)) {
		t.Fatalf("Now = %s", vc.Now())
	}
}

func TestVirtualWaiter(t *testing.T) {
	vc := NewVirtualClock()
	w := vc.NewWaiter(5 * time.Second)
	vc.Go(func() {
		vc.Sleep(2 * time.Second)
		if !w.Wake() {
			t.Error("Wake lost against a 5s timeout at 2s")
		}
		if w.Wake() {
			t.Error("second Wake won")
		}
	})
	if r := w.Wait(context.Background()); r != Woken || vc.Since() != 2*time.Second {
		t.Fatalf("result %v at %s", r, vc.Since())
	}
	w2 := vc.NewWaiter(5 * time.Second)
	if r := w2.Wait(context.Background()); r != TimedOut || vc.Since() != 7*time.Second {
		t.Fatalf("result %v at %s", r, vc.Since())
	}
	if w2.Wake() {
		t.Fatal("Wake after the timeout won")
	}
	vc.Wait()
}

func TestVirtualCloseReleasesParkedGoroutines(t *testing.T) {
	vc := NewVirtualClock()
	done := make(chan struct{})
	go func() {
		// A participant parked for good: no timer, nobody to wake it.
		vc.NewWaiter(-1).Wait(context.Background())
		close(done)
	}()
	vc.Go(func() { vc.NewWaiter(-1).Wait(context.Background()) })
	vc.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release a parked waiter")
	}
	vc.Sleep(time.Hour) // returns at once after Close
	vc.Wait()
}

func TestRealClockWaiter(t *testing.T) {
	c := RealClock()
	w := c.NewWaiter(time.Hour)
	c.Go(func() { w.Wake() })
	if r := w.Wait(context.Background()); r != Woken {
		t.Fatalf("result %v", r)
	}
	c.Wait()
	if r := c.NewWaiter(time.Millisecond).Wait(context.Background()); r != TimedOut {
		t.Fatalf("result %v, want TimedOut", r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := c.NewWaiter(-1).Wait(ctx); r != Canceled {
		t.Fatalf("result %v, want Canceled", r)
	}
	before := runtime.NumGoroutine()
	c.Go(func() {})
	c.Wait()
	if runtime.NumGoroutine() > before+1 {
		t.Fatal("goroutines left behind")
	}
}

func TestVirtualDeadlockIsReported(t *testing.T) {
	vc := NewVirtualClock()
	deadlock := make(chan struct{}, 1)
	vc.OnDeadlock(func() { deadlock <- struct{}{} })
	vc.Go(func() { vc.Sleep(time.Second) }) // ends normally: no deadlock
	vc.Wait()
	select {
	case <-deadlock:
		t.Fatal("deadlock reported for a program that finished")
	default:
	}
	w := vc.NewWaiter(-1)
	vc.Go(func() { w.Wait(context.Background()) }) // nobody will ever Wake it
	go vc.Wait()
	select {
	case <-deadlock:
	case <-time.After(5 * time.Second):
		t.Fatal("deadlock not reported")
	}
	if !vc.Idle() {
		t.Fatal("Idle() false in a deadlock")
	}
	vc.Close()
}
