package orm

import (
	"context"
	"io"
	"time"

	"ormlab/orm/engine"
	"ormlab/orm/pool"
)

// The Engine, re-exported (see orm/engine).
type (
	Engine            = engine.Engine
	Connection        = engine.Connection
	URL               = engine.URL
	Option            = engine.Option
	EngineResult      = engine.Result
	NestedTransaction = engine.NestedTransaction
	StatementEvent    = engine.StatementEvent
	Observer          = engine.Observer
	StatementError    = engine.StatementError
)

// Engine errors, for errors.Is.
var (
	ErrStatement        = engine.ErrStatement
	ErrInvalidOption    = engine.ErrInvalidOption
	ErrConnectionClosed = engine.ErrConnectionClosed
	ErrTransaction      = engine.ErrTransaction
)

// CreateEngine makes an Engine from a URL ("sqlite://",
// "postgresql://user@host/db", "mysql+pymysql://…", "mssql+pyodbc://…").
// The playground's runner wraps this function to add its own options.
func CreateEngine(url string, opts ...engine.Option) (*Engine, error) {
	return engine.CreateEngine(url, opts...)
}

// ParseURL parses an engine URL.
func ParseURL(s string) (*URL, error) { return engine.ParseURL(s) }

// Echo logs every statement, as SQLAlchemy's echo=True.
func Echo(on bool) Option { return engine.Echo(on) }

// EchoWriter sends echo output to w.
func EchoWriter(w io.Writer) Option { return engine.EchoWriter(w) }

// PoolSize sets the number of connections kept open.
func PoolSize(n int) Option { return engine.PoolSize(n) }

// MaxOverflow sets how many connections may open beyond PoolSize.
func MaxOverflow(n int) Option { return engine.MaxOverflow(n) }

// PoolTimeout sets how long a checkout waits for a connection.
func PoolTimeout(d time.Duration) Option { return engine.PoolTimeout(d) }

// PoolRecycle replaces connections older than d.
func PoolRecycle(d time.Duration) Option { return engine.PoolRecycle(d) }

// PoolPrePing tests each connection on checkout.
func PoolPrePing(on bool) Option { return engine.PoolPrePing(on) }

// PoolUseLIFO hands out the most recently returned connection first.
func PoolUseLIFO(on bool) Option { return engine.PoolUseLIFO(on) }

// PoolResetOnReturn sets what happens to a returned connection
// ("rollback", "commit", "none").
func PoolResetOnReturn(mode string) Option { return engine.PoolResetOnReturn(mode) }

// PoolClass picks the pool: "QueuePool", "NullPool", "StaticPool".
func PoolClass(name string) Option { return engine.PoolClass(name) }

// WithClock runs the pool on a clock (virtual in teaching demos).
func WithClock(c pool.Clock) Option { return engine.WithClock(c) }

// WithContext stops queries and pool waits when ctx ends.
func WithContext(ctx context.Context) Option { return engine.WithContext(ctx) }

// WithObserver receives every statement and pool event.
func WithObserver(o Observer) Option { return engine.WithObserver(o) }

// Simulated runs a server URL on the in-process SQLite.
func Simulated(on bool) Option { return engine.Simulated(on) }

// ConnectLatency delays each connect of a simulated server.
func ConnectLatency(d time.Duration) Option { return engine.ConnectLatency(d) }

// RefuseConnects makes a simulated server refuse the next n connects.
func RefuseConnects(n int) Option { return engine.RefuseConnects(n) }

// ---- sessions bound to an Engine ----

// NewSession returns a session bound to an engine. It opens no connection
// until it needs one.
func NewSession(e *Engine, options ...SessionOption) *Session {
	if e == nil {
		return newSession(nilBinder{}, options)
	}
	return newSession(&engineBinder{e: e}, options)
}

// SessionFactory makes sessions with the same engine and options
// (SQLAlchemy's sessionmaker).
type SessionFactory struct {
	e       *Engine
	options []SessionOption
}

// SessionMaker returns a factory of sessions bound to e.
func SessionMaker(e *Engine, options ...SessionOption) *SessionFactory {
	return &SessionFactory{e: e, options: append([]SessionOption(nil), options...)}
}

// New returns a new session; extra options add to the factory's.
func (f *SessionFactory) New(options ...SessionOption) *Session {
	return NewSession(f.e, append(append([]SessionOption(nil), f.options...), options...)...)
}

// Engine is the factory's engine.
func (f *SessionFactory) Engine() *Engine { return f.e }

// Begin returns a new session with its transaction begun (commit or roll
// it back when done).
func (f *SessionFactory) Begin(options ...SessionOption) (*Session, error) {
	s := f.New(options...)
	if _, err := s.connection(); err != nil {
		s.rollbackAll()
		return nil, err
	}
	return s, nil
}

// CreateAll creates every mapped table that does not exist yet, in foreign
// key order (create_all with checkfirst).
func (b *Base) CreateAll(e *Engine) error {
	if e == nil {
		return &ObjectError{Op: "CreateAll", Reason: "the engine is nil"}
	}
	return b.Metadata.CreateAll(context.Background(), e, true)
}

// DropAll drops every mapped table that exists, in reverse order.
func (b *Base) DropAll(e *Engine) error {
	if e == nil {
		return &ObjectError{Op: "DropAll", Reason: "the engine is nil"}
	}
	return b.Metadata.DropAll(context.Background(), e, true)
}
