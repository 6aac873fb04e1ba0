// Lesson 12, solved: one more overflow connection, and nobody gives up.
package main

import (
	"fmt"
	"time"

	"ormlab/orm"
)

func main() {
	// A virtual clock: waiting takes no real time, and the story below
	// happens in the same order on every run.
	clock := orm.NewVirtualClock()

	// At most 2 connections kept, 1 more in a rush, and a checkout waits
	// 30 seconds for a free one before giving up (SQLAlchemy's default).
	engine, err := orm.CreateEngine("sqlite://", orm.WithClock(clock),
		orm.PoolSize(2), orm.MaxOverflow(2), orm.PoolTimeout(30*time.Second))
	if err != nil {
		fmt.Println("engine:", err)
		return
	}
	say := func(format string, args ...any) {
		fmt.Printf("%5s  %s\n", clock.Since(), fmt.Sprintf(format, args...))
	}

	// Each worker arrives at a given time, checks out a connection, runs a
	// query, holds the connection for a while and gives it back.
	worker := func(name string, arrive, hold time.Duration) {
		clock.Go(func() {
			clock.Sleep(arrive)
			conn, err := engine.Connect()
			if err != nil {
				say("%s gave up: %v", name, err)
				return
			}
			if _, err := conn.Execute(orm.Text("SELECT 1")); err != nil {
				say("%s: %v", name, err)
			}
			say("%s checked out connection #%d", name, conn.ID())
			say("     %s", engine.Pool().Status())
			clock.Sleep(hold)
			conn.Close() // back to the pool: it stays open for the next user
			say("%s returned connection #%d", name, conn.ID())
		})
	}
	worker("A", 0, 10*time.Second)
	worker("B", 1*time.Second, 40*time.Second)
	worker("C", 2*time.Second, 40*time.Second) // the pool is full: overflow
	worker("D", 3*time.Second, 40*time.Second) // waits for A
	worker("E", 4*time.Second, 5*time.Second)  // waits, and nobody comes back in time
	clock.Wait()

	say("all done: %s", engine.Pool().Status())
	st := engine.Pool().Stats()
	fmt.Printf("opened %d, closed %d, checkouts %d, waits %d, timeouts %d\n",
		st.Connects, st.Closes, st.Checkouts, st.Waits, st.Timeouts)
}
