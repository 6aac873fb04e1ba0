//go:build !js

package driver

import _ "modernc.org/sqlite" // registers "sqlite"

// SQLiteDriverName is the database/sql driver name of this build's SQLite.
const SQLiteDriverName = "sqlite"

// SharedMemoryDSN names an in-memory database that every connection opened
// with the same name shares (the simulated server's database).
func SharedMemoryDSN(name string) string {
	return "file:" + name + "?mode=memory&cache=shared&_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
}
