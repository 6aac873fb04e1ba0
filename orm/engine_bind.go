package orm

import (
	"context"
	"errors"

	"ormlab/dialect"
	"ormlab/orm/core"
	"ormlab/orm/engine"
)

// engineBinder runs a session's statements on an Engine's connections, so
// they pass through its pool, echo and observer (the playground's trace).
type engineBinder struct{ e *engine.Engine }

func (b *engineBinder) dialect() dialect.Dialect { return b.e.Dialect() }
func (b *engineBinder) key() any                 { return b.e }

func (b *engineBinder) connect(ctx context.Context) (dbConn, error) {
	c, err := b.e.ConnectContext(ctx)
	if err != nil {
		return nil, err
	}
	return &engineConn{c: c}, nil
}

type engineConn struct{ c *engine.Connection }

func (c *engineConn) exec(ctx context.Context, stmt core.Executable, params []any) (*execResult, error) {
	r, err := c.c.ExecuteContext(ctx, stmt, params...)
	if err != nil {
		return nil, err
	}
	res := &execResult{cols: r.Columns(), rows: r.Rows(), affected: r.RowsAffected()}
	if id, ok := r.LastInsertID(); ok {
		res.lastID, res.hasID = id, true
	}
	return res, nil
}

func (c *engineConn) begin(ctx context.Context) error       { return c.c.BeginContext(ctx) }
func (c *engineConn) commit() error                         { return c.c.Commit() }
func (c *engineConn) rollback() error                       { return c.c.Rollback() }
func (c *engineConn) savepoint(name string) error           { return c.c.Savepoint(name) }
func (c *engineConn) releaseSavepoint(name string) error    { return c.c.ReleaseSavepoint(name) }
func (c *engineConn) rollbackToSavepoint(name string) error { return c.c.RollbackToSavepoint(name) }
func (c *engineConn) close() error                          { return c.c.Close() }

// nilBinder is a session made from a nil engine: every use says so.
type nilBinder struct{}

var errNilEngine = errors.New("the session has no engine (orm.NewSession(nil)): create one with orm.CreateEngine")

func (nilBinder) dialect() dialect.Dialect {
	d, _ := dialect.Get(dialect.SQLite)
	return d
}
func (nilBinder) key() any { return nil }
func (nilBinder) connect(context.Context) (dbConn, error) {
	return nil, errNilEngine
}
