//go:build !js

package driver

import (
	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3" (OpenSharedMemory)
	_ "github.com/ncruces/go-sqlite3/vfs/memdb"
)
