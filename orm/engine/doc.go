// Package engine is ORM Lab's Engine: SQLAlchemy's create_engine — a URL's
// dialect, a connection pool (orm/pool) and a driver — with an echo and an
// observer that let a learner see every statement and every pool step.
//
// # URLs
//
// ParseURL takes SQLAlchemy's forms: dialect+driver://user:password@host:port/database?key=value,
// sqlite:// (memory), sqlite:///relative.db, sqlite:////absolute.db and
// sqlite:///:memory:. The driver part (psycopg2, pg8000, psycopg, asyncpg,
// pymysql, mysqldb, mysqlconnector, mariadbconnector, pyodbc, pymssql…) is
// checked and shown but does not pick the Go driver; mariadb:// compiles
// with the mysql dialect, as in SQLAlchemy. URL.String hides the password
// as *** like SQLAlchemy's repr; errors never print it.
//
// # Where statements run
//
//   - sqlite:// and sqlite:///:memory: — one in-memory database shared by
//     every pool connection (ncruces SQLite over the memdb VFS, natively and
//     in the browser), kept alive by an anchor connection the engine holds.
//   - sqlite:///file.db — a file (natively; the browser has no file system
//     and says so with driver.ErrNoFileSystem).
//   - a server URL, natively — the real server: pgx for PostgreSQL,
//     go-sql-driver for MySQL/MariaDB. Each pool connection is its own
//     *sql.Conn from a *sql.DB that keeps no idle connections, so the pool
//     alone decides what is open.
//   - a server URL with Simulated(true) (the default in the browser, and
//     always for mssql, which has no Go driver here) — the simulated server:
//     statements are compiled for the URL's dialect (what echo and errors
//     show) and, from the same statement tree, for SQLite, which runs them
//     on a shared in-memory database. Every simulated connection is a real
//     SQLite connection, so transactions and locks are real.
//
// # Transactions
//
// A Connection behaves like SQLAlchemy 2.0's: the first statement begins a
// transaction implicitly (echo: "BEGIN (implicit)"), Commit commits it, Close
// rolls back what was not committed and checks the connection in. Begin
// begins explicitly; Engine.Begin and Engine.Transaction are "with
// engine.begin()". BeginNested sets SAVEPOINT sa_savepoint_N.
//
// On SQLite (files, memory, simulated servers) the database's own BEGIN is
// deferred to the first statement that is not a SELECT, as Python's sqlite3
// module does. A read-only transaction therefore holds no lock, and a writer
// on another connection can commit — reads see the last committed data, as
// under PostgreSQL's READ COMMITTED. What SQLite cannot simulate is two
// connections writing at once: the second waits LockTimeout (3 s) for the
// first to finish and then fails with "database is locked" and a hint
// (StatementError.Hint) explaining the difference from a server. On a
// virtual clock that wait happens on the clock (SQLite's own busy wait is
// off), so the goroutine holding the lock gets to run and commit.
//
// A statement that fails inside a transaction on a simulated PostgreSQL
// server spoils the transaction as the real server does (SQLSTATE 25P02,
// ErrInFailedTransaction) until Rollback or a rollback to a savepoint; a
// Commit then rolls back, silently, as PostgreSQL answers COMMIT.
//
// # Echo
//
// Echo(true) prints, in the URL's dialect, what SQLAlchemy's echo=True
// prints, without the logger prefix and without timings (so output is the
// same on every run):
//
//	BEGIN (implicit)
//	INSERT INTO users (name) VALUES ($1) RETURNING id
//	[generated] ('spongebob',)
//	COMMIT
//
// "[generated]" follows a compiled statement, "[raw sql]" raw SQL from
// core.Text, "[no key]" DDL; parameters print as a Python tuple (strings
// quoted, None, True/False, b'bytes'). Lines go to EchoWriter (default
// stdout). EchoPool(true) (echo_pool=True) adds a line per pool step, with
// the pool's time on a virtual clock:
//
//	[t=30.000s] [pool] Gave up waiting: QueuePool limit of size 1 overflow 0 reached, … [checked out 1, overflow 0, idle 0]
//
// # Generated keys
//
// Result.InsertedPrimaryKey reads an INSERT's generated key the way
// SQLAlchemy does per dialect: RETURNING (PostgreSQL) or OUTPUT inserted
// (SQL Server) added implicitly — visible in echo and the trace — or the
// driver's LastInsertId (SQLite, MySQL).
//
// # Observer
//
// WithObserver receives a StatementEvent per statement (BEGIN, COMMIT,
// ROLLBACK and SAVEPOINT included) with the statement compiled for all four
// dialects, and every pool.Event. Compiling for the other dialects happens
// only when an observer is attached.
//
// # Fault injection
//
// ConnectLatency (on the engine's clock: virtual in demos), RefuseConnects /
// RefuseNextConnects, and DropConnections, which plays a server restart:
// every open connection's next use fails with a *DisconnectError that
// matches pool.ErrDisconnect, so pre-ping replaces it on checkout and a
// statement that meets it invalidates the whole pool.
//
// # Stopping
//
// WithContext is the run's context: cancelling it interrupts a running
// query (SQLite and both server drivers honour it) and a pool wait. A
// connection whose query was interrupted is invalidated rather than reused.
//
// # SQLAlchemy option → Option
//
//	echo=True                     Echo(true)  (+ EchoWriter(w))
//	echo_pool=True                EchoPool(true)
//	pool_size=5                   PoolSize(5)            (0: no limit)
//	max_overflow=10               MaxOverflow(10)        (-1: no limit)
//	pool_timeout=30               PoolTimeout(30*time.Second)
//	pool_recycle=3600             PoolRecycle(time.Hour) (<= 0: off)
//	pool_pre_ping=True            PoolPrePing(true)
//	pool_use_lifo=True            PoolUseLIFO(true)
//	pool_reset_on_return="commit" PoolResetOnReturn("commit") ("rollback", "none")
//	poolclass=NullPool            PoolClass("NullPool")  ("QueuePool", "StaticPool")
//	(none)                        WithClock, WithContext, WithObserver, Simulated,
//	                              ConnectLatency, RefuseConnects, LockTimeout
package engine
