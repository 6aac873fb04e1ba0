package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"ormlab/dialect"
	"ormlab/driver"
	"ormlab/orm/core"
	"ormlab/orm/pool"
)

// Connection is one checked-out connection, SQLAlchemy 2.0 style: the
// first statement begins a transaction implicitly ("BEGIN (implicit)"),
// Commit commits it, and Close rolls back whatever was not committed and
// returns the connection to the pool. Use it from one goroutine at a time.
type Connection struct {
	e   *Engine
	mu  sync.Mutex
	pc  *pool.Conn
	raw *rawConn
	id  int

	closed bool
	// invalid: the connection was invalidated (a disconnect); the next use
	// reconnects, unless a transaction was open — then Rollback first.
	invalid bool
	inTx    bool
	// aborted: a statement failed inside the transaction of a simulated
	// PostgreSQL server, which (like the real one) then refuses everything
	// until ROLLBACK or ROLLBACK TO SAVEPOINT.
	aborted bool
	spSeq   int
	nested  []*NestedTransaction
}

// ID is the pool's number of the underlying connection (1, 2, 3…).
func (c *Connection) ID() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pc.ID()
}

// Engine is the engine the connection came from.
func (c *Connection) Engine() *Engine { return c.e }

// Dialect implements core.Executor: the URL's dialect.
func (c *Connection) Dialect() dialect.Dialect { return c.e.d }

// InTransaction reports whether a transaction is open.
func (c *Connection) InTransaction() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inTx
}

// Execute runs a core statement (compiled for the URL's dialect to show,
// and for the executing dialect to run) or raw SQL from core.Text. Raw SQL
// takes positional "?" parameters or one map[string]any for :name
// markers; a core statement carries its own values.
func (c *Connection) Execute(stmt any, params ...any) (*Result, error) {
	return c.ExecuteContext(c.e.ctx, stmt, params...)
}

// ExecuteContext is Execute under ctx (also stopped by the engine's
// context).
func (c *Connection) ExecuteContext(ctx context.Context, stmt any, params ...any) (*Result, error) {
	if t, ok := stmt.(*core.TextClause); ok && t != nil && len(params) == 0 {
		// Transaction control written as raw SQL drives the connection's
		// own state, so it stays in step with the database.
		switch t.Kind() {
		case core.KindSelect, core.KindInsert, core.KindUpdate, core.KindDelete, core.KindDDL:
		default:
			switch strings.ToUpper(strings.TrimRight(strings.TrimSpace(t.SQL), "; ")) {
			case "BEGIN", "BEGIN TRANSACTION", "START TRANSACTION":
				return &Result{}, c.BeginContext(ctx)
			case "COMMIT", "COMMIT TRANSACTION", "END":
				return &Result{}, c.commitCtx(ctx)
			case "ROLLBACK", "ROLLBACK TRANSACTION":
				return &Result{}, c.rollbackCtx(ctx)
			}
		}
	}
	p, err := c.e.prepare(stmt, params)
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, done := c.e.opCtx(ctx)
	defer done()
	if err != nil {
		c.e.emit(StatementEvent{Kind: p.kind, Executed: c.e.xd.Name(), Conn: c.connID(), SQL: p.all(), Params: p.showParams, Err: err})
		return nil, err
	}
	if err := c.usable(ctx, "execute"); err != nil {
		return nil, err
	}
	if !c.inTx {
		if err := c.begin(ctx); err != nil {
			return nil, err
		}
	}
	return c.run(ctx, p)
}

// Exec implements core.Executor: the statement runs in the connection's
// transaction (begun implicitly); commit it yourself.
func (c *Connection) Exec(ctx context.Context, stmt core.Executable) (core.Result, error) {
	res, err := c.ExecuteContext(ctx, stmt)
	if err != nil {
		return nil, err
	}
	return sqlResult{res}, nil
}

// hasTableSQL asks whether a table exists, in each dialect.
var hasTableSQL = map[string]string{
	dialect.SQLite:     "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
	dialect.PostgreSQL: "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
	dialect.MySQL:      "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
	dialect.MSSQL:      "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = @p1",
}

