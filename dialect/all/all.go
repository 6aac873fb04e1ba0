// Package all registers the four dialects; import it for its side effect:
//
//	import _ "ormlab/dialect/all"
package all

import (
	_ "ormlab/dialect/mssql"      // registers "mssql"
	_ "ormlab/dialect/mysql"      // registers "mysql"
	_ "ormlab/dialect/postgresql" // registers "postgresql"
	_ "ormlab/dialect/sqlite"     // registers "sqlite"
)
