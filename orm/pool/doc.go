// Package pool is ORM Lab's connection pool: SQLAlchemy's QueuePool, NullPool
// and StaticPool with their semantics, observable step by step, and able to run
// on a virtual clock so that teaching demos are instant and repeatable.
//
// # Semantics (QueuePool)
//
// The pool keeps "slots" (SQLAlchemy's connection records). The overflow
// counter starts at -Size and counts slots: Size+overflow slots exist, the
// idle ones sit in a queue (FIFO, LIFO with UseLIFO) of at most Size entries.
//
//   - Checkout takes an idle slot if there is one. Otherwise, below the hard cap
//     (Size+MaxOverflow slots) it opens a new connection, giving the slot back
//     if connecting fails. At the cap it waits up to Timeout, then fails with
//     ErrTimeout ("QueuePool limit of size 5 overflow 10 reached, connection
//     timed out, timeout 30.00"). Timeout 0 fails at once, as Python's queue does.
//   - On checkout a slot whose connection is older than Recycle, or older than
//     the last pool-wide invalidation, is reconnected; a slot whose connection
//     was invalidated is reconnected. With PrePing the connection (unless just
//     opened) is pinged; a disconnect invalidates every connection opened
//     before it (they reconnect on their next checkout) and reconnects this one.
//   - Check-in runs the reset (rollback by default) and puts the slot back; a
//     check-in to a full queue closes the connection and frees its slot.
//   - Size 0 means no limit at all; MaxOverflow -1 means no overflow limit.
//   - Dispose closes the idle connections; connections checked out at that
//     moment are closed when they come back. The pool stays usable, as
//     SQLAlchemy's. Close additionally makes every later Get fail with
//     ErrPoolDisposed and wakes every waiter with it.
//
// Two deliberate differences from the Python code, both invisible to a
// correct program: a returned connection is handed straight to the oldest
// waiter and counts as checked out to it from that moment (the Python queue's
// condition variable does the same, less directly, and may meanwhile find
// its queue "full" of connections promised to waiters), and a slot freed while goroutines wait (a failed connect, a
// disposed connection) is handed to the oldest waiter so it can connect,
// where Python's waiter would sit until its timeout. Connection identity for
// pool-wide invalidation uses the connection number, not a timestamp, so it
// stays exact on a virtual clock where many steps share one instant.
//
// # Virtual time
//
// A VirtualClock runs the goroutines that take part in a demo one at a time,
// like a cooperative scheduler, and only moves time when all of them are
// blocked. The rules:
//
//  1. Participants are the goroutine that created the clock and every
//     goroutine started with Go. Exactly one participant runs at any moment
//     (it "holds the baton"); a new goroutine from Go waits for its turn.
//  2. The baton passes only at the clock's blocking points: Sleep, Advance,
//     Wait (for the goroutines started by Go), a Waiter's Wait (which the pool
//     uses while a checkout waits at its cap), and the end of a goroutine
//     started by Go. Runnable participants get the baton in FIFO order.
//  3. When no participant is runnable, time jumps to the earliest pending
//     deadline (a Sleep's end, a checkout's timeout) and those participants
//     become runnable, in the order they started waiting.
//  4. Given a program that only blocks at those points, the event order is
//     the same on every run. A goroutine that blocks anywhere else (a channel,
//     a mutex, real I/O) while holding the baton stops the whole demo until
//     that wait ends by itself; goroutines not started with Go must not use a
//     pool on a virtual clock.
//  5. Close ends virtual time (the program is stopping): every blocked
//     participant wakes, and from then on sleeps return at once and waits
//     time out at once, so nothing is left parked.
//
// Events carry At, the time since the pool was created on its clock, so a
// trace shows virtual times.
package pool
