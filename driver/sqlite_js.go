//go:build js

package driver

import (
	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"
	_ "github.com/ncruces/go-sqlite3/vfs/memdb"
)

// SQLiteDriverName is the database/sql driver name of this build's SQLite.
const SQLiteDriverName = "sqlite3"

// SharedMemoryDSN names an in-memory database that every connection opened
// with the same name shares (the simulated server's database).
func SharedMemoryDSN(name string) string {
	return "file:/" + name + "?vfs=memdb&_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
}

// SQLiteFileDSN fails in the browser: there is no file system.
func SQLiteFileDSN(path string) (string, error) {
	return "", ErrNoFileSystem
}
