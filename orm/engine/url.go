package engine

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// URL is a parsed SQLAlchemy-style database URL:
//
//	dialect+driver://user:password@host:port/database?key=value
//
// plus SQLite's file forms (sqlite://, sqlite:///relative.db,
// sqlite:////absolute.db, sqlite:///:memory:).
type URL struct {
	// Drivername is the part before "://" as written, e.g. "postgresql+psycopg2".
	Drivername string
	// Backend is the name before "+" as written ("mariadb" stays "mariadb").
	Backend string
	// Dialect is the ORM dialect that compiles for this URL: "sqlite",
	// "postgresql", "mysql" (also for mariadb) or "mssql".
	Dialect string
	// Driver is the Python DBAPI name, given or the dialect's default
	// (psycopg2, mysqldb, pyodbc, pysqlite). It is shown, not used: the Go
	// driver is chosen by the dialect.
	Driver   string
	Username string
	Password string
	Host     string
	Port     int // 0: the dialect's default port
	Database string
	// Query holds the ?key=value options; a repeated key keeps every value.
	Query map[string][]string
}

// Errors from ParseURL; the concrete error is a *URLError wrapping one.
var (
	ErrMalformedURL   = errors.New("malformed database URL")
	ErrUnknownDialect = errors.New("unknown dialect")
	ErrUnknownDriver  = errors.New("unknown driver")
)

// URLError says what is wrong with a URL; errors.Is matches ErrMalformedURL,
// ErrUnknownDialect or ErrUnknownDriver.
type URLError struct {
	URL    string // the input with any password hidden
	Reason string
	Err    error
}

func (e *URLError) Error() string {
	return fmt.Sprintf("engine: %s %q: %s", e.Err, e.URL, e.Reason)
}

func (e *URLError) Unwrap() error { return e.Err }

// dialectDrivers lists the DBAPI names each backend accepts, default first,
// as SQLAlchemy's dialect packages do.
var dialectDrivers = map[string][]string{
	"sqlite":     {"pysqlite", "aiosqlite", "pysqlcipher"},
	"postgresql": {"psycopg2", "pg8000", "psycopg", "asyncpg", "psycopg2cffi"},
	"mysql":      {"mysqldb", "pymysql", "mysqlconnector", "mariadbconnector", "asyncmy", "aiomysql", "cymysql", "pyodbc"},
	"mssql":      {"pyodbc", "pymssql", "aioodbc"},
}

// backendDialect maps a URL backend name to the dialect that compiles for it.
var backendDialect = map[string]string{
	"sqlite":     "sqlite",
	"postgresql": "postgresql",
	"mysql":      "mysql",
	"mariadb":    "mysql", // SQLAlchemy's mariadb dialect is its mysql dialect
	"mssql":      "mssql",
}

// DefaultPort is the port a server dialect listens on when the URL has none.
func DefaultPort(dialect string) int {
	switch dialect {
	case "postgresql":
		return 5432
	case "mysql":
		return 3306
	case "mssql":
		return 1433
	}
	return 0
}

