package engine

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"ormlab/dialect"
	_ "ormlab/dialect/all" // every dialect the URLs name
	"ormlab/driver"
	"ormlab/orm/core"
	"ormlab/orm/pool"
)

// Engine is SQLAlchemy's Engine: a URL's dialect, a connection pool and a
// driver. It is safe for concurrent use; the Connections it hands out are
// not (one goroutine at a time, as a DBAPI connection).
type Engine struct {
	url       *URL
	d         dialect.Dialect // the URL's: what echo and errors show
	xd        dialect.Dialect // the one statements run on
	simulated bool
	// lazyBegin defers the database's BEGIN to the first statement that
	// writes, as Python's sqlite3 module does. On SQLite a transaction that
	// only read would otherwise hold a shared lock until it ends, and a
	// writer's COMMIT on another connection of the same program would wait
	// for it — a deadlock no server would show.
	lazyBegin bool
	// typedDriver: the driver converts booleans and times itself.
	typedDriver bool
	// virtualLocks: lock waits on the shared in-memory database happen on
	// the (virtual) clock, not in SQLite's busy handler; see waitLocks.
	virtualLocks bool
	lockTimeout  time.Duration
	ctx          context.Context
	clock        pool.Clock
	cfg          settings

	db     *sql.DB
	anchor *sql.Conn // keeps a shared in-memory database alive
	pool   pool.Pool

	silent   atomic.Bool  // Silence: no echo, no observer events
	latency  atomic.Int64 // injected connect latency, ns
	refuse   atomic.Int64 // connects left to refuse
	disposed atomic.Bool

	liveMu sync.Mutex
	live   map[*rawConn]struct{}

	evMu sync.Mutex // orders statement events and echo lines
	seq  int
	echo io.Writer
}

// CreateEngine parses url and builds an Engine; no connection is opened
// until the first Connect (as SQLAlchemy), except for an in-memory SQLite
// database, which is created at once.
func CreateEngine(rawURL string, opts ...Option) (*Engine, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	s := defaultSettings()
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if err := errors.Join(s.errs...); err != nil {
		return nil, err
	}
	d, err := dialect.Get(u.Dialect)
	if err != nil {
		return nil, err
	}
	e := &Engine{url: u, d: d, xd: d, cfg: s, ctx: s.ctx, live: map[*rawConn]struct{}{}}
	if e.ctx == nil {
		e.ctx = context.Background()
	}
	if s.poolCfg.Clock == nil {
		s.poolCfg.Clock = pool.RealClock()
	}
	e.clock = s.poolCfg.Clock
	e.latency.Store(int64(s.latency))
	e.refuse.Store(int64(s.refuse))
	if s.echo {
		e.echo = s.echoW
		if e.echo == nil {
			e.echo = os.Stdout
		}
	}

	if u.Dialect != dialect.SQLite {
		e.simulated = runtime.GOOS == "js" || u.Dialect == dialect.MSSQL
		if s.simulated != nil {
			e.simulated = *s.simulated
		}
		if !e.simulated && u.Dialect == dialect.MSSQL {
			return nil, fmt.Errorf("engine: %s: %w (ORM Lab has no SQL Server driver: its mssql engines are always simulated)", u, driver.ErrNotAvailable)
		}
	}
	switch {
	case u.Dialect == dialect.SQLite && !u.IsMemory():
		dsn, err := driver.SQLiteFileDSN(u.Database)
		if err != nil {
			return nil, fmt.Errorf("engine: %s: %w", u, err)
		}
		if e.db, err = driver.OpenSQLite(dsn); err != nil {
			return nil, fmt.Errorf("engine: %s: %w", u, err)
		}
		e.lazyBegin = true
	case u.Dialect == dialect.SQLite || e.simulated:
		if e.xd, err = dialect.Get(dialect.SQLite); err != nil {
			return nil, err
		}
		e.lockTimeout = s.busyTimeout
		if e.lockTimeout <= 0 {
			e.lockTimeout = driver.SharedBusyTimeout
		}
		busy := e.lockTimeout
		if _, virtual := e.clock.(*pool.VirtualClock); virtual {
			e.virtualLocks, busy = true, -1
		}
		if e.db, err = driver.OpenSharedMemory("ormlab_"+randomName(), busy); err != nil {
			return nil, fmt.Errorf("engine: %s: %w", u, err)
		}
		// The anchor holds the database open however the pool opens and
		// closes connections; it never runs a statement.
		if e.anchor, err = e.db.Conn(e.ctx); err != nil {
			e.db.Close()
			return nil, fmt.Errorf("engine: %s: creating the in-memory database: %w", u, err)
		}
		e.lazyBegin, e.typedDriver = true, true
	default:
		var dsn string
		switch u.Dialect {
		case dialect.PostgreSQL:
			dsn = PostgresDSN(u)
			e.typedDriver = true
		case dialect.MySQL:
			dsn = MySQLDSN(u)
		}
		if e.db, err = driver.OpenServer(u.Dialect, dsn); err != nil {
			return nil, fmt.Errorf("engine: %s: %w", u, err)
		}
	}
	// The pool, not database/sql, decides what stays open: a *sql.Conn
	// closed by the pool closes its real connection.
	e.db.SetMaxIdleConns(0)

	cfg := s.poolCfg
	cfg.Ping = e.ping
	cfg.Reset = e.reset
	cfg.IsDisconnect = driver.IsDisconnect
	if s.observer != nil || s.echoPool {
		obs := s.observer
		var echoPool io.Writer
		if s.echoPool {
			if echoPool = s.echoW; echoPool == nil {
				echoPool = os.Stdout
			}
		}
		_, virtual := e.clock.(*pool.VirtualClock)
		// Called with the pool's lock held: both sinks are cheap and
		// never call back into the pool.
		cfg.Listener = func(ev pool.Event) {
			if e.silent.Load() {
				return
			}
			if obs != nil {
				obs.Pool(ev)
			}
			if echoPool != nil {
				e.evMu.Lock()
				io.WriteString(echoPool, poolLine(ev, virtual)+"\n")
				e.evMu.Unlock()
			}
		}
	}
	switch s.poolClass {
	case "NullPool":
		e.pool, err = pool.NewNullPool(e.dial, cfg)
	case "StaticPool":
		e.pool, err = pool.NewStaticPool(e.dial, cfg)
	default:
		e.pool, err = pool.NewQueuePool(e.dial, cfg)
	}
	if err != nil {
		e.closeDB()
		return nil, err
	}
	return e, nil
}

