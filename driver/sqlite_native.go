//go:build !js

package driver

import _ "modernc.org/sqlite" // registers "sqlite"

// SQLiteDriverName is the database/sql driver name of this build's SQLite.
const SQLiteDriverName = "sqlite"

// SharedMemoryDSN names an in-memory database that every connection opened
// with the same name shares. Natively it uses shared-cache mode, where a
// reader blocks on another connection's uncommitted writes; the Engine uses
// OpenSharedMemory instead, which behaves like a server.
func SharedMemoryDSN(name string) string {
	return "file:" + name + "?mode=memory&cache=shared&_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
}

// SQLiteFileDSN is the DSN of a SQLite database file for OpenSQLite, with
// foreign keys on and a busy timeout, as the Engine opens sqlite:///file.db.
func SQLiteFileDSN(path string) (string, error) {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)", nil
}
