package core

import (
	"context"
	"database/sql"
	"fmt"

	"ormlab/dialect"
)

// SQLiteExecutor runs compiled statements on a SQLite *sql.DB. It is the
// minimal executor of issue 2 (tests, CreateAll on SQLite); the Engine is
// the full one. A ":memory:" database is private to each connection, so give
// the DB one connection (db.SetMaxOpenConns(1)) or a shared-memory DSN.
type SQLiteExecutor struct {
	DB *sql.DB
	d  dialect.Dialect
	// Log, when set, receives every statement run.
	Log func(c Compiled)
}

// NewSQLiteExecutor wraps db.
func NewSQLiteExecutor(db *sql.DB) *SQLiteExecutor {
	d, err := dialect.Get(dialect.SQLite)
	if err != nil {
		panic(err) // dialect/all is linked into core: cannot happen
	}
	return &SQLiteExecutor{DB: db, d: d}
}

// Dialect implements Executor.
func (e *SQLiteExecutor) Dialect() dialect.Dialect { return e.d }

// Exec implements Executor.
func (e *SQLiteExecutor) Exec(ctx context.Context, stmt Executable) (Result, error) {
	c, err := Compile(stmt, e.d)
	if err != nil {
		return nil, err
	}
	if e.Log != nil {
		e.Log(c)
	}
	res, err := e.DB.ExecContext(ctx, c.SQL, c.Params...)
	if err != nil {
		return nil, &ExecError{SQL: c.SQL, Params: c.Params, Dialect: c.Dialect, Err: err}
	}
	return res, nil
}

// Query runs a statement that returns rows and reads them all.
func (e *SQLiteExecutor) Query(ctx context.Context, stmt Executable) (cols []string, rows [][]any, err error) {
	c, err := Compile(stmt, e.d)
	if err != nil {
		return nil, nil, err
	}
	if e.Log != nil {
		e.Log(c)
	}
	r, err := e.DB.QueryContext(ctx, c.SQL, c.Params...)
	if err != nil {
		return nil, nil, &ExecError{SQL: c.SQL, Params: c.Params, Dialect: c.Dialect, Err: err}
	}
	defer r.Close()
	cols, err = r.Columns()
	if err != nil {
		return nil, nil, err
	}
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		rows = append(rows, vals)
	}
	if err := r.Err(); err != nil {
		return nil, nil, &ExecError{SQL: c.SQL, Params: c.Params, Dialect: c.Dialect, Err: err}
	}
	return cols, rows, nil
}

// HasTable implements Executor.
func (e *SQLiteExecutor) HasTable(ctx context.Context, name string) (bool, error) {
	var n int
	err := e.DB.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
	return n > 0, err
}

// ExecError is a statement the database refused: the SQL, its parameters
// and the database's message.
type ExecError struct {
	SQL     string
	Params  []any
	Dialect string
	Err     error
}

func (e *ExecError) Error() string {
	return fmt.Sprintf("%s: %v\n[SQL: %s]\n[parameters: %v]", e.Dialect, e.Err, e.SQL, e.Params)
}

// Unwrap gives the driver's error.
func (e *ExecError) Unwrap() error { return e.Err }