func randomName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// URL is the engine's parsed URL.
func (e *Engine) URL() *URL { return e.url }

// String is SQLAlchemy's repr: Engine(postgresql+psycopg2://scott:***@localhost/test).
func (e *Engine) String() string { return "Engine(" + e.url.String() + ")" }

// Dialect is the URL's dialect: what echo prints and errors show. It is
// the core.Executor dialect, so DDL follows the URL's database.
func (e *Engine) Dialect() dialect.Dialect { return e.d }

// ExecutedDialect is the dialect statements run on: sqlite when simulated.
func (e *Engine) ExecutedDialect() dialect.Dialect { return e.xd }

// Simulated reports whether a server URL runs on the simulated server.
func (e *Engine) Simulated() bool { return e.simulated }

// Pool is the engine's pool (Status(), Stats()).
func (e *Engine) Pool() pool.Pool { return e.pool }

// Clock is the clock the pool runs on.
func (e *Engine) Clock() pool.Clock { return e.clock }

// Dispose closes the pool's idle connections (checked-out ones close when
// they come back) and starts a fresh pool state, as SQLAlchemy's
// engine.dispose(). The engine stays usable.
func (e *Engine) Dispose() { e.pool.Dispose() }

// Close disposes of the pool for good and releases the database: every
// later Connect fails with ErrEngineDisposed. An in-memory database is gone.
func (e *Engine) Close() error {
	if e.disposed.Swap(true) {
		return nil
	}
	e.pool.Close()
	// Connections still checked out die with the database handle.
	e.liveMu.Lock()
	for r := range e.live {
		r.dropped.Store(true)
	}
	e.liveMu.Unlock()
	return e.closeDB()
}

func (e *Engine) closeDB() error {
	if e.anchor != nil {
		e.anchor.Close()
	}
	return e.db.Close()
}

// SetConnectLatency makes every new connection take d on the engine's
// clock from now on (fault injection).
func (e *Engine) SetConnectLatency(d time.Duration) { e.latency.Store(int64(max(d, 0))) }

// RefuseNextConnects makes the next n connection attempts fail with a
// "connection refused" error (fault injection).
func (e *Engine) RefuseNextConnects(n int) { e.refuse.Store(int64(max(n, 0))) }

