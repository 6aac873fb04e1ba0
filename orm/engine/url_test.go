package engine

import (
	"errors"
	"reflect"
	"testing"

	"ormlab/dialect"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		in                       string
		dialect, backend, driver string
		user, pass, host         string
		port                     int
		db                       string
		query                    map[string][]string
		str                      string
	}{
		{in: "postgresql+psycopg2://scott:tiger@localhost:5432/mydb?sslmode=require&x=1&x=2",
			dialect: "postgresql", backend: "postgresql", driver: "psycopg2", user: "scott", pass: "tiger", host: "localhost", port: 5432, db: "mydb",
			query: map[string][]string{"sslmode": {"require"}, "x": {"1", "2"}},
			str:   "postgresql+psycopg2://scott:***@localhost:5432/mydb?sslmode=require&x=1&x=2"},
		{in: "sqlite://", dialect: "sqlite", backend: "sqlite", driver: "pysqlite", str: "sqlite://"},
		{in: "sqlite:///rel.db", dialect: "sqlite", backend: "sqlite", driver: "pysqlite", db: "rel.db", str: "sqlite:///rel.db"},
		{in: "sqlite:////abs/x.db", dialect: "sqlite", backend: "sqlite", driver: "pysqlite", db: "/abs/x.db", str: "sqlite:////abs/x.db"},
		{in: "sqlite:///:memory:", dialect: "sqlite", backend: "sqlite", driver: "pysqlite", db: ":memory:", str: "sqlite:///:memory:"},
		{in: "sqlite:///a@b.db", dialect: "sqlite", backend: "sqlite", driver: "pysqlite", db: "a@b.db", str: "sqlite:///a@b.db"},
		{in: "mysql://u:p%40ss@[::1]:3306/db", dialect: "mysql", backend: "mysql", driver: "mysqldb", user: "u", pass: "p@ss", host: "::1", port: 3306, db: "db",
			str: "mysql://u:***@[::1]:3306/db"},
		{in: "mssql+pyodbc://u:p@dsn", dialect: "mssql", backend: "mssql", driver: "pyodbc", user: "u", pass: "p", host: "dsn", str: "mssql+pyodbc://u:***@dsn"},
		{in: "postgresql://u@h/", dialect: "postgresql", backend: "postgresql", driver: "psycopg2", user: "u", host: "h", str: "postgresql://u@h"},
		{in: "mariadb+pymysql://u:p@h/d", dialect: "mysql", backend: "mariadb", driver: "pymysql", user: "u", pass: "p", host: "h", db: "d", str: "mariadb+pymysql://u:***@h/d"},
		{in: "mysql+mysqlconnector://root@127.0.0.1/x", dialect: "mysql", backend: "mysql", driver: "mysqlconnector", user: "root", host: "127.0.0.1", db: "x", str: "mysql+mysqlconnector://root@127.0.0.1/x"},
		{in: "postgresql+pg8000://a:b@db.example.com/app", dialect: "postgresql", backend: "postgresql", driver: "pg8000", user: "a", pass: "b", host: "db.example.com", db: "app", str: "postgresql+pg8000://a:***@db.example.com/app"},
		{in: "postgresql+asyncpg://h/app", dialect: "postgresql", backend: "postgresql", driver: "asyncpg", host: "h", db: "app", str: "postgresql+asyncpg://h/app"},
		{in: "mssql+pymssql://sa:pw@sql:1433/shop", dialect: "mssql", backend: "mssql", driver: "pymssql", user: "sa", pass: "pw", host: "sql", port: 1433, db: "shop", str: "mssql+pymssql://sa:***@sql:1433/shop"},
	}
	for _, c := range cases {
		u, err := ParseURL(c.in)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.in, err)
			continue
		}
		if u.Dialect != c.dialect || u.Backend != c.backend || u.Driver != c.driver || u.Username != c.user || u.Password != c.pass ||
			u.Host != c.host || u.Port != c.port || u.Database != c.db {
			t.Errorf("ParseURL(%q) = %+v", c.in, *u)
		}
		if c.query != nil && !reflect.DeepEqual(u.Query, c.query) {
			t.Errorf("ParseURL(%q).Query = %v, want %v", c.in, u.Query, c.query)
		}
		if got := u.String(); got != c.str {
			t.Errorf("ParseURL(%q).String() = %q, want %q", c.in, got, c.str)
		}
		// Rendering with the password and parsing again gives the same URL.
		u2, err := ParseURL(u.RenderWithPassword())
		if err != nil || !reflect.DeepEqual(u, u2) {
			t.Errorf("round trip of %q: %+v, %v", c.in, u2, err)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	cases := []struct {
		in   string
		want error
	}{
		{"foo", ErrMalformedURL},
		{"", ErrMalformedURL},
		{"://x", ErrMalformedURL},
		{"postgresql://h:abc/db", ErrMalformedURL},
		{"postgresql://h:99999/db", ErrMalformedURL},
		{"postgresql:///db", ErrMalformedURL},
		{"post gres://h/db", ErrMalformedURL},
		{"mysql://u:p@[::1/db", ErrMalformedURL},
		{"sqlite://host/x.db", ErrMalformedURL},
		{"postgresql+://h/db", ErrMalformedURL},
		{"postgres://x/y", ErrUnknownDialect},
		{"oracle://x/y", ErrUnknownDialect},
		{"nosuch://x", ErrUnknownDialect},
		{"postgresql+foo://x/y", ErrUnknownDriver},
		{"mysql+psycopg2://x/y", ErrUnknownDriver},
		{"sqlite+pymysql://", ErrUnknownDriver},
	}
	for _, c := range cases {
		u, err := ParseURL(c.in)
		if !errors.Is(err, c.want) {
			t.Errorf("ParseURL(%q) = %v, %v; want %v", c.in, u, err, c.want)
			continue
		}
		var ue *URLError
		if !errors.As(err, &ue) {
			t.Errorf("ParseURL(%q): %T is not a *URLError", c.in, err)
		}
	}
	// A password never appears in an error message.
	_, err := ParseURL("postgresql://scott:s3cret@h:notaport/db")
	if err == nil || contains(err.Error(), "s3cret") {
		t.Errorf("error leaks the password: %v", err)
	}
	_, err = ParseURL("postgres://scott:s3cret@h/db")
	if err == nil || contains(err.Error(), "s3cret") || !contains(err.Error(), "postgresql://") {
		t.Errorf("postgres:// error: %v", err)
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestDSN(t *testing.T) {
	u, _ := ParseURL("postgresql+psycopg2://scott:ti%40ger@db:6543/app?sslmode=disable")
	if got, want := PostgresDSN(u), "postgres://scott:ti%40ger@db:6543/app?sslmode=disable"; got != want {
		t.Errorf("PostgresDSN = %q, want %q", got, want)
	}
	u, _ = ParseURL("postgresql://h/app")
	if got, want := PostgresDSN(u), "postgres://h:5432/app"; got != want {
		t.Errorf("PostgresDSN = %q, want %q", got, want)
	}
	u, _ = ParseURL("mysql+pymysql://root:pw@127.0.0.1/shop?charset=utf8mb4&unknown=1")
	if got, want := MySQLDSN(u), "root:pw@tcp(127.0.0.1:3306)/shop?parseTime=true&charset=utf8mb4"; got != want {
		t.Errorf("MySQLDSN = %q, want %q", got, want)
	}
}

// ParseURL never panics, and whatever it accepts renders to a URL that
// parses to the same thing.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"sqlite://", "sqlite:///a.db", "postgresql+psycopg2://u:p@h:5432/d?x=1", "mysql://u:p%40@[::1]:1/d",
		"mssql+pyodbc://sa@h", "://", "a://@:", "postgresql://[", "mysql://u:p@h:0/d", "sqlite:////x?y=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURL(s)
		if err != nil {
			return
		}
		u2, err := ParseURL(u.RenderWithPassword())
		if err != nil {
			t.Fatalf("%q rendered as %q, which does not parse: %v", s, u.RenderWithPassword(), err)
		}
		if u2.Dialect != u.Dialect || u2.Host != u.Host || u2.Port != u.Port || u2.Username != u.Username || u2.Password != u.Password || u2.Database != u.Database {
			t.Fatalf("%q: %+v rendered %q parsed %+v", s, *u, u.RenderWithPassword(), *u2)
		}
	})
}

// bindText never panics, whatever the text and parameters.
func FuzzBindText(f *testing.F) {
	f.Add("SELECT ? , ':x' -- ?\n/* ? */ :x::int", true, 2)
	f.Add("SELECT \"a?\", `b?`, 'c''?' WHERE x = :x AND y = :y_1", false, 1)
	f.Add("/*", true, 0)
	f.Add("'unterminated ?", false, 3)
	d := mustDialect(f, "postgresql")
	f.Fuzz(func(t *testing.T, text string, named bool, n int) {
		n = n % 5
		if n < 0 {
			n = -n
		}
		var params []any
		if named {
			params = []any{map[string]any{"x": 1, "y_1": "s"}}
		} else {
			for i := 0; i < n; i++ {
				params = append(params, i)
			}
		}
		bindText(text, d, params)
	})
}

func mustDialect(tb testing.TB, name string) dialect.Dialect {
	d, err := dialect.Get(name)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}
