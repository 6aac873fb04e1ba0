// Package driver opens database connections. SQLite comes from a pure-Go
// driver on both sides — modernc.org/sqlite natively, ncruces/go-sqlite3 in the
// browser (GOOS=js) — chosen by build tags in sqlite_native.go and
// sqlite_js.go. PostgreSQL and MySQL drivers are linked natively only.
package driver

import (
	"database/sql"
	"errors"
)

// ErrNotAvailable is returned when a driver is not linked into this build
// (server drivers in the browser).
var ErrNotAvailable = errors.New("driver not available in this build")

// ErrNoFileSystem is returned for SQLite database files in the browser.
var ErrNoFileSystem = errors.New("the browser has no file system for a SQLite database file: use sqlite:// (in memory)")

// OpenSQLite opens a SQLite database. dsn "" or ":memory:" is a private
// in-memory database.
func OpenSQLite(dsn string) (*sql.DB, error) {
	if dsn == "" {
		dsn = ":memory:"
	}
	return sql.Open(SQLiteDriverName, dsn)
}
