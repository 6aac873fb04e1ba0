package engine

import (
	"fmt"

	"ormlab/orm/pool"
)

// EchoPool logs every pool step to the echo writer, like SQLAlchemy's
// echo_pool=True, in our own words: "Connection #2 checked out from pool
// (checked out 2, overflow -3, idle 0)". On a virtual clock each line
// starts with the pool's time, so a demo shows when a wait timed out.
func EchoPool(on bool) Option { return func(s *settings) { s.echoPool = on } }

// poolLine renders one pool event for EchoPool.
func poolLine(ev pool.Event, virtual bool) string {
	conn := fmt.Sprintf("Connection #%d", ev.Conn)
	var msg string
	switch ev.Kind {
	case pool.EventConnect:
		if ev.Conn == 0 {
			msg = "Could not open a new connection: " + trimFailed(ev.Detail)
		} else {
			msg = fmt.Sprintf("Created new connection #%d", ev.Conn)
		}
	case pool.EventCheckout:
		msg = conn + " checked out from pool"
	case pool.EventCheckin:
		msg = conn + " being returned to pool"
	case pool.EventReset:
		msg = conn + " " + ev.Detail + "-on-return"
	case pool.EventOverflow:
		msg = "Pool is past pool_size: opening an overflow connection"
	case pool.EventWait:
		msg = "Pool exhausted, waiting for a connection to come back"
	case pool.EventTimeout:
		msg = "Gave up waiting: " + ev.Detail
	case pool.EventRecycle:
		msg = conn + " recycled: " + ev.Detail
	case pool.EventInvalidate:
		msg = "Invalidate connection #" + fmt.Sprint(ev.Conn)
	case pool.EventClose:
		msg = "Closing connection #" + fmt.Sprint(ev.Conn)
	default:
		msg = ev.Kind
	}
	if ev.Detail != "" {
		switch ev.Kind {
		case pool.EventInvalidate, pool.EventClose, pool.EventCheckin:
			msg += " (" + ev.Detail + ")"
		}
	}
	line := fmt.Sprintf("[pool] %s [checked out %d, overflow %d, idle %d]", msg, ev.CheckedOut, ev.Overflow, ev.Idle)
	if virtual {
		line = fmt.Sprintf("[t=%.3fs] ", ev.At.Seconds()) + line
	}
	return line
}

func trimFailed(s string) string {
	const p = "failed: "
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
