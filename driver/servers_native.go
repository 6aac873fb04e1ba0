//go:build !js

package driver

import (
	_ "github.com/go-sql-driver/mysql" // registers "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// ServersAvailable reports whether real server drivers are linked in.
const ServersAvailable = true
