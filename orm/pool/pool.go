package pool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Dialer opens one raw (DBAPI-level) connection. The pool never looks inside
// a raw connection; it only closes it, pings it and resets it through Config.
type Dialer func(ctx context.Context) (io.Closer, error)

// ResetMode is SQLAlchemy's reset_on_return.
type ResetMode int

const (
	ResetRollback ResetMode = iota // the default: roll back on return
	ResetCommit
	ResetNone
)

func (m ResetMode) String() string {
	switch m {
	case ResetRollback:
		return "rollback"
	case ResetCommit:
		return "commit"
	case ResetNone:
		return "none"
	}
	return fmt.Sprintf("ResetMode(%d)", int(m))
}

// Config holds the pool options. Its zero value is not SQLAlchemy's
// defaults: start from DefaultConfig.
type Config struct {
	Size        int           // pool_size; 0 = no limit at all
	MaxOverflow int           // max_overflow; -1 = no overflow limit
	Timeout     time.Duration // pool_timeout; 0 = fail at once when at the cap
	Recycle     time.Duration // pool_recycle; <= 0 = off
	PrePing     bool          // pool_pre_ping (needs Ping)
	UseLIFO     bool          // pool_use_lifo
	// ResetOnReturn is pool_reset_on_return (needs Reset to do anything).
	ResetOnReturn ResetMode
	Clock         Clock // nil = RealClock()
	// Listener receives every pool step, synchronously and in order, with the
	// pool's lock held: it must be cheap and must not call the pool.
	Listener func(Event)
	Ping     func(ctx context.Context, raw io.Closer) error
	Reset    func(ctx context.Context, raw io.Closer, mode ResetMode) error
	// IsDisconnect says whether an error means the server connection is gone,
	// which invalidates every connection opened before it. Errors wrapping
	// ErrDisconnect always count. When nil, any pre-ping failure counts.
	IsDisconnect func(error) bool
}

// DefaultConfig returns SQLAlchemy's defaults: pool_size 5, max_overflow 10,
// timeout 30 s, recycle off, no pre-ping, FIFO, rollback on return.
func DefaultConfig() Config {
	return Config{Size: 5, MaxOverflow: 10, Timeout: 30 * time.Second, ResetOnReturn: ResetRollback}
}

// Event kinds, the trace's pool[].event values.
const (
	EventConnect    = "connect"
	EventCheckout   = "checkout"
	EventCheckin    = "checkin"
	EventOverflow   = "overflow"
	EventWait       = "wait"
	EventTimeout    = "timeout"
	EventRecycle    = "recycle"
	EventInvalidate = "invalidate"
	EventReset      = "reset"
	EventClose      = "close"
)

// Event is one pool step. Counters are the state right after the step, in
// SQLAlchemy's terms (a slot being connected counts as checked out). A failed
// connect is a "connect" event with Conn 0 and Detail "failed: …"; a checkout
// canceled while waiting is a "timeout" event whose Detail says so.
type Event struct {
	At         time.Duration // since the pool was created, on its clock
	Kind       string        // one of the Event* constants
	Conn       int           // connection number, 0 when none (a failed connect, a wait)
	CheckedOut int
	Overflow   int
	Idle       int
	Detail     string
}

// Stats is a snapshot of a pool's counters.
type Stats struct {
	Size, MaxOverflow int // configuration (MaxOverflow -1: unlimited)
	CheckedOut        int // as Status's "Current Checked out connections"
	Overflow          int // as Status's "Current Overflow"
	Idle              int // as Status's "Connections in pool"
	Waiting           int // goroutines waiting at the cap
	Open              int // raw connections open right now
	PeakOpen          int // most raw connections ever open at once
	Connects, Closes  int // raw connections opened and closed so far
	Checkouts         int
	Waits, Timeouts   int
}

// Pool is what an Engine needs from any pool class.
type Pool interface {
	Get(ctx context.Context) (*Conn, error) // checkout
	Status() string
	Dispose() // closes idle connections; checked-out ones close on return
	Close()   // Dispose, and every later Get fails with ErrPoolDisposed
	Stats() Stats
}