// HasTable implements core.Executor: whether the table exists (in the
// current schema), asked of the database.
func (c *Connection) HasTable(ctx context.Context, name string) (bool, error) {
	p := &prepared{
		kind: KindSelect, returns: true,
		show: hasTableSQL[c.e.d.Name()], showParams: []any{name},
		run: hasTableSQL[c.e.xd.Name()], runParams: []any{name},
		raw: true,
	}
	p.allFn = func() map[string]string {
		m := make(map[string]string, len(hasTableSQL))
		for k, v := range hasTableSQL {
			m[k] = v
		}
		return m
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, done := c.e.opCtx(ctx)
	defer done()
	if err := c.usable(ctx, "has table"); err != nil {
		return false, err
	}
	if !c.inTx {
		if err := c.begin(ctx); err != nil {
			return false, err
		}
	}
	res, err := c.run(ctx, p)
	if err != nil {
		return false, err
	}
	return len(res.rows) > 0, nil
}

// Begin begins a transaction explicitly. It fails if one is already open
// (including one begun implicitly by a statement), as SQLAlchemy's does.
func (c *Connection) Begin() error { return c.BeginContext(c.e.ctx) }

// BeginContext is Begin under ctx.
func (c *Connection) BeginContext(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, done := c.e.opCtx(ctx)
	defer done()
	if err := c.usable(ctx, "begin"); err != nil {
		return err
	}
	if c.inTx {
		return &TransactionError{Op: "Begin", Reason: "a transaction is already begun on this connection (the first statement begins one implicitly); Commit or Rollback it first"}
	}
	return c.begin(ctx)
}

// Commit commits the open transaction; without one it does nothing (as
// SQLAlchemy 2.0's conn.commit()).
func (c *Connection) Commit() error { return c.commitCtx(c.e.ctx) }

// Rollback rolls back the open transaction; without one it does nothing.
// After an invalidation inside a transaction, Rollback is what lets the
// connection reconnect.
func (c *Connection) Rollback() error { return c.rollbackCtx(c.e.ctx) }

func (c *Connection) commitCtx(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrConnectionClosed
	}
	if !c.inTx {
		return nil
	}
	if c.invalid {
		return &TransactionError{Op: "Commit", Reason: "the connection was invalidated (disconnect) inside the transaction; its work is lost: Rollback, then start again"}
	}
	ctx, done := c.e.opCtx(ctx)
	defer done()
	if c.aborted {
		// PostgreSQL answers COMMIT of a failed transaction with ROLLBACK,
		// and no error: the work is silently lost, as on the real server.
		err := c.control(ctx, KindCommit, ctlSQL{"COMMIT", "COMMIT", "COMMIT", "COMMIT TRANSACTION"}, "COMMIT", false)
		if err == nil && c.raw.physTx {
			_, err = c.raw.c.ExecContext(ctx, "ROLLBACK")
		}
		c.endTx()
		return err
	}
	if err := c.control(ctx, KindCommit, ctlSQL{"COMMIT", "COMMIT", "COMMIT", "COMMIT TRANSACTION"}, "COMMIT", c.raw.physTx); err != nil {
		return err
	}
	c.endTx()
	return nil
}

func (c *Connection) rollbackCtx(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrConnectionClosed
	}
	if !c.inTx {
		return nil
	}
	if c.invalid {
		// Nothing left to roll back on the server: the transaction died
		// with the connection.
		c.endTx()
		return nil
	}
	ctx, done := c.e.opCtx(ctx)
	defer done()
	err := c.control(ctx, KindRollback, ctlSQL{"ROLLBACK", "ROLLBACK", "ROLLBACK", "ROLLBACK TRANSACTION"}, "ROLLBACK", c.raw.physTx)
	c.endTx()
	return err
}

func (c *Connection) endTx() {
	c.inTx, c.aborted = false, false
	if c.raw != nil {
		c.raw.physTx = false
	}
	for _, n := range c.nested {
		n.done = true
	}
	c.nested = nil
}

