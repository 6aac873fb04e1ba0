package pool_test

import (
	"context"
	"fmt"
	"io"
	"time"

	"ormlab/orm/pool"
)

type demoConn struct{}

func (demoConn) Close() error { return nil }

// A pool of 1 + 1 on a virtual clock: three goroutines want a connection for
// 20 s each. The third waits and is handed the first connection returned;
// the second one returned stays idle and the last return finds the pool full.
// It all happens at once in real time, and the same way on every run.
func ExampleVirtualClock() {
	vc := pool.NewVirtualClock()
	defer vc.Close()
	cfg := pool.DefaultConfig()
	cfg.Size, cfg.MaxOverflow, cfg.Clock = 1, 1, vc
	cfg.Listener = func(e pool.Event) {
		fmt.Printf("%5s %-8s conn %d  checked out %d, overflow %d, idle %d\n",
			e.At, e.Kind, e.Conn, e.CheckedOut, e.Overflow, e.Idle)
	}
	p, _ := pool.NewQueuePool(func(context.Context) (io.Closer, error) { return demoConn{}, nil }, cfg)
	for i := 0; i < 3; i++ {
		vc.Go(func() {
			c, err := p.Get(context.Background())
			if err != nil {
				fmt.Println(err)
				return
			}
			vc.Sleep(20 * time.Second)
			c.Close()
		})
	}
	vc.Wait()
	fmt.Println(p.Status())
	// Output:
	//    0s connect  conn 1  checked out 1, overflow 0, idle 0
	//    0s checkout conn 1  checked out 1, overflow 0, idle 0
	//    0s overflow conn 0  checked out 2, overflow 1, idle 0
	//    0s connect  conn 2  checked out 2, overflow 1, idle 0
	//    0s checkout conn 2  checked out 2, overflow 1, idle 0
	//    0s wait     conn 0  checked out 2, overflow 1, idle 0
	//   20s checkin  conn 1  checked out 2, overflow 1, idle 0
	//   20s checkin  conn 2  checked out 1, overflow 1, idle 1
	//   20s checkout conn 1  checked out 1, overflow 1, idle 1
	//   40s checkin  conn 1  checked out 0, overflow 0, idle 1
	//   40s close    conn 1  checked out 0, overflow 0, idle 1
	// Pool size: 1  Connections in pool: 1 Current Overflow: 0 Current Checked out connections: 0
}
