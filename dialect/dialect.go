// Package dialect holds what differs between SQL databases, as data and as a
// small interface of hooks. The shared compiler in orm/core walks a statement
// tree once and asks the Dialect for every decision that differs (identifier
// quoting, placeholders, LIMIT vs TOP, RETURNING vs OUTPUT, type names…).
//
// Go embedding is not virtual dispatch: a dialect package embeds Base for the
// data-driven defaults and overrides hooks by defining methods on its own type.
// The compiler only ever calls through the Dialect interface, so an override
// (say SQL Server's SelectPrefix) is always reached. Base methods never call
// other hooks on themselves for the same reason.
package dialect

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Names of the four dialects, in display order.
const (
	SQLite     = "sqlite"
	PostgreSQL = "postgresql"
	MySQL      = "mysql"
	MSSQL      = "mssql"
)

// Dialect is the set of hooks the shared compiler calls. Methods that write SQL
// append to a byte slice and return it, so compiling allocates almost nothing.
type Dialect interface {
	// Name is the registry name: "sqlite", "postgresql", "mysql" or "mssql".
	Name() string
	// Options is the dialect's data: feature flags, quoting, styles.
	Options() *Options
	// Has reports whether the dialect supports every feature in f.
	Has(f Feature) bool

	// NeedsQuote reports whether an identifier must be quoted: reserved
	// words, names that are not all lower case, odd characters.
	NeedsQuote(name string) bool
	// AppendIdent appends name, quoted only when NeedsQuote says so.
	AppendIdent(b []byte, name string) []byte
	// ValidateIdent rejects names no quoting can make valid here (empty,
	// NUL bytes, invalid UTF-8, longer than the dialect allows).
	ValidateIdent(kind, name string) error
	// AppendPlaceholder appends the n-th (1-based) bind parameter marker in
	// the style of the Go driver used with this database.
	AppendPlaceholder(b []byte, n int) []byte
	// AppendSelectPrefix appends what goes right after SELECT [DISTINCT]
	// (SQL Server's "TOP n ").
	AppendSelectPrefix(b []byte, l Limit) []byte
	// AppendLimit appends the LIMIT/OFFSET (or OFFSET…FETCH) clause, with a
	// leading space, or an error when the dialect cannot express it.
	AppendLimit(b []byte, l Limit) ([]byte, error)
	// AppendBool appends a boolean literal (true/false or 1/0).
	AppendBool(b []byte, v bool) []byte
	// AppendLiteral appends v as an inline SQL literal, safely escaped, for
	// the display form of a statement.
	AppendLiteral(b []byte, v any) ([]byte, error)
	// TypeName is the DDL name of a generic type, or an error naming the
	// type and dialect when it cannot be expressed.
	TypeName(t TypeSpec) (string, error)
	// AutoincrementType replaces the type of an autoincrementing integer
	// primary key (PostgreSQL SERIAL/BIGSERIAL; SQLite INTEGER so that the
	// column becomes the rowid alias). ok is false to keep TypeName.
	AutoincrementType(t TypeSpec) (name string, ok bool)
}

// Limit describes a statement's LIMIT/OFFSET. A negative value means absent.
type Limit struct {
	Limit, Offset int64
	// HasOrderBy tells dialects that need an ORDER BY for OFFSET (SQL Server).
	HasOrderBy bool
}

// HasLimit reports whether a limit is set.
func (l Limit) HasLimit() bool { return l.Limit >= 0 }

// HasOffset reports whether an offset is set.
func (l Limit) HasOffset() bool { return l.Offset >= 0 }

// NoLimit is a Limit with neither LIMIT nor OFFSET.
var NoLimit = Limit{Limit: -1, Offset: -1}

// ---- registry ----

var (
	regMu    sync.RWMutex
	registry = map[string]Dialect{}
	aliases  = map[string]string{
		"postgres": PostgreSQL, "pg": PostgreSQL, "pgx": PostgreSQL, "psycopg2": PostgreSQL,
		"mariadb": MySQL, "pymysql": MySQL,
		"sqlserver": MSSQL, "pyodbc": MSSQL,
		"sqlite3": SQLite,
	}
)

