//go:build js

package driver

import (
	"database/sql"
	"fmt"
)

// ServersAvailable reports whether real server drivers are linked in.
const ServersAvailable = false

// OpenServer fails in the browser: there are no server drivers (and no
// network to a database); server URLs are simulated there.
func OpenServer(dialect, dsn string) (*sql.DB, error) {
	return nil, fmt.Errorf("%w: the browser build cannot connect to a real %s server; it simulates one", ErrNotAvailable, dialect)
}

func isServerDisconnect(error) bool { return false }
