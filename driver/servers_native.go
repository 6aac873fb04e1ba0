//go:build !js

package driver

import (
	"database/sql"
	"errors"
	"fmt"
	"net"

	"github.com/go-sql-driver/mysql" // registers "mysql"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// ServersAvailable reports whether real server drivers are linked in.
const ServersAvailable = true

// OpenServer opens a real server's database/sql handle: pgx for
// "postgresql", go-sql-driver for "mysql". dsn is in that driver's format.
func OpenServer(dialect, dsn string) (*sql.DB, error) {
	switch dialect {
	case "postgresql":
		return sql.Open("pgx", dsn)
	case "mysql":
		return sql.Open("mysql", dsn)
	}
	return nil, fmt.Errorf("%w: no Go driver for %s servers is linked into ORM Lab (only simulated)", ErrNotAvailable, dialect)
}

// isServerDisconnect recognises the drivers' ways of saying the server
// connection is gone.
func isServerDisconnect(err error) bool {
	if errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, mysql.ErrInvalidConn) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02", "57P03": // admin/crash shutdown, cannot connect now
			return true
		}
		return len(pgErr.Code) == 5 && pgErr.Code[:2] == "08" // connection exception class
	}
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		switch myErr.Number {
		case 1053, 1077, 1152, 1927, 2006, 2013: // shutdown, aborted, killed, gone away, lost
			return true
		}
		return false
	}
	var opErr *net.OpError
	return errors.As(err, &opErr)
}
