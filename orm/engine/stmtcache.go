package engine

import (
	"context"
	"database/sql"
)

// Statements the engine compiled itself run prepared from the raw
// connection's driver.StmtCache, on SQLite only (see driver/stmtcache.go
// for why). The cache is only used under Connection.mu, by the one
// Connection that has the raw connection checked out.

// query runs a statement that returns rows: through the cache when
// cached, else directly.
func (r *rawConn) query(ctx context.Context, q string, args []any, cached bool) (*sql.Rows, error) {
	if !cached {
		return r.c.QueryContext(ctx, q, args...)
	}
	return r.stmts.Query(ctx, r.c, q, args)
}

// exec runs a statement that returns no rows, through the cache when
// cached.
func (r *rawConn) exec(ctx context.Context, q string, args []any, cached bool) (sql.Result, error) {
	if !cached {
		return r.c.ExecContext(ctx, q, args...)
	}
	return r.stmts.Exec(ctx, r.c, q, args)
}