// ParseURL parses a SQLAlchemy database URL. Like SQLAlchemy it decodes
// %-escapes in the user name and password (so a password may contain "@" as
// %40) and in the query, and takes the database part literally.
func ParseURL(s string) (*URL, error) {
	fail := func(sentinel error, reason string, args ...any) (*URL, error) {
		return nil, &URLError{URL: hidePassword(s), Reason: fmt.Sprintf(reason, args...), Err: sentinel}
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || scheme == "" {
		return fail(ErrMalformedURL, "expected dialect[+driver]://[user[:password]@][host][:port][/database][?key=value…], e.g. postgresql+psycopg2://scott:tiger@localhost/test or sqlite:///app.db")
	}
	for _, r := range scheme {
		if !(r == '+' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fail(ErrMalformedURL, "the name before :// may hold only letters, digits, _ and +, not %q", r)
		}
	}
	u := &URL{Drivername: scheme, Query: map[string][]string{}}
	backend, drv, hasDriver := strings.Cut(scheme, "+")
	u.Backend = backend
	if hasDriver && (drv == "" || strings.Contains(drv, "+")) {
		return fail(ErrMalformedURL, "expected one driver after +, as in postgresql+psycopg2")
	}
	d, ok := backendDialect[strings.ToLower(backend)]
	if !ok {
		hint := "known: sqlite, postgresql, mysql, mariadb, mssql"
		if strings.EqualFold(backend, "postgres") {
			hint = `SQLAlchemy removed the "postgres" name in 1.4: write postgresql://`
		}
		return fail(ErrUnknownDialect, "no dialect %q (%s)", backend, hint)
	}
	u.Dialect = d
	drivers := dialectDrivers[d]
	if hasDriver {
		found := false
		for _, name := range drivers {
			if strings.EqualFold(name, drv) {
				found = true
			}
		}
		if !found {
			return fail(ErrUnknownDriver, "the %s dialect has no driver %q (known: %s)", d, drv, strings.Join(drivers, ", "))
		}
		u.Driver = strings.ToLower(drv)
	} else {
		u.Driver = drivers[0]
	}

	if q, after, ok := strings.Cut(rest, "?"); ok {
		rest = q
		values, err := url.ParseQuery(after)
		if err != nil {
			return fail(ErrMalformedURL, "bad query string: %v", err)
		}
		u.Query = values
	}
	// As SQLAlchemy's pattern: user names hold no ":" or "/", passwords no
	// "@" (write it %40); so the first "@" ends the user info unless a "/"
	// comes before it in the user name (then it is part of a database path,
	// as in sqlite:///a@b.db).
	if at := strings.Index(rest, "@"); at >= 0 {
		userinfo := rest[:at]
		name, pass, hasPass := strings.Cut(userinfo, ":")
		if !strings.Contains(name, "/") {
			rest = rest[at+1:]
			var err error
			if u.Username, err = url.PathUnescape(name); err != nil {
				return fail(ErrMalformedURL, "bad %%-escape in the user name")
			}
			if hasPass {
				if u.Password, err = url.PathUnescape(pass); err != nil {
					return fail(ErrMalformedURL, "bad %%-escape in the password")
				}
			}
		}
	}
	authority, database, _ := strings.Cut(rest, "/")
	u.Database = database
	host, port := authority, ""
	if strings.HasPrefix(authority, "[") {
		end := strings.Index(authority, "]")
		if end < 0 {
			return fail(ErrMalformedURL, "unclosed [ in an IPv6 host")
		}
		host = authority[1:end]
		tail := authority[end+1:]
		if tail != "" {
			if !strings.HasPrefix(tail, ":") {
				return fail(ErrMalformedURL, "unexpected %q after the IPv6 host", tail)
			}
			port = tail[1:]
		}
	} else if h, p, ok := strings.Cut(authority, ":"); ok {
		host, port = h, p
	}
	if strings.ContainsAny(host, "@ \t\r\n[]#") {
		return fail(ErrMalformedURL, "host %q is not a host name (a password with \"@\" must be written %%40)", host)
	}
	u.Host = host
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return fail(ErrMalformedURL, "port %q is not a number from 1 to 65535", port)
		}
		u.Port = n
	}
	if d == "sqlite" && (u.Host != "" || u.Username != "" || u.Port != 0) {
		return fail(ErrMalformedURL, "a sqlite URL has no host or user: write sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:// for memory")
	}
	if d != "sqlite" && u.Host == "" {
		return fail(ErrMalformedURL, "a %s URL needs a host, as in %s://user:password@localhost/dbname", d, backend)
	}
	return u, nil
}

// IsMemory reports whether the URL is an in-memory SQLite database.
func (u *URL) IsMemory() bool {
	return u.Dialect == "sqlite" && (u.Database == "" || u.Database == ":memory:")
}

// String renders the URL as SQLAlchemy's repr does: the password as ***.
func (u *URL) String() string { return u.render(true) }

// RenderWithPassword renders the URL with its password in clear.
func (u *URL) RenderWithPassword() string { return u.render(false) }

func (u *URL) render(hide bool) string {
	var b strings.Builder
	b.WriteString(u.Drivername)
	b.WriteString("://")
	if u.Username != "" || u.Password != "" {
		b.WriteString(escapeUserinfo(u.Username))
		if u.Password != "" {
			b.WriteByte(':')
			if hide {
				b.WriteString("***")
			} else {
				b.WriteString(escapeUserinfo(u.Password))
			}
		}
		b.WriteByte('@')
	}
	if strings.Contains(u.Host, ":") {
		b.WriteString("[" + u.Host + "]")
	} else {
		b.WriteString(u.Host)
	}
	if u.Port != 0 {
		b.WriteString(":" + strconv.Itoa(u.Port))
	}
	if u.Database != "" || u.Dialect == "sqlite" && u.Database != "" {
		b.WriteString("/" + u.Database)
	}
	if len(u.Query) > 0 {
		keys := make([]string, 0, len(u.Query))
		for k := range u.Query {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sep := "?"
		for _, k := range keys {
			for _, v := range u.Query[k] {
				b.WriteString(sep + url.QueryEscape(k) + "=" + url.QueryEscape(v))
				sep = "&"
			}
		}
	}
	return b.String()
}

// escapeUserinfo escapes the characters that would end a user name or
// password early (as SQLAlchemy's quoting of ":@/" does).
func escapeUserinfo(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ':', '@', '/', '%', '?', '#', '[', ']':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// hidePassword masks a password in a URL we failed to parse, so an error
// message never prints it.
func hidePassword(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return s
	}
	userinfo := rest[:at]
	if name, _, hasPass := strings.Cut(userinfo, ":"); hasPass {
		return scheme + "://" + name + ":***" + rest[at:]
	}
	return s
}