var (
	// ErrTimeout is matched (errors.Is) by the *TimeoutError a QueuePool
	// returns when a checkout waited Timeout at the cap.
	ErrTimeout = errors.New("QueuePool limit reached, connection timed out")
	// ErrInvalidConfig is matched by the *ConfigError of a bad Config.
	ErrInvalidConfig = errors.New("invalid pool configuration")
	// ErrPoolDisposed is returned by Get on a closed pool.
	ErrPoolDisposed = errors.New("pool: the pool has been closed")
	// ErrDisconnect marks an error as "the server connection is gone"; wrap it
	// (fmt.Errorf("...: %w", pool.ErrDisconnect)) to trigger pool-wide
	// invalidation from Conn.Invalidate or a Ping.
	ErrDisconnect = errors.New("pool: connection lost")
	// ErrConnClosed is returned by Conn methods after Close.
	ErrConnClosed = errors.New("pool: connection already returned to the pool")
)

// TimeoutError is SQLAlchemy's "QueuePool limit … reached" error.
type TimeoutError struct {
	Size, Overflow int
	Timeout        time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("QueuePool limit of size %d overflow %d reached, connection timed out, timeout %0.2f",
		e.Size, e.Overflow, e.Timeout.Seconds())
}
func (e *TimeoutError) Is(target error) bool { return target == ErrTimeout }

// ConfigError names the bad field of a Config.
type ConfigError struct {
	Pool, Field string
	Value       any
	Reason      string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("pool: invalid %s configuration: %s is %v, %s", e.Pool, e.Field, e.Value, e.Reason)
}
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

// ConnectError wraps a Dialer's failure.
type ConnectError struct {
	Pool string
	Err  error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("pool: %s could not connect: %v", e.Pool, e.Err)
}
func (e *ConnectError) Unwrap() error { return e.Err }

// PingError wraps a pre-ping failure that was not a disconnect.
type PingError struct {
	Conn int
	Err  error
}

func (e *PingError) Error() string {
	return fmt.Sprintf("pool: pre-ping of connection %d failed: %v", e.Conn, e.Err)
}
func (e *PingError) Unwrap() error { return e.Err }

// WaitCanceledError is returned when the context has ended before or while a
// checkout waits at the cap; it unwraps to the context's error.
type WaitCanceledError struct {
	Pool string
	Err  error
}

func (e *WaitCanceledError) Error() string {
	return fmt.Sprintf("pool: %s checkout canceled: %v", e.Pool, e.Err)
}
func (e *WaitCanceledError) Unwrap() error { return e.Err }

// record is a slot (SQLAlchemy's _ConnectionRecord). raw is nil when the
// slot's connection was invalidated; it reconnects on its next checkout.
// A record is touched only by the goroutine holding it, or under core.mu.
type record struct {
	raw   io.Closer
	id    int       // number of the slot's latest connection
	start time.Time // when that connection started connecting
}

// impl is what differs between the pool classes.
type impl interface {
	// doGet returns a slot for checkout. ready means its connection is set
	// up (no recycle or invalidation check needed) and fresh.
	doGet(ctx context.Context) (rec *record, ready bool, err error)
	// doReturn takes a slot back (its reset has been done).
	doReturn(rec *record)
	countsLocked() (checkedOut, overflow, idle int)
}

// core is the machinery shared by the pool classes: connecting, the checkout
// and check-in steps around each connection, invalidation and events.
type core struct {
	name  string
	cfg   Config
	dial  Dialer
	clock Clock
	t0    time.Time
	impl  impl

	mu        sync.Mutex
	closed    bool
	nextID    int
	invalidID int // pool-wide invalidation: connections numbered <= it are stale
	disposeID int // Dispose: connections numbered <= it close on return
	st        Stats
}

func (c *core) init(name string, dial Dialer, cfg Config, im impl) error {
	bad := func(field string, v any, why string) error {
		return &ConfigError{Pool: name, Field: field, Value: v, Reason: why}
	}
	switch {
	case dial == nil:
		return bad("Dialer", "nil", "a pool needs a way to connect")
	case cfg.Size < 0:
		return bad("Size (pool_size)", cfg.Size, "must be 0 (no limit) or more")
	case cfg.MaxOverflow < -1:
		return bad("MaxOverflow (max_overflow)", cfg.MaxOverflow, "must be -1 (no limit) or more")
	case cfg.Timeout < 0:
		return bad("Timeout (pool_timeout)", cfg.Timeout, "must not be negative")
	case cfg.ResetOnReturn < ResetRollback || cfg.ResetOnReturn > ResetNone:
		return bad("ResetOnReturn (reset_on_return)", int(cfg.ResetOnReturn), "must be ResetRollback, ResetCommit or ResetNone")
	case cfg.PrePing && cfg.Ping == nil:
		return bad("Ping", "nil", "PrePing needs a Ping function")
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock()
	}
	c.name, c.cfg, c.dial, c.clock, c.impl = name, cfg, dial, cfg.Clock, im
	c.t0 = cfg.Clock.Now()
	c.st.Size, c.st.MaxOverflow = cfg.Size, cfg.MaxOverflow
	return nil
}