// DropConnections plays a server restart: every open connection of this
// engine is closed "by the server" — its transaction rolls back, and its
// next use fails with a *DisconnectError the pool recognises (pre-ping
// replaces it; a statement on it invalidates the pool). It reports how many
// connections were dropped. It works on real servers too: the Go side of
// each connection is closed.
func (e *Engine) DropConnections() int {
	e.liveMu.Lock()
	list := make([]*rawConn, 0, len(e.live))
	for r := range e.live {
		if !r.dropped.Swap(true) {
			list = append(list, r)
		}
	}
	e.liveMu.Unlock()
	for _, r := range list {
		// Waits for a statement in flight, then releases the SQLite
		// connection (its locks and uncommitted work with it).
		r.c.Close()
	}
	return len(list)
}

// ---- raw connections: what the pool holds ----

// rawConn is one DBAPI-level connection.
type rawConn struct {
	e       *Engine
	c       *sql.Conn
	dropped atomic.Bool
	closed  atomic.Bool
	// physTx: a transaction is open on the database itself.
	physTx bool
	// stmts: prepared statements by SQL (stmtcache.go).
	stmts driver.StmtCache
}

func (r *rawConn) Close() error {
	if r.closed.Swap(true) {
		return nil
	}
	r.e.liveMu.Lock()
	delete(r.e.live, r)
	r.e.liveMu.Unlock()
	r.stmts.CloseAll()
	err := r.c.Close()
	if errors.Is(err, sql.ErrConnDone) {
		err = nil
	}
	return err
}

// check fails once the (simulated) server dropped the connection.
func (r *rawConn) check(id int) error {
	if r.dropped.Load() {
		return &DisconnectError{Conn: id, Reason: "the server dropped it (restart or terminated backend)"}
	}
	return nil
}

// dial is the pool's Dialer: injected latency and refusals, then a real
// connection.
func (e *Engine) dial(ctx context.Context) (io.Closer, error) {
	if d := time.Duration(e.latency.Load()); d > 0 {
		if e.clock.NewWaiter(d).Wait(ctx) == pool.Canceled {
			return nil, ctx.Err()
		}
	}
	for {
		n := e.refuse.Load()
		if n <= 0 {
			break
		}
		if e.refuse.CompareAndSwap(n, n-1) {
			return nil, &ConnectRefusedError{Dialect: e.url.Dialect, Host: e.url.Host, Port: e.url.Port}
		}
	}
	if e.disposed.Load() {
		return nil, ErrEngineDisposed
	}
	// db.Conn opens a new driver connection (none are kept idle).
	c, err := e.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	r := &rawConn{e: e, c: c}
	e.liveMu.Lock()
	e.live[r] = struct{}{}
	e.liveMu.Unlock()
	return r, nil
}

// ping is the pool's pre-ping.
func (e *Engine) ping(ctx context.Context, raw io.Closer) error {
	r := raw.(*rawConn)
	if err := r.check(0); err != nil {
		return err
	}
	ctx, done := e.opCtx(ctx)
	defer done()
	return r.c.PingContext(ctx)
}

// reset is the pool's reset on return: it ends a transaction left open on
// the database (a Connection already ended its own; this catches the rest).
func (e *Engine) reset(ctx context.Context, raw io.Closer, mode pool.ResetMode) error {
	r := raw.(*rawConn)
	if !r.physTx {
		return nil
	}
	if err := r.check(0); err != nil {
		return err
	}
	q := "ROLLBACK"
	if mode == pool.ResetCommit {
		q = "COMMIT"
	}
	r.physTx = false
	ctx, done := e.opCtx(ctx)
	defer done()
	_, err := r.c.ExecContext(ctx, q)
	return err
}

func noop() {}

// opCtx is the context an operation runs under: the caller's, stopped as
// well when the engine's context ends. Call done when the operation ends.
func (e *Engine) opCtx(ctx context.Context) (_ context.Context, done func()) {
	if ctx == nil || ctx == context.Background() || ctx == context.TODO() || ctx == e.ctx {
		return e.ctx, noop
	}
	if e.ctx.Done() == nil {
		return ctx, noop
	}
	merged, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(e.ctx, cancel)
	return merged, func() { stop(); cancel() }
}

// ---- engine-level execution ----

