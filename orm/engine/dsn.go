package engine

import (
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// PostgresDSN converts a postgresql:// URL to a pgx connection string. The
// query options (sslmode, connect_timeout, application_name…) are passed
// through, as SQLAlchemy passes them to libpq.
func PostgresDSN(u *URL) string {
	v := url.URL{Scheme: "postgres", Host: hostPort(u), Path: "/" + u.Database}
	if u.Username != "" {
		if u.Password != "" {
			v.User = url.UserPassword(u.Username, u.Password)
		} else {
			v.User = url.User(u.Username)
		}
	}
	q := url.Values{}
	for k, vals := range u.Query {
		for _, x := range vals {
			q.Add(k, x)
		}
	}
	v.RawQuery = q.Encode()
	return v.String()
}

// mysqlParams are the go-sql-driver options a URL query may set; any other
// key would be sent to the server as a system variable, so it is dropped.
var mysqlParams = map[string]string{
	"charset": "charset", "collation": "collation", "timeout": "timeout",
	"readTimeout": "readTimeout", "writeTimeout": "writeTimeout", "tls": "tls",
	"loc": "loc", "connect_timeout": "timeout",
}

// MySQLDSN converts a mysql:// or mariadb:// URL to a go-sql-driver DSN:
// user:password@tcp(host:port)/database?parseTime=true&… .
func MySQLDSN(u *URL) string {
	var b strings.Builder
	if u.Username != "" {
		b.WriteString(u.Username)
		if u.Password != "" {
			b.WriteString(":" + u.Password)
		}
		b.WriteByte('@')
	}
	b.WriteString("tcp(" + hostPort(u) + ")/" + u.Database)
	keys := make([]string, 0, len(u.Query))
	for k := range u.Query {
		if _, ok := mysqlParams[k]; ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	b.WriteString("?parseTime=true")
	for _, k := range keys {
		vals := u.Query[k]
		if len(vals) > 0 {
			b.WriteString("&" + mysqlParams[k] + "=" + url.QueryEscape(vals[len(vals)-1]))
		}
	}
	return b.String()
}

func hostPort(u *URL) string {
	port := u.Port
	if port == 0 {
		port = DefaultPort(u.Dialect)
	}
	return net.JoinHostPort(u.Host, strconv.Itoa(port))
}
