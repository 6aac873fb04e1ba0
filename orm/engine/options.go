package engine

import (
	"context"
	"io"
	"strings"
	"time"

	"ormlab/orm/pool"
)

// Option configures CreateEngine. Options are plain functions (no
// generics) so interpreted programs can call them.
type Option func(*settings)

type settings struct {
	echo      bool
	echoPool  bool
	echoW     io.Writer
	poolCfg   pool.Config
	poolClass string
	ctx       context.Context
	observer  Observer
	simulated *bool
	latency   time.Duration
	refuse    int
	// busyTimeout: how long a statement on an in-memory (or simulated)
	// database waits for another connection's lock.
	busyTimeout time.Duration
	errs        []error
}

func defaultSettings() settings {
	return settings{poolCfg: pool.DefaultConfig(), poolClass: "QueuePool"}
}

func (s *settings) bad(option string, v any, reason string) {
	s.errs = append(s.errs, &OptionError{Option: option, Value: v, Reason: reason})
}

// Echo logs every statement and its parameters, in the URL's dialect, as
// SQLAlchemy's echo=True does (see EchoWriter for where).
func Echo(on bool) Option { return func(s *settings) { s.echo = on } }

// EchoWriter sends echo output to w (default os.Stdout). It does not turn
// echo on; the runner sets it so echo lands in the program's output.
func EchoWriter(w io.Writer) Option { return func(s *settings) { s.echoW = w } }

// PoolSize is pool_size: connections kept open (default 5; 0 = no limit).
func PoolSize(n int) Option {
	return func(s *settings) {
		if n < 0 {
			s.bad("PoolSize", n, "must be 0 (no limit) or more")
			return
		}
		s.poolCfg.Size = n
	}
}

// MaxOverflow is max_overflow: connections opened beyond PoolSize under
// load (default 10; -1 = no limit).
func MaxOverflow(n int) Option {
	return func(s *settings) {
		if n < -1 {
			s.bad("MaxOverflow", n, "must be -1 (no limit) or more")
			return
		}
		s.poolCfg.MaxOverflow = n
	}
}

// PoolTimeout is pool_timeout: how long a checkout waits at the cap before
// failing (default 30 s).
func PoolTimeout(d time.Duration) Option {
	return func(s *settings) {
		if d < 0 {
			s.bad("PoolTimeout", d, "must not be negative")
			return
		}
		s.poolCfg.Timeout = d
	}
}

// PoolRecycle is pool_recycle: a connection older than d is replaced on its
// next checkout. Zero or negative (SQLAlchemy's -1) turns it off.
func PoolRecycle(d time.Duration) Option {
	return func(s *settings) { s.poolCfg.Recycle = d }
}

// PoolPrePing is pool_pre_ping: test each connection on checkout and
// replace it (and every older one) if the server dropped it.
func PoolPrePing(on bool) Option { return func(s *settings) { s.poolCfg.PrePing = on } }

// PoolUseLIFO is pool_use_lifo: hand out the most recently returned idle
// connection first.
func PoolUseLIFO(on bool) Option { return func(s *settings) { s.poolCfg.UseLIFO = on } }

// PoolResetOnReturn is pool_reset_on_return: "rollback" (default),
// "commit" or "none" (also "" ).
func PoolResetOnReturn(mode string) Option {
	return func(s *settings) {
		switch strings.ToLower(mode) {
		case "rollback":
			s.poolCfg.ResetOnReturn = pool.ResetRollback
		case "commit":
			s.poolCfg.ResetOnReturn = pool.ResetCommit
		case "none", "", "nil":
			s.poolCfg.ResetOnReturn = pool.ResetNone
		default:
			s.bad("PoolResetOnReturn", mode, `must be "rollback", "commit" or "none"`)
		}
	}
}

// PoolClass picks the pool: "QueuePool" (default), "NullPool" or
// "StaticPool".
func PoolClass(name string) Option {
	return func(s *settings) {
		switch name {
		case "QueuePool", "NullPool", "StaticPool":
			s.poolClass = name
		default:
			s.bad("PoolClass", name, `must be "QueuePool", "NullPool" or "StaticPool"`)
		}
	}
}

// WithClock runs the pool (and injected connect latency) on c, e.g. a
// *pool.VirtualClock for instant, repeatable demos.
func WithClock(c pool.Clock) Option {
	return func(s *settings) {
		if c == nil {
			s.bad("WithClock", "nil", "needs a clock")
			return
		}
		s.poolCfg.Clock = c
	}
}

// WithContext is the context every operation runs under unless it is given
// its own: cancelling it stops a running query or a pool wait promptly.
func WithContext(ctx context.Context) Option {
	return func(s *settings) {
		if ctx == nil {
			s.bad("WithContext", "nil", "needs a context")
			return
		}
		s.ctx = ctx
	}
}

// WithObserver receives every statement and pool event.
func WithObserver(o Observer) Option { return func(s *settings) { s.observer = o } }

// Simulated makes a server URL run on the simulated server (in-memory
// SQLite speaking for the URL's dialect) instead of connecting. It is the
// default in the browser and for mssql URLs; it has no effect on sqlite
// URLs.
func Simulated(on bool) Option { return func(s *settings) { s.simulated = &on } }

// ConnectLatency makes every new connection take d on the engine's clock
// (fault injection; also Engine.SetConnectLatency).
func ConnectLatency(d time.Duration) Option {
	return func(s *settings) {
		if d < 0 {
			s.bad("ConnectLatency", d, "must not be negative")
			return
		}
		s.latency = d
	}
}

// RefuseConnects makes the next n connection attempts fail with "connection
// refused" (fault injection; also Engine.RefuseNextConnects).
func RefuseConnects(n int) Option {
	return func(s *settings) {
		if n < 0 {
			s.bad("RefuseConnects", n, "must not be negative")
			return
		}
		s.refuse = n
	}
}

// LockTimeout is how long a statement on an in-memory SQLite database (and
// so on a simulated server) waits for another connection's write lock
// before failing with "database is locked" (default 3 s, in real time).
func LockTimeout(d time.Duration) Option {
	return func(s *settings) {
		if d <= 0 {
			s.bad("LockTimeout", d, "must be positive")
			return
		}
		s.busyTimeout = d
	}
}
