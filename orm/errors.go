package orm

import (
	"errors"
	"fmt"
)

// Sentinels for errors.Is.
var (
	// ErrNoResult: One or First found no row (SQLAlchemy's NoResultFound).
	ErrNoResult = errors.New("no result found")
	// ErrMultipleResults: One found more than one row (MultipleResultsFound).
	ErrMultipleResults = errors.New("multiple results found")
	// ErrMapping: a model cannot be mapped (no primary key, a field type the
	// ORM cannot store, a bad tag…).
	ErrMapping = errors.New("mapping error")
	// ErrUnmapped: an object or type that no Base maps.
	ErrUnmapped = errors.New("unmapped type")
	// ErrInvalidObject: nil, not a pointer to a struct, or an object in the
	// wrong state for the operation.
	ErrInvalidObject = errors.New("invalid object")
	// ErrSessionClosed: the session was closed (it can be used again: a
	// closed session starts afresh, as in SQLAlchemy 2.0; this error is for
	// operations that make no sense on it, such as committing a nested
	// transaction that is no longer open).
	ErrSessionClosed = errors.New("session transaction not open")
	// ErrFlush: a flush failed; the session's transaction was rolled back.
	ErrFlush = errors.New("flush failed")
	// ErrQuery: a query cannot be built or its rows cannot be stored in the
	// destination.
	ErrQuery = errors.New("invalid query")
	// ErrStaleData: an UPDATE or DELETE of a flushed object matched no row
	// (SQLAlchemy's StaleDataError).
	ErrStaleData = errors.New("stale data")
)

// MappingError names the model and field that cannot be mapped.
type MappingError struct {
	Model  string // table name (Go type name when known)
	Field  string // Go field name, "" for the whole model
	Reason string
}

func (e *MappingError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("mapping %s: field %s: %s", e.Model, e.Field, e.Reason)
	}
	return fmt.Sprintf("mapping %s: %s", e.Model, e.Reason)
}

// Is matches ErrMapping.
func (e *MappingError) Is(t error) bool { return t == ErrMapping }

// UnmappedError says a Go type is not mapped.
type UnmappedError struct {
	Type string
	Hint string
}

func (e *UnmappedError) Error() string {
	s := "type " + e.Type + " is not mapped"
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Is matches ErrUnmapped.
func (e *UnmappedError) Is(t error) bool { return t == ErrUnmapped }

// ObjectError says an object cannot take part in an operation.
type ObjectError struct {
	Op     string // "Add", "Delete", "Refresh"…
	Model  string
	Reason string
}

func (e *ObjectError) Error() string {
	if e.Model != "" {
		return fmt.Sprintf("session.%s(%s): %s", e.Op, e.Model, e.Reason)
	}
	return fmt.Sprintf("session.%s: %s", e.Op, e.Reason)
}

// Is matches ErrInvalidObject.
func (e *ObjectError) Is(t error) bool { return t == ErrInvalidObject }

// FlushError wraps the error that made a flush fail, naming the operation,
// model and the object's primary key when known. The session's transaction
// has been rolled back when it is returned.
type FlushError struct {
	Op    string // "INSERT", "UPDATE", "DELETE", "before_insert" …
	Model string
	Key   string // primary key, "" for a new object
	Err   error
	// Savepoint names the SAVEPOINT the failed flush rolled back to ("" when
	// it rolled back the session's whole transaction).
	Savepoint string
}

func (e *FlushError) rolledBack() string {
	if e.Savepoint != "" {
		return " (rolled back to savepoint " + e.Savepoint + "; the enclosing transaction goes on)"
	}
	return " (the session's transaction was rolled back)"
}

func (e *FlushError) Error() string {
	var re *RelationshipError
	if e.Key == "" && errors.As(e.Err, &re) && re.Model == e.Model {
		// the relationship error names the model itself
		return "flush: " + e.Err.Error() + e.rolledBack()
	}
	s := "flush: " + e.Op + " " + e.Model
	if e.Key != "" {
		s += " " + e.Key
	}
	return s + ": " + e.Err.Error() + e.rolledBack()
}

// Unwrap gives the cause (a *engine.StatementError for a database error).
func (e *FlushError) Unwrap() error { return e.Err }

// Is matches ErrFlush.
func (e *FlushError) Is(t error) bool { return t == ErrFlush }

// QueryError says why a query cannot run or fill its destination.
type QueryError struct {
	Model  string
	Reason string
	Err    error
}

func (e *QueryError) Error() string {
	s := "query"
	if e.Model != "" {
		s += " " + e.Model
	}
	s += ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap gives the cause.
func (e *QueryError) Unwrap() error { return e.Err }

// Is matches ErrQuery.
func (e *QueryError) Is(t error) bool { return t == ErrQuery }

// resultError is ErrNoResult / ErrMultipleResults with the model named.
type resultError struct {
	sentinel error
	model    string
}

func (e *resultError) Error() string {
	return e.sentinel.Error() + " for " + e.model
}

func (e *resultError) Is(t error) bool { return t == e.sentinel }
