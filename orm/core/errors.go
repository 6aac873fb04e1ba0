package core

import (
	"errors"
	"fmt"

	"ormlab/dialect"
)

// Sentinels for errors.Is. Each typed error below matches one of them.
var (
	// ErrUnknownDialect: dialect.Get was given an unknown name.
	ErrUnknownDialect = dialect.ErrUnknownDialect
	// ErrUnsupported: a construct the dialect cannot express.
	ErrUnsupported = dialect.ErrUnsupported
	// ErrInvalidIdentifier: a name no dialect (or not this one) accepts.
	ErrInvalidIdentifier = dialect.ErrInvalidIdentifier
	// ErrNoSuchTable: a table name that is not in the MetaData.
	ErrNoSuchTable = errors.New("no such table")
	// ErrNoSuchColumn: a column name that is not in the table.
	ErrNoSuchColumn = errors.New("no such column")
	// ErrTypeMismatch: a value that does not fit a column's type.
	ErrTypeMismatch = errors.New("value does not fit the column type")
	// ErrInvalidSchema: a mistake in a table definition.
	ErrInvalidSchema = errors.New("invalid schema")
	// ErrInvalidStatement: a statement that cannot be compiled in any dialect.
	ErrInvalidStatement = errors.New("invalid statement")
)

// NoSuchTableError names a missing table.
type NoSuchTableError struct {
	Table  string
	Reason string
}

func (e *NoSuchTableError) Error() string {
	s := "no table named " + e.Table + " in the MetaData"
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Is matches ErrNoSuchTable.
func (e *NoSuchTableError) Is(t error) bool { return t == ErrNoSuchTable }

// NoSuchColumnError names a missing column.
type NoSuchColumnError struct {
	Table, Column string
	Reason        string
}

func (e *NoSuchColumnError) Error() string {
	s := "no column named " + e.Column
	if e.Table != "" {
		s = "table " + e.Table + " has " + s
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Is matches ErrNoSuchColumn.
func (e *NoSuchColumnError) Is(t error) bool { return t == ErrNoSuchColumn }

// TypeError says a value does not fit a column.
type TypeError struct {
	Table, Column string
	Type          string // generic type, e.g. "Integer"
	Value         any
	Dialect       string // empty when the value fits no dialect
	Reason        string
}

func (e *TypeError) Error() string {
	s := fmt.Sprintf("value %#v (Go type %T) does not fit column %s.%s of type %s", e.Value, e.Value, e.Table, e.Column, e.Type)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Dialect != "" {
		s += " (dialect " + e.Dialect + ")"
	}
	return s
}

// Is matches ErrTypeMismatch.
func (e *TypeError) Is(t error) bool { return t == ErrTypeMismatch }

// SchemaError is a mistake in a table definition.
type SchemaError struct {
	Object string // "table users", "column id", "foreign key orgs.id"
	Reason string
}

func (e *SchemaError) Error() string { return e.Object + " " + e.Reason }

// Is matches ErrInvalidSchema.
func (e *SchemaError) Is(t error) bool { return t == ErrInvalidSchema }

// StatementError is a statement that cannot be compiled (in any dialect).
type StatementError struct {
	Construct string // "INSERT INTO users", "SELECT", …
	Dialect   string
	Reason    string
}

func (e *StatementError) Error() string {
	s := e.Construct + ": " + e.Reason
	if e.Dialect != "" {
		s += " (dialect " + e.Dialect + ")"
	}
	return s
}

// Is matches ErrInvalidStatement.
func (e *StatementError) Is(t error) bool { return t == ErrInvalidStatement }

// CompileError wraps any error found while compiling a statement for a
// dialect, naming both. errors.Is / errors.As see through it.
type CompileError struct {
	Kind    string // statement kind: "select", "insert", …
	Dialect string
	Err     error
}

func (e *CompileError) Error() string {
	return "compiling " + e.Kind + " for " + e.Dialect + ": " + e.Err.Error()
}

// Unwrap gives the cause.
func (e *CompileError) Unwrap() error { return e.Err }
