package driver

import (
	"database/sql"
	"strconv"
	"time"
)

// SharedDriverName is the database/sql driver behind OpenSharedMemory:
// ncruces/go-sqlite3 in both builds, so the simulated server locks and
// isolates exactly the same way natively and in the browser.
const SharedDriverName = "sqlite3"

// SharedBusyTimeout is the default time a statement on a shared in-memory
// database waits for another connection's lock before failing with
// "database is locked".
const SharedBusyTimeout = 3 * time.Second

// OpenSharedMemory opens an in-memory database that every connection of the
// returned *sql.DB (and of any other OpenSharedMemory with the same name in
// this process) shares: the simulated server's database.
//
// It uses SQLite's rollback-journal locking over the memdb VFS rather than
// shared-cache mode: a connection reading while another has uncommitted
// writes sees the last committed data (as on a server), where shared cache
// would block the reader on a table lock — forever, with modernc's unlock
// notify, when both connections belong to one goroutine. The database lives
// while at least one connection to it is open. busy is how long a statement
// waits for another connection's lock (0: SharedBusyTimeout; negative: no
// wait at all, "database is locked" at once).
func OpenSharedMemory(name string, busy time.Duration) (*sql.DB, error) {
	if busy == 0 {
		busy = SharedBusyTimeout
	}
	if busy < 0 {
		busy = 0
	}
	dsn := "file:/" + name + "?vfs=memdb&_pragma=foreign_keys(1)&_pragma=busy_timeout(" +
		strconv.FormatInt(busy.Milliseconds(), 10) + ")"
	return sql.Open(SharedDriverName, dsn)
}
