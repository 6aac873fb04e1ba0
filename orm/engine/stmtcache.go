package engine

import (
	"context"
	"database/sql"
)

// A per-connection cache of prepared statements, keyed by their SQL, as
// Python's sqlite3 module keeps one (SQLAlchemy's compiled cache plays the
// same part above it). A flush writes many INSERTs of one shape (500 rows a
// statement), and relationship loads repeat the same SELECT: SQLite then
// parses each text once per connection instead of once per execution.
//
// Only statements the engine compiled itself run through the cache, and
// only on SQLite: raw text may hold several statements (which a prepared
// statement cannot), and server drivers change behaviour when prepared
// (MySQL's binary protocol returns other value types).
//
// A cached statement holds no lock between executions (its rows are
// always closed, which resets it) and SQLite re-prepares it by itself
// after a schema change. The cache is only used under Connection.mu, by
// the one Connection that has the raw connection checked out.

// stmtCacheSize bounds the statements kept per connection.
const stmtCacheSize = 64

type stmtCache struct {
	m     map[string]*sql.Stmt
	order []string // oldest first, for eviction
}

// stmt returns the prepared statement for query, preparing it on c.
func (sc *stmtCache) stmt(ctx context.Context, c *sql.Conn, query string) (*sql.Stmt, error) {
	if st, ok := sc.m[query]; ok {
		return st, nil
	}
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if sc.m == nil {
		sc.m = make(map[string]*sql.Stmt)
	}
	if len(sc.order) >= stmtCacheSize {
		old := sc.order[0]
		sc.order = append(sc.order[:0], sc.order[1:]...)
		if o := sc.m[old]; o != nil {
			o.Close()
		}
		delete(sc.m, old)
	}
	sc.m[query] = st
	sc.order = append(sc.order, query)
	return st, nil
}

// drop forgets and closes query's statement (after an error on it, so a
// statement in an unknown state is never reused).
func (sc *stmtCache) drop(query string) {
	st, ok := sc.m[query]
	if !ok {
		return
	}
	st.Close()
	delete(sc.m, query)
	for i, q := range sc.order {
		if q == query {
			sc.order = append(sc.order[:i], sc.order[i+1:]...)
			break
		}
	}
}

// closeAll closes every cached statement.
func (sc *stmtCache) closeAll() {
	for _, st := range sc.m {
		st.Close()
	}
	sc.m, sc.order = nil, nil
}

// Len is the number of statements cached (tests).
func (sc *stmtCache) Len() int { return len(sc.m) }

// query runs a statement that returns rows: through the cache when
// cached, else directly.
func (r *rawConn) query(ctx context.Context, q string, args []any, cached bool) (*sql.Rows, error) {
	if !cached {
		return r.c.QueryContext(ctx, q, args...)
	}
	st, err := r.stmts.stmt(ctx, r.c, q)
	if err != nil {
		return nil, err
	}
	rs, err := st.QueryContext(ctx, args...)
	if err != nil {
		r.stmts.drop(q)
	}
	return rs, err
}

// exec runs a statement that returns no rows, through the cache when
// cached.
func (r *rawConn) exec(ctx context.Context, q string, args []any, cached bool) (sql.Result, error) {
	if !cached {
		return r.c.ExecContext(ctx, q, args...)
	}
	st, err := r.stmts.stmt(ctx, r.c, q)
	if err != nil {
		return nil, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		r.stmts.drop(q)
	}
	return res, err
}