// NestedTransaction is a SAVEPOINT (SQLAlchemy's begin_nested()).
type NestedTransaction struct {
	c    *Connection
	Name string
	done bool
}

// BeginNested sets a SAVEPOINT (named sa_savepoint_1, 2…), beginning the
// outer transaction first if none is open.
func (c *Connection) BeginNested() (*NestedTransaction, error) {
	c.mu.Lock()
	c.spSeq++
	name := fmt.Sprintf("sa_savepoint_%d", c.spSeq)
	c.mu.Unlock()
	if err := c.Savepoint(name); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := &NestedTransaction{c: c, Name: name}
	c.nested = append(c.nested, n)
	return n, nil
}

// Commit releases the savepoint, keeping its work in the outer transaction.
func (n *NestedTransaction) Commit() error {
	if n.done {
		return &TransactionError{Op: "Commit", Reason: "savepoint " + n.Name + " is no longer active"}
	}
	n.done = true
	return n.c.ReleaseSavepoint(n.Name)
}

// Rollback rolls back to the savepoint, undoing only its work.
func (n *NestedTransaction) Rollback() error {
	if n.done {
		return &TransactionError{Op: "Rollback", Reason: "savepoint " + n.Name + " is no longer active"}
	}
	n.done = true
	return n.c.RollbackToSavepoint(n.Name)
}

var savepointName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Savepoint sets a named SAVEPOINT.
func (c *Connection) Savepoint(name string) error {
	return c.savepointOp("SAVEPOINT", name, ctlSQL{"SAVEPOINT " + name, "SAVEPOINT " + name, "SAVEPOINT " + name, "SAVE TRANSACTION " + name})
}

// ReleaseSavepoint releases a named SAVEPOINT (SQL Server has no RELEASE:
// there it is a no-op, as in SQLAlchemy).
func (c *Connection) ReleaseSavepoint(name string) error {
	return c.savepointOp("RELEASE SAVEPOINT", name, ctlSQL{"RELEASE SAVEPOINT " + name, "RELEASE SAVEPOINT " + name, "RELEASE SAVEPOINT " + name, "-- SQL Server has no RELEASE SAVEPOINT (nothing is sent)"})
}

// RollbackToSavepoint rolls back to a named SAVEPOINT.
func (c *Connection) RollbackToSavepoint(name string) error {
	return c.savepointOp("ROLLBACK TO SAVEPOINT", name, ctlSQL{"ROLLBACK TO SAVEPOINT " + name, "ROLLBACK TO SAVEPOINT " + name, "ROLLBACK TO SAVEPOINT " + name, "ROLLBACK TRANSACTION " + name})
}

func (c *Connection) savepointOp(op, name string, sqls ctlSQL) error {
	if !savepointName.MatchString(name) {
		return &TransactionError{Op: op, Reason: fmt.Sprintf("%q is not a valid savepoint name (letters, digits and _)", name)}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, done := c.e.opCtx(c.e.ctx)
	defer done()
	if err := c.usable(ctx, op); err != nil {
		return err
	}
	if op == "SAVEPOINT" && !c.inTx {
		if err := c.begin(ctx); err != nil {
			return err
		}
	}
	if !c.inTx {
		return &TransactionError{Op: op, Reason: "no transaction is open"}
	}
	if c.e.lazyBegin && !c.raw.physTx {
		if err := c.physBegin(ctx); err != nil {
			return err
		}
	}
	show := sqls.get(c.e.d.Name())
	if c.e.d.Name() == dialect.MSSQL && op == "RELEASE SAVEPOINT" {
		show = ""
	}
	if c.aborted && op != "ROLLBACK TO SAVEPOINT" {
		c.e.echoLines(show)
		err := c.abortedError(show, nil)
		ev := StatementEvent{Kind: KindSavepoint, Executed: c.e.xd.Name(), Conn: c.connID(), Params: []any{}, Err: err}
		if c.e.observed() {
			ev.SQL = sqls.all()
		}
		c.e.emit(ev)
		return err
	}
	err := c.control(ctx, KindSavepoint, sqls, show, true)
	if err == nil && op == "ROLLBACK TO SAVEPOINT" {
		c.aborted = false
	}
	return err
}

// Close rolls back a transaction still open and returns the connection to
// the pool. Closing twice is allowed.
func (c *Connection) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	var err error
	if c.inTx && !c.invalid {
		ctx, done := c.e.opCtx(c.e.ctx)
		err = c.control(ctx, KindRollback, ctlSQL{"ROLLBACK", "ROLLBACK", "ROLLBACK", "ROLLBACK TRANSACTION"}, "ROLLBACK", c.raw.physTx)
		done()
	}
	c.endTx()
	c.closed = true
	if !c.invalid {
		if perr := c.pc.Close(); err == nil {
			err = perr
		}
	}
	return err
}

