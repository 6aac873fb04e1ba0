package driver

import (
	"context"
	"database/sql"
)

// StmtCache keeps prepared statements by their SQL for one connection (or
// one transaction), as Python's sqlite3 module does: a flush writes many
// INSERTs of one shape and relationship loads repeat one SELECT, so SQLite
// parses each text once instead of once per execution. Callers put only
// statements they compiled themselves through it, and only on SQLite: raw
// text may hold several statements, and server drivers change value types
// when prepared. It is not safe for concurrent use: one connection, one
// user at a time.
//
// A cached statement holds no lock between executions (its rows are
// always closed, which resets it), and SQLite re-prepares it by itself
// after a schema change.
type StmtCache struct {
	m     map[string]*sql.Stmt
	order []string // oldest first, for eviction
}

// StmtCacheSize bounds the statements one StmtCache keeps; the oldest goes
// first.
const StmtCacheSize = 64

// Preparer is what statements are prepared on: *sql.Conn or *sql.Tx.
type Preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Stmt returns the prepared statement for query, preparing it on p.
func (sc *StmtCache) Stmt(ctx context.Context, p Preparer, query string) (*sql.Stmt, error) {
	if st, ok := sc.m[query]; ok {
		return st, nil
	}
	st, err := p.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if sc.m == nil {
		sc.m = make(map[string]*sql.Stmt)
	}
	if len(sc.order) >= StmtCacheSize {
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

// Query runs a statement that returns rows through the cache; an error
// drops the statement, so one in an unknown state is never reused.
func (sc *StmtCache) Query(ctx context.Context, p Preparer, query string, args []any) (*sql.Rows, error) {
	st, err := sc.Stmt(ctx, p, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		sc.Drop(query)
	}
	return rows, err
}

// Exec runs a statement that returns no rows through the cache; an error
// drops the statement.
func (sc *StmtCache) Exec(ctx context.Context, p Preparer, query string, args []any) (sql.Result, error) {
	st, err := sc.Stmt(ctx, p, query)
	if err != nil {
		return nil, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		sc.Drop(query)
	}
	return res, err
}

// Drop forgets and closes query's statement.
func (sc *StmtCache) Drop(query string) {
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

// CloseAll closes every cached statement and empties the cache.
func (sc *StmtCache) CloseAll() {
	for _, st := range sc.m {
		st.Close()
	}
	sc.m, sc.order = nil, nil
}

// Len is the number of statements cached.
func (sc *StmtCache) Len() int { return len(sc.m) }

// Has reports whether query's statement is cached.
func (sc *StmtCache) Has(query string) bool { _, ok := sc.m[query]; return ok }

// Queries lists the cached statements' SQL, oldest first.
func (sc *StmtCache) Queries() []string { return append([]string(nil), sc.order...) }