func (c *core) emitLocked(kind string, conn int, detail string) {
	if c.cfg.Listener == nil {
		return
	}
	out, ov, idle := c.impl.countsLocked()
	c.cfg.Listener(Event{At: c.clock.Now().Sub(c.t0), Kind: kind, Conn: conn,
		CheckedOut: out, Overflow: ov, Idle: idle, Detail: detail})
}

func (c *core) emit(kind string, conn int, detail string) {
	if c.cfg.Listener == nil {
		return
	}
	c.mu.Lock()
	c.emitLocked(kind, conn, detail)
	c.mu.Unlock()
}

// connect opens a connection into rec, whose slot the caller has accounted for.
func (c *core) connect(ctx context.Context, rec *record) error {
	start := c.clock.Now()
	raw, err := c.dial(ctx)
	if err == nil && raw == nil {
		err = errors.New("the dialer returned no connection")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.emitLocked(EventConnect, 0, "failed: "+err.Error())
		return &ConnectError{Pool: c.name, Err: err}
	}
	c.nextID++
	rec.raw, rec.id, rec.start = raw, c.nextID, start
	c.st.Open++
	c.st.Connects++
	if c.st.Open > c.st.PeakOpen {
		c.st.PeakOpen = c.st.Open
	}
	c.emitLocked(EventConnect, rec.id, "")
	return nil
}

// detachLocked takes rec's connection away for closing outside the lock.
func (c *core) detachLocked(rec *record, detail string) io.Closer {
	raw := rec.raw
	if raw == nil {
		return nil
	}
	rec.raw = nil
	c.st.Open--
	c.st.Closes++
	c.emitLocked(EventClose, rec.id, detail)
	return raw
}

func closeRaw(raw io.Closer) {
	if raw != nil {
		_ = raw.Close() // as SQLAlchemy: a failing close is only logged
	}
}

func (c *core) closeConn(rec *record, detail string) {
	c.mu.Lock()
	raw := c.detachLocked(rec, detail)
	c.mu.Unlock()
	closeRaw(raw)
}

func (c *core) invalidateRec(rec *record, detail string) {
	c.mu.Lock()
	c.emitLocked(EventInvalidate, rec.id, detail)
	raw := c.detachLocked(rec, "")
	c.mu.Unlock()
	closeRaw(raw)
}

func (c *core) isDisconnect(err error) bool {
	return errors.Is(err, ErrDisconnect) || (c.cfg.IsDisconnect != nil && c.cfg.IsDisconnect(err))
}

// invalidatePoolLocked marks every connection opened so far as stale.
func (c *core) invalidatePoolLocked() { c.invalidID = c.nextID }

// get is a checkout: a slot from the pool class, then SQLAlchemy's
// get_connection (reconnect, recycle, pool-wide invalidation) and pre-ping.
func (c *core) get(ctx context.Context) (*Conn, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		// The program is being stopped: hand out nothing.
		return nil, &WaitCanceledError{Pool: c.name, Err: err}
	}
	rec, fresh, err := c.impl.doGet(ctx)
	if err != nil {
		return nil, err
	}
	if !fresh {
		if fresh, err = c.prepare(ctx, rec); err != nil {
			c.impl.doReturn(rec)
			return nil, err
		}
	}
	if c.cfg.PrePing && !fresh {
		if err := c.prePing(ctx, rec); err != nil {
			c.impl.doReturn(rec)
			return nil, err
		}
	}
	cn := &Conn{c: c, rec: rec, id: rec.id}
	if c.cfg.Listener != nil {
		c.mu.Lock()
		c.emitLocked(EventCheckout, rec.id, "")
		c.mu.Unlock()
	}
	return cn, nil
}

