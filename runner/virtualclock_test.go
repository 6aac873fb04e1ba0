package runner_test

import (
	"strings"
	"testing"

	"ormlab/runner/trace"
)

// A pool demo on orm.NewVirtualClock: a 30 s timeout happens in virtual
// time, the pool events in the trace carry virtual times, and two runs give
// the same output.
func TestVirtualClockDemo(t *testing.T) {
	src := `package main

import (
	"fmt"
	"time"

	"ormlab/orm"
)

func main() {
	clock := orm.NewVirtualClock()
	e, err := orm.CreateEngine("sqlite://", orm.WithClock(clock), orm.PoolSize(1), orm.MaxOverflow(0), orm.PoolTimeout(30*time.Second))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"a", "b"} {
		clock.Go(func() {
			c, err := e.Connect()
			if err != nil {
				fmt.Println(clock.Since(), name, err)
				return
			}
			clock.Sleep(time.Minute)
			c.Close()
			fmt.Println(clock.Since(), name, "done")
		})
	}
	clock.Wait()
}
`
	tr := run1(t, src)
	if tr.Error != nil {
		t.Fatalf("%+v", *tr.Error)
	}
	want := "30s b QueuePool limit of size 1 overflow 0 reached, connection timed out, timeout 30.00\n1m0s a done\n"
	if tr.Stdout != want {
		t.Fatalf("output %q, want %q", tr.Stdout, want)
	}
	var timeout *trace.PoolEvent
	for i, p := range tr.Pool {
		if p.Event == "timeout" {
			timeout = &tr.Pool[i]
		}
	}
	if timeout == nil || timeout.TMS != 30000 {
		t.Fatalf("timeout event at virtual 30,000 ms: %+v", timeout)
	}
	if again := run1(t, src); again.Stdout != tr.Stdout {
		t.Fatalf("second run differs: %q", again.Stdout)
	}
}

// A panic in a goroutine started with clock.Go ends the program with the
// panic as its error (as in Go), not the process; a program that forgets
// clock.Wait and leaves a goroutine parked on the clock still finishes.
func TestVirtualClockPanicAndLeftovers(t *testing.T) {
	tr := run1(t, `package main

import "ormlab/orm"

func main() {
	clock := orm.NewVirtualClock()
	clock.Go(func() { panic("boom in a demo goroutine") })
	clock.Wait()
}
`)
	if tr.Error == nil || tr.Error.Kind != trace.ErrRuntime || !strings.Contains(tr.Error.Message, "boom in a demo goroutine") {
		t.Fatalf("panic in clock.Go: %+v", tr.Error)
	}
	tr = run1(t, `package main

import (
	"fmt"
	"time"

	"ormlab/orm"
)

func main() {
	clock := orm.NewVirtualClock()
	clock.Go(func() { clock.Sleep(time.Hour); fmt.Println("never printed") })
	fmt.Println("main ends without Wait")
}
`)
	if tr.Error != nil || tr.Stdout != "main ends without Wait\n" {
		t.Fatalf("leftover participant: %+v %q", tr.Error, tr.Stdout)
	}
}
