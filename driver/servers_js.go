//go:build js

package driver

// ServersAvailable reports whether real server drivers are linked in.
const ServersAvailable = false