// Invalidate closes the underlying connection for real (SQLAlchemy's
// conn.invalidate()); the next use checks out a new one. An open
// transaction is lost.
func (c *Connection) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.invalid {
		return
	}
	c.invalid = true
	c.pc.Invalidate(nil)
}

// ---- internals (c.mu held) ----

func (c *Connection) connID() int {
	if c.pc == nil {
		return 0
	}
	return c.pc.ID()
}

// usable checks the connection can run something, reconnecting after an
// invalidation outside a transaction (as SQLAlchemy does).
func (c *Connection) usable(ctx context.Context, op string) error {
	if c.closed {
		return ErrConnectionClosed
	}
	if !c.invalid {
		return nil
	}
	if c.inTx {
		return &TransactionError{Op: op, Reason: "the connection was invalidated (disconnect) inside a transaction; call Rollback before using it again"}
	}
	pc, err := c.e.pool.Get(ctx)
	if err != nil {
		return err
	}
	c.pc, c.raw, c.invalid = pc, pc.Raw().(*rawConn), false
	return nil
}

// begin opens the connection's transaction: "BEGIN (implicit)" in the echo
// and the trace; on the database at once, or at the first write where
// lazyBegin is set.
func (c *Connection) begin(ctx context.Context) error {
	send := !c.e.lazyBegin
	if err := c.control(ctx, KindBegin, ctlSQL{"BEGIN", "BEGIN", "BEGIN", "BEGIN TRANSACTION"}, "BEGIN (implicit)", send); err != nil {
		return err
	}
	c.inTx = true
	if send {
		c.raw.physTx = true
	}
	return nil
}

// physBegin sends the deferred BEGIN to the database.
func (c *Connection) physBegin(ctx context.Context) error {
	if err := c.raw.check(c.connID()); err != nil {
		return c.lost(err)
	}
	if _, err := c.raw.c.ExecContext(ctx, "BEGIN"); err != nil {
		return c.lost(err)
	}
	c.raw.physTx = true
	return nil
}

// ctlSQL is a transaction-control statement in the four dialects, in
// dialect.Names() order.
type ctlSQL [4]string

func (s ctlSQL) get(d string) string {
	switch d {
	case dialect.SQLite:
		return s[0]
	case dialect.PostgreSQL:
		return s[1]
	case dialect.MySQL:
		return s[2]
	}
	return s[3]
}

func (s ctlSQL) all() map[string]string {
	return map[string]string{dialect.SQLite: s[0], dialect.PostgreSQL: s[1], dialect.MySQL: s[2], dialect.MSSQL: s[3]}
}

