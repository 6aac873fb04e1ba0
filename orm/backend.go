package orm

import (
	"context"
	"database/sql"
	"time"

	"ormlab/dialect"
	"ormlab/driver"
	"ormlab/orm/core"
)

// The session talks to the database through this small interface, so that
// the unit of work does not depend on how statements are executed: over
// the Engine (its pool, echo, observer, simulated servers) or, in tests and
// benchmarks, over a plain *sql.DB.

// execResult is a statement's outcome, rows read in full.
type execResult struct {
	cols     []string
	rows     [][]any
	affected int64
	lastID   int64
	hasID    bool
}

// dbConn is one connection with at most one transaction open.
type dbConn interface {
	// exec runs stmt (a core statement, compiled for the executing dialect).
	exec(ctx context.Context, stmt core.Executable, params []any) (*execResult, error)
	begin(ctx context.Context) error
	commit() error
	rollback() error
	savepoint(name string) error
	releaseSavepoint(name string) error
	rollbackToSavepoint(name string) error
	close() error
}

// binder is what a session is bound to.
type binder interface {
	// dialect is the dialect the program uses (the URL's): it decides the
	// SQL the unit of work builds (RETURNING or not).
	dialect() dialect.Dialect
	connect(ctx context.Context) (dbConn, error)
	// key identifies the engine for execute listeners.
	key() any
}

// ---- *sql.DB binder (tests, benchmarks) ----

type sqlDBBinder struct {
	db *sql.DB
	d  dialect.Dialect
}

func (b *sqlDBBinder) dialect() dialect.Dialect { return b.d }
func (b *sqlDBBinder) key() any                 { return b.db }

func (b *sqlDBBinder) connect(ctx context.Context) (dbConn, error) {
	c, err := b.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &sqlConn{c: c, d: b.d}, nil
}

type sqlConn struct {
	c  *sql.Conn
	tx *sql.Tx
	d  dialect.Dialect
	// Prepared statements by SQL, as the Engine keeps them, on SQLite
	// only (driver.StmtCache): statements prepared on a transaction end
	// with it, so txStmts is emptied at COMMIT/ROLLBACK; connStmts live
	// until close.
	txStmts, connStmts driver.StmtCache
}

// cacheable reports whether stmt runs prepared from the cache: a statement
// the ORM compiled (not core.Text, which may hold several statements), on
// SQLite (server drivers change value types when prepared).
func (c *sqlConn) cacheable(stmt core.Executable) bool {
	if c.d.Name() != dialect.SQLite {
		return false
	}
	_, raw := stmt.(*core.TextClause)
	return !raw
}

// stmts is the cache for the current transaction or connection, and
// what its statements are prepared on.
func (c *sqlConn) stmts() (*driver.StmtCache, driver.Preparer) {
	if c.tx != nil {
		return &c.txStmts, c.tx
	}
	return &c.connStmts, c.c
}

func (c *sqlConn) query(ctx context.Context, query string, args []any, cached bool) (*sql.Rows, error) {
	if !cached {
		return c.q().QueryContext(ctx, query, args...)
	}
	sc, p := c.stmts()
	return sc.Query(ctx, p, query, args)
}

func (c *sqlConn) execSQL(ctx context.Context, query string, args []any, cached bool) (sql.Result, error) {
	if !cached {
		return c.q().ExecContext(ctx, query, args...)
	}
	sc, p := c.stmts()
	return sc.Exec(ctx, p, query, args)
}

// dropStmt forgets query's statement after an error on it, so one in an
// unknown state is never reused.
func (c *sqlConn) dropStmt(query string) {
	c.txStmts.Drop(query)
	c.connStmts.Drop(query)
}

// endTx forgets the transaction's statements (database/sql closes them
// with it).
func (c *sqlConn) endTx() {
	c.txStmts.CloseAll()
	c.tx = nil
}

type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func (c *sqlConn) q() queryer {
	if c.tx != nil {
		return c.tx
	}
	return c.c
}