// order is the display order of Names.
var order = []string{SQLite, PostgreSQL, MySQL, MSSQL}

// Register makes a dialect available to Get. Dialect packages call it from
// init; registering a name twice replaces the earlier one.
func Register(d Dialect) {
	regMu.Lock()
	registry[d.Name()] = d
	regMu.Unlock()
}

// Get returns the dialect registered under name (or a common alias such as
// "postgres" or "mariadb"). An unknown or unregistered name gives an
// *UnknownDialectError, which matches ErrUnknownDialect with errors.Is.
func Get(name string) (Dialect, error) {
	regMu.RLock()
	defer regMu.RUnlock()
	if d, ok := registry[name]; ok {
		return d, nil
	}
	if real, ok := aliases[name]; ok {
		if d, ok := registry[real]; ok {
			return d, nil
		}
	}
	known := make([]string, 0, len(registry))
	for n := range registry {
		known = append(known, n)
	}
	sort.Strings(known)
	return nil, &UnknownDialectError{Name: name, Known: known}
}

// Names lists the four dialects in display order: sqlite, postgresql, mysql,
// mssql (whether or not their packages are linked in; see dialect/all).
func Names() []string { return append([]string(nil), order...) }

// ---- errors ----

// ErrUnknownDialect is matched (errors.Is) by every *UnknownDialectError.
var ErrUnknownDialect = errors.New("unknown dialect")

// ErrUnsupported is matched (errors.Is) by every *UnsupportedError.
var ErrUnsupported = errors.New("not supported by dialect")

// ErrInvalidIdentifier is matched by every *IdentifierError.
var ErrInvalidIdentifier = errors.New("invalid identifier")

// UnknownDialectError says a dialect name is not registered.
type UnknownDialectError struct {
	Name  string
	Known []string
}

func (e *UnknownDialectError) Error() string {
	if e.Name == "<nil>" {
		return fmt.Sprintf("no dialect given (a nil Dialect); use dialect.Get with one of %v", e.Known)
	}
	return fmt.Sprintf("unknown dialect %q (known: %v; import ormlab/dialect/all to register them)", e.Name, e.Known)
}

// Is makes errors.Is(err, ErrUnknownDialect) true.
func (e *UnknownDialectError) Is(target error) bool { return target == ErrUnknownDialect }

// UnsupportedError says a construct cannot be expressed in a dialect.
type UnsupportedError struct {
	Construct string // e.g. "RETURNING", "OFFSET without ORDER BY", "VARCHAR without length"
	Dialect   string
	Hint      string // what to do instead, may be empty
}

func (e *UnsupportedError) Error() string {
	s := e.Construct + " is not supported by the " + e.Dialect + " dialect"
	if e.Hint != "" {
		s += ": " + e.Hint
	}
	return s
}

// Is makes errors.Is(err, ErrUnsupported) true.
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

// IdentifierError says a table, column, constraint or label name is invalid.
type IdentifierError struct {
	Kind    string // "table", "column", "index", "constraint", "label", …
	Name    string
	Dialect string // empty when invalid in every dialect
	Reason  string
}

func (e *IdentifierError) Error() string {
	s := fmt.Sprintf("invalid %s name %q: %s", e.Kind, e.Name, e.Reason)
	if e.Dialect != "" {
		s += " (dialect " + e.Dialect + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrInvalidIdentifier) true.
func (e *IdentifierError) Is(target error) bool { return target == ErrInvalidIdentifier }

// Require returns nil when d has every feature in f, else an
// *UnsupportedError naming construct and dialect. It is the one place the
// compiler checks feature flags.
func Require(d Dialect, f Feature, construct, hint string) error {
	if d.Has(f) {
		return nil
	}
	return &UnsupportedError{Construct: construct, Dialect: d.Name(), Hint: hint}
}