// control runs BEGIN/COMMIT/ROLLBACK/SAVEPOINT: echo line, the statement
// on the database when send, and its event.
func (c *Connection) control(ctx context.Context, kind string, sqls ctlSQL, echo string, send bool) error {
	if echo != "" {
		c.e.echoLines(echo)
	}
	start := time.Now()
	var err error
	if send {
		if err = c.raw.check(c.connID()); err == nil {
			err = c.waitLocks(ctx, func() error {
				_, err := c.raw.c.ExecContext(ctx, sqls.get(c.e.xd.Name()))
				return err
			})
		}
	}
	ev := StatementEvent{Kind: kind, Executed: c.e.xd.Name(), Conn: c.connID(), Params: []any{}, Duration: time.Since(start)}
	if c.e.observed() {
		ev.SQL = sqls.all()
	}
	if err != nil {
		err = c.lost(err)
		err = &StatementError{Dialect: c.e.d.Name(), SQL: sqls.get(c.e.d.Name()), Executed: c.e.xd.Name(), ExecutedSQL: sqls.get(c.e.xd.Name()), Err: err, Hint: c.e.lockHint(err)}
		ev.Err = err
	}
	c.e.emit(ev)
	return err
}

// lost invalidates the connection when err says the server dropped it.
func (c *Connection) lost(err error) error {
	var de *DisconnectError
	if errors.As(err, &de) || driver.IsDisconnect(err) || (c.raw != nil && c.raw.dropped.Load()) {
		if de == nil && c.raw != nil && c.raw.dropped.Load() {
			err = fmt.Errorf("%w (%v)", &DisconnectError{Conn: c.connID(), Reason: "the server dropped it"}, err)
		}
		if !c.invalid {
			c.invalid = true
			c.pc.Invalidate(err)
		}
	}
	return err
}

// run executes a prepared statement in the open transaction.
func (c *Connection) run(ctx context.Context, p *prepared) (*Result, error) {
	id := c.connID()
	if c.aborted {
		if c.e.Echoing() {
			c.e.echoLines(p.show, "[generated] "+FormatParams(p.showParams))
		}
		err := c.abortedError(p.show, p.showParams)
		ev := StatementEvent{Kind: p.kind, Executed: c.e.xd.Name(), Conn: id, Params: p.showParams, Err: err}
		if c.e.observed() {
			ev.SQL = p.all()
		}
		c.e.emit(ev)
		return nil, err
	}
	if c.e.lazyBegin && !c.raw.physTx && p.kind != KindSelect {
		if err := c.physBegin(ctx); err != nil {
			return nil, c.fail(ctx, p, id, err, 0)
		}
	}
	if c.e.Echoing() {
		tag := "[generated]"
		if p.raw {
			tag = "[raw sql]"
		} else if p.kind == KindDDL {
			tag = "[no key]"
		}
		c.e.echoLines(p.show, tag+" "+FormatParams(p.showParams))
	}
	start := time.Now()
	if err := c.raw.check(id); err != nil {
		return nil, c.fail(ctx, p, id, err, 0)
	}
	// Statements the engine compiled itself run prepared, from the
	// connection's cache, on SQLite (stmtcache.go).
	cached := !p.raw && c.e.xd.Name() == dialect.SQLite &&
		(p.kind == KindSelect || p.kind == KindInsert || p.kind == KindUpdate || p.kind == KindDelete)
	res := &Result{}
	if p.returns {
		var cols []string
		var rows [][]any
		err := c.waitLocks(ctx, func() error {
			rs, err := c.raw.query(ctx, p.run, p.runParams, cached)
			if err != nil {
				return err
			}
			cols, rows, err = readRows(rs, c.e.typedDriver)
			rs.Close()
			if err != nil && cached {
				c.raw.stmts.Drop(p.run)
			}
			return err
		})
		if err != nil {
			return nil, c.fail(ctx, p, id, err, time.Since(start))
		}
		res.columns, res.rows, res.returns = cols, rows, true
		if p.kind != KindSelect {
			res.affected = int64(len(rows))
		}
		if p.pkCol != "" && len(rows) > 0 {
			for i, col := range cols {
				if strings.EqualFold(col, p.pkCol) {
					res.pk = []any{rows[0][i]}
				}
			}
		}
		if p.implicitReturning {
			// RETURNING was added to read the new key, not asked for.
			res.columns, res.rows, res.returns = nil, nil, false
		}
	} else {
		var r sql.Result
		err := c.waitLocks(ctx, func() (err error) {
			r, err = c.raw.exec(ctx, p.run, p.runParams, cached)
			return err
		})
		if err != nil {
			return nil, c.fail(ctx, p, id, err, time.Since(start))
		}
		res.affected, _ = r.RowsAffected()
		if p.lastID {
			if n, err := r.LastInsertId(); err == nil && n != 0 {
				res.pk = []any{n}
			}
		}
	}
	ev := StatementEvent{Kind: p.kind, Executed: c.e.xd.Name(), Conn: id, Params: p.showParams,
		RowsAffected: res.affected, RowsReturned: int64(len(res.rows)), Duration: time.Since(start)}
	if c.e.observed() {
		ev.SQL = p.all()
	}
	c.e.emit(ev)
	return res, nil
}