// Connect checks a connection out of the pool (SQLAlchemy's
// engine.connect()). Close it to give it back.
func (e *Engine) Connect() (*Connection, error) { return e.ConnectContext(e.ctx) }

// ConnectContext is Connect with a context for the pool wait.
func (e *Engine) ConnectContext(ctx context.Context) (*Connection, error) {
	if e.disposed.Load() {
		return nil, ErrEngineDisposed
	}
	ctx, done := e.opCtx(ctx)
	pc, err := e.pool.Get(ctx)
	done()
	if err != nil {
		return nil, err
	}
	return &Connection{e: e, pc: pc, raw: pc.Raw().(*rawConn)}, nil
}

// Begin checks out a connection and begins a transaction on it, like
// SQLAlchemy's `with engine.begin() as conn:`. Commit (or Rollback) and
// Close it when done; Close without Commit rolls back.
func (e *Engine) Begin() (*Connection, error) {
	c, err := e.Connect()
	if err != nil {
		return nil, err
	}
	if err := c.Begin(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Transaction runs fn in a transaction on a connection of its own and
// commits if fn returns nil, rolling back otherwise (SQLAlchemy's `with
// engine.begin() as conn:`). fn's error is returned as is.
func (e *Engine) Transaction(fn func(c *Connection) error) error {
	c, err := e.Begin()
	if err != nil {
		return err
	}
	defer c.Close()
	if err := fn(c); err != nil {
		return err
	}
	return c.Commit()
}

// ExecInTransaction implements core.TxExecutor: fn's statements run on one
// connection in one transaction, committed if fn returns nil (create_all
// and drop_all, as in SQLAlchemy).
func (e *Engine) ExecInTransaction(ctx context.Context, fn func(core.Executor) error) error {
	c, err := e.ConnectContext(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.BeginContext(ctx); err != nil {
		return err
	}
	if err := fn(c); err != nil {
		return err // Close rolls back
	}
	return c.commitCtx(ctx)
}

// Execute runs one statement in its own transaction on a connection of its
// own, committing on success (the "engine.begin(); execute" pattern).
func (e *Engine) Execute(stmt any, params ...any) (*Result, error) {
	return e.ExecuteContext(e.ctx, stmt, params...)
}

// ExecuteContext is Execute under ctx.
func (e *Engine) ExecuteContext(ctx context.Context, stmt any, params ...any) (*Result, error) {
	c, err := e.ConnectContext(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	res, err := c.ExecuteContext(ctx, stmt, params...)
	if err != nil {
		return nil, err
	}
	if err := c.commitCtx(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// Exec implements core.Executor (md.CreateAll(ctx, engine, true)): each
// statement in its own committed transaction.
func (e *Engine) Exec(ctx context.Context, stmt core.Executable) (core.Result, error) {
	res, err := e.ExecuteContext(ctx, stmt)
	if err != nil {
		return nil, err
	}
	return sqlResult{res}, nil
}

// HasTable implements core.Executor.
func (e *Engine) HasTable(ctx context.Context, name string) (bool, error) {
	c, err := e.ConnectContext(ctx)
	if err != nil {
		return false, err
	}
	defer c.Close()
	return c.HasTable(ctx, name)
}

// ---- statement events and echo ----

func (e *Engine) observed() bool { return e.cfg.observer != nil && !e.silent.Load() }

// Silence turns echo and observer events off for good: what the engine does
// from now on is not shown (the runner reads the final tables this way).
func (e *Engine) Silence() { e.silent.Store(true) }

// emit numbers and delivers one statement event.
func (e *Engine) emit(ev StatementEvent) {
	if !e.observed() {
		return
	}
	e.evMu.Lock()
	e.seq++
	ev.Seq = e.seq
	e.cfg.observer.Statement(ev)
	e.evMu.Unlock()
}

// echoLines writes echo output atomically.
func (e *Engine) echoLines(lines ...string) {
	if e.echo == nil || e.silent.Load() {
		return
	}
	e.evMu.Lock()
	for _, l := range lines {
		io.WriteString(e.echo, l+"\n")
	}
	e.evMu.Unlock()
}

// Echoing reports whether echo is on.
func (e *Engine) Echoing() bool { return e.echo != nil && !e.silent.Load() }

// Both run CreateAll / DropAll.
var (
	_ core.Executor = (*Engine)(nil)
	_ core.Executor = (*Connection)(nil)
)
