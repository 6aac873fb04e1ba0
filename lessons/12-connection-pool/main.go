// Lesson 12: a connection pool — connections are reused, capped, and waited for.
package main

import (
	"fmt"
	"time"

	"ormlab/orm"
)

func main() {
	// At most 2 connections kept, 1 more in a rush, and a checkout waits
	// 50 ms for a free one before giving up.
	engine, err := orm.CreateEngine("sqlite://",
		orm.PoolSize(2), orm.MaxOverflow(1), orm.PoolTimeout(50*time.Millisecond))
	if err != nil {
		fmt.Println("engine:", err)
		return
	}
	status := func() { fmt.Println("   ", engine.Pool().Status()) }
	status()

	// Three workers each check out a connection and hold it.
	workers := map[string]*worker{}
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		workers[name] = &worker{name: name, events: make(chan string), release: make(chan bool)}
	}
	for _, name := range []string{"A", "B", "C"} {
		go workers[name].run(engine)
		fmt.Println(<-workers[name].events)
		status()
	}

	// D finds the pool at its limit and waits; A lets go, D gets A's connection.
	go workers["D"].run(engine)
	for i := 0; i < 200 && engine.Pool().Stats().Waiting == 0; i++ {
		time.Sleep(time.Millisecond) // give D time to start waiting
	}
	fmt.Println("goroutines waiting:", engine.Pool().Stats().Waiting)
	status()
	workers["A"].letGo()
	fmt.Println(<-workers["D"].events)
	status()

	// E waits too, but nobody lets go in time.
	go workers["E"].run(engine)
	fmt.Println(<-workers["E"].events)

	// Everyone still holding a connection returns it.
	for _, name := range []string{"B", "C", "D"} {
		workers[name].letGo()
		status()
	}
	st := engine.Pool().Stats()
	fmt.Printf("opened %d, closed %d, checkouts %d, waits %d, timeouts %d\n",
		st.Connects, st.Closes, st.Checkouts, st.Waits, st.Timeouts)
}

// A worker checks out a connection, runs a query, and holds the connection
// until told to let go. It reports on events, so that main prints in order.
type worker struct {
	name    string
	events  chan string
	release chan bool
}

func (w *worker) run(engine *orm.Engine) {
	defer close(w.events) // no more news: the worker is done
	conn, err := engine.Connect()
	if err != nil {
		w.events <- w.name + " gave up: " + err.Error()
		return
	}
	if _, err := conn.Execute(orm.Text("SELECT 1")); err != nil {
		w.events <- w.name + " query: " + err.Error()
	}
	id := conn.ID()
	w.events <- fmt.Sprintf("%s checked out connection #%d", w.name, id)
	<-w.release
	conn.Close() // gives it back to the pool; it stays open
	w.events <- fmt.Sprintf("%s returned connection #%d", w.name, id)
}

// letGo tells the worker to return its connection and prints its answer
// (none if it never had a connection).
func (w *worker) letGo() {
	close(w.release)
	if news, ok := <-w.events; ok {
		fmt.Println(news)
	}
}