// prepare is get_connection: it reports whether the connection is new.
func (c *core) prepare(ctx context.Context, rec *record) (bool, error) {
	if rec.raw == nil {
		return true, c.connect(ctx, rec)
	}
	why := ""
	if c.cfg.Recycle > 0 {
		if age := c.clock.Now().Sub(rec.start); age > c.cfg.Recycle {
			why = fmt.Sprintf("connection %d is %s old, older than pool_recycle %s", rec.id, age, c.cfg.Recycle)
		}
	}
	if why == "" {
		c.mu.Lock()
		stale := rec.id <= c.invalidID
		c.mu.Unlock()
		if !stale {
			return false, nil
		}
		why = fmt.Sprintf("connection %d predates a pool-wide invalidation", rec.id)
	}
	c.mu.Lock()
	c.emitLocked(EventRecycle, rec.id, why)
	raw := c.detachLocked(rec, "recycled")
	c.mu.Unlock()
	closeRaw(raw)
	return true, c.connect(ctx, rec)
}

func (c *core) prePing(ctx context.Context, rec *record) error {
	err := c.cfg.Ping(ctx, rec.raw)
	if err == nil {
		return nil
	}
	if c.cfg.IsDisconnect != nil && !c.isDisconnect(err) {
		c.invalidateRec(rec, "pre-ping failed: "+err.Error())
		return &PingError{Conn: rec.id, Err: err}
	}
	c.mu.Lock()
	c.emitLocked(EventInvalidate, rec.id, "pre-ping found a disconnect ("+err.Error()+"); invalidating every older connection in the pool")
	c.invalidatePoolLocked()
	raw := c.detachLocked(rec, "")
	c.mu.Unlock()
	closeRaw(raw)
	return c.connect(ctx, rec)
}

// Conn is one checkout (SQLAlchemy's _ConnectionFairy).
type Conn struct {
	c         *core
	rec       *record
	id        int
	done      atomic.Bool
	skipReset bool
}

// Raw returns the raw connection; nil after Invalidate or Close.
func (cn *Conn) Raw() io.Closer {
	if cn.done.Load() {
		return nil
	}
	return cn.rec.raw
}

// ID returns the connection's number in its pool: 1, 2, 3… in opening order.
func (cn *Conn) ID() int { return cn.id }

// SkipReset tells the pool the transaction has already been committed or
// rolled back, so the reset on return is not needed (SQLAlchemy's
// transaction_was_reset).
func (cn *Conn) SkipReset() { cn.skipReset = true }

// Close checks the connection in: reset on return, then back to the pool.
// Idempotent; a failing reset invalidates the connection and is returned.
func (cn *Conn) Close() error {
	if !cn.done.CompareAndSwap(false, true) {
		return nil
	}
	c := cn.c
	var err error
	if mode := c.cfg.ResetOnReturn; mode != ResetNone && c.cfg.Reset != nil && !cn.skipReset && cn.rec.raw != nil && cn.rec.id == cn.id {
		err = c.cfg.Reset(context.Background(), cn.rec.raw, mode)
		if err != nil {
			c.invalidateRec(cn.rec, mode.String()+" on return failed: "+err.Error())
			err = fmt.Errorf("pool: %s on return of connection %d failed: %w", mode, cn.id, err)
		} else {
			c.emit(EventReset, cn.id, mode.String())
		}
	}
	c.impl.doReturn(cn.rec)
	return err
}

// Invalidate closes the connection for real and checks the slot in (it
// reconnects on its next checkout). If err is a disconnect (ErrDisconnect or
// Config.IsDisconnect), every connection opened before now is invalidated
// too: they reconnect on their next checkout. No-op after Close.
func (cn *Conn) Invalidate(err error) {
	if cn.done.Load() {
		return
	}
	c := cn.c
	detail := "invalidated"
	if err != nil {
		detail = err.Error()
	}
	c.mu.Lock()
	if err != nil && c.isDisconnect(err) {
		c.invalidatePoolLocked()
		detail += "; disconnect: invalidating every older connection in the pool"
	}
	var raw io.Closer
	if cn.rec.id == cn.id && cn.rec.raw != nil {
		c.emitLocked(EventInvalidate, cn.id, detail)
		raw = c.detachLocked(cn.rec, "")
	}
	c.mu.Unlock()
	closeRaw(raw)
	cn.skipReset = true
	cn.Close()
}

func (c *core) stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.st
	s.CheckedOut, s.Overflow, s.Idle = c.impl.countsLocked()
	return s
}