func (c *sqlConn) exec(ctx context.Context, stmt core.Executable, params []any) (*execResult, error) {
	comp, err := core.Compile(stmt, c.d)
	if err != nil {
		return nil, err
	}
	args := comp.Params
	if len(params) > 0 {
		args = params
	}
	cached := c.cacheable(stmt)
	if comp.Returns {
		rows, err := c.query(ctx, comp.SQL, args, cached)
		if err != nil {
			return nil, &core.ExecError{SQL: comp.SQL, Params: args, Dialect: comp.Dialect, Err: err}
		}
		defer rows.Close()
		res := &execResult{}
		res.cols, _ = rows.Columns()
		n := len(res.cols)
		scan := make([]any, n)
		ptrs := make([]any, n)
		for i := range scan {
			ptrs[i] = &scan[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				if cached {
					c.dropStmt(comp.SQL)
				}
				return nil, err
			}
			res.rows = append(res.rows, append(make([]any, 0, n), scan...))
		}
		if err := rows.Err(); err != nil {
			if cached {
				c.dropStmt(comp.SQL)
			}
			return nil, &core.ExecError{SQL: comp.SQL, Params: args, Dialect: comp.Dialect, Err: err}
		}
		res.affected = int64(len(res.rows))
		return res, nil
	}
	r, err := c.execSQL(ctx, comp.SQL, args, cached)
	if err != nil {
		return nil, &core.ExecError{SQL: comp.SQL, Params: args, Dialect: comp.Dialect, Err: err}
	}
	res := &execResult{}
	res.affected, _ = r.RowsAffected()
	if id, err := r.LastInsertId(); err == nil {
		res.lastID, res.hasID = id, true
	}
	return res, nil
}

func (c *sqlConn) begin(ctx context.Context) error {
	tx, err := c.c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	c.tx = tx
	return nil
}

func (c *sqlConn) commit() error {
	if c.tx == nil {
		return nil
	}
	err := c.tx.Commit()
	c.endTx()
	return err
}

func (c *sqlConn) rollback() error {
	if c.tx == nil {
		return nil
	}
	err := c.tx.Rollback()
	c.endTx()
	return err
}

func (c *sqlConn) raw(sql string) error {
	_, err := c.q().ExecContext(context.Background(), sql)
	return err
}

func (c *sqlConn) savepoint(name string) error { return c.raw(savepointSQL(c.d, "SAVEPOINT", name)) }
func (c *sqlConn) releaseSavepoint(name string) error {
	return c.raw(savepointSQL(c.d, "RELEASE", name))
}
func (c *sqlConn) rollbackToSavepoint(name string) error {
	return c.raw(savepointSQL(c.d, "ROLLBACK TO", name))
}

func (c *sqlConn) close() error {
	if c.tx != nil {
		c.tx.Rollback()
		c.endTx()
	}
	c.connStmts.CloseAll()
	return c.c.Close()
}

// savepointSQL writes SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO
// SAVEPOINT, in SQL Server's words there (SAVE TRANSACTION; no release).
func savepointSQL(d dialect.Dialect, op, name string) string {
	if d != nil && d.Name() == dialect.MSSQL {
		switch op {
		case "SAVEPOINT":
			return "SAVE TRANSACTION " + name
		case "ROLLBACK TO":
			return "ROLLBACK TRANSACTION " + name
		}
		return ""
	}
	switch op {
	case "SAVEPOINT":
		return "SAVEPOINT " + name
	case "RELEASE":
		return "RELEASE SAVEPOINT " + name
	}
	return "ROLLBACK TO SAVEPOINT " + name
}

// NewSessionDB binds a session to a plain *sql.DB whose SQL dialect is
// dialectName ("sqlite", "postgresql", "mysql"). It is for tests and
// benchmarks of the ORM without the Engine; programs use NewSession(engine).
func NewSessionDB(db *sql.DB, dialectName string, options ...SessionOption) (*Session, error) {
	d, err := dialect.Get(dialectName)
	if err != nil {
		return nil, err
	}
	return newSession(&sqlDBBinder{db: db, d: d}, options), nil
}

var _ = time.Second

// bindKeyOf is the listener key of what a session can be bound to.
func bindKeyOf(x any) any {
	switch v := x.(type) {
	case *sql.DB:
		return v
	}
	return engineKey(x)
}

func engineKey(x any) any {
	if e, ok := x.(*Engine); ok {
		return e
	}
	return nil
}