// fail wraps a database error, invalidates on a disconnect, and reports it.
func (c *Connection) fail(ctx context.Context, p *prepared, id int, err error, d time.Duration) error {
	if ctx.Err() != nil {
		// A query stopped half-way leaves the connection in an unknown
		// state: do not hand it to the next user.
		if !c.invalid {
			c.invalid = true
			c.pc.Invalidate(err)
		}
	} else {
		err = c.lost(err)
	}
	serr := &StatementError{Dialect: c.e.d.Name(), SQL: p.show, Params: p.showParams, Executed: c.e.xd.Name(), Err: err}
	if p.run != p.show {
		serr.ExecutedSQL = p.run
	}
	serr.Hint = c.e.lockHint(err)
	if c.e.simulated && c.e.d.Name() == dialect.PostgreSQL && c.inTx && !c.invalid {
		c.aborted = true
	}
	ev := StatementEvent{Kind: p.kind, Executed: c.e.xd.Name(), Conn: id, Params: p.showParams, Duration: d, Err: serr}
	if c.e.observed() {
		ev.SQL = p.all()
	}
	c.e.emit(ev)
	return serr
}

// lockHint explains SQLite's lock errors, which a server would not give.
func (e *Engine) lockHint(err error) string {
	if e.xd.Name() != dialect.SQLite || err == nil {
		return ""
	}
	if !isLocked(err) {
		return ""
	}
	where := "SQLite"
	if e.simulated {
		where = "the simulated " + e.d.Name() + " server runs on SQLite, which"
	}
	return where + " lets one transaction write at a time: another connection has uncommitted writes (or is reading while this one commits). Commit or roll back the other connection first; " +
		"a real server would lock only the rows involved."
}

// ErrInFailedTransaction is PostgreSQL's 25P02: a statement in a
// transaction that already had an error.
var ErrInFailedTransaction = errors.New("current transaction is aborted, commands ignored until end of transaction block")

func (c *Connection) abortedError(sql string, params []any) error {
	if params == nil {
		params = []any{}
	}
	return &StatementError{Dialect: c.e.d.Name(), SQL: sql, Params: params, Executed: c.e.xd.Name(), Err: ErrInFailedTransaction,
		Hint: "on PostgreSQL an error inside a transaction spoils it: call Rollback (or roll back to a savepoint taken before the error) first"}
}

// lockPoll is how often, in virtual time, a statement waiting for SQLite's
// lock on a virtual clock tries again.
const lockPoll = 10 * time.Millisecond

// waitLocks runs op. On a virtual clock SQLite's own busy wait (real time,
// invisible to the clock) is off, and a "database is locked" becomes a wait
// on the clock instead: the other goroutines of the demo run, the lock
// holder can commit, and the statement is tried again — up to LockTimeout of
// virtual time. A statement that failed on a lock changed nothing, so it is
// safe to repeat.
func (c *Connection) waitLocks(ctx context.Context, op func() error) error {
	err := op()
	if !c.e.virtualLocks || err == nil || !isLocked(err) {
		return err
	}
	for tries := int(c.e.lockTimeout/lockPoll) + 1; tries > 0 && err != nil && isLocked(err) && ctx.Err() == nil; tries-- {
		c.e.clock.Sleep(lockPoll)
		err = op()
	}
	return err
}

func isLocked(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database table is locked")
}
