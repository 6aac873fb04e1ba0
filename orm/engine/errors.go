package engine

import (
	"errors"
	"fmt"
	"strings"

	"ormlab/orm/pool"
)

// Sentinels matched with errors.Is by the typed errors below.
var (
	// ErrInvalidOption is matched by every *OptionError.
	ErrInvalidOption = errors.New("invalid engine option")
	// ErrStatement is matched by every *StatementError.
	ErrStatement = errors.New("statement failed")
	// ErrConnectionClosed is returned when a closed Connection is used.
	ErrConnectionClosed = errors.New("engine: this connection is closed")
	// ErrEngineDisposed is returned by Connect after Dispose.
	ErrEngineDisposed = errors.New("engine: the engine has been disposed")
	// ErrTransaction is matched by every *TransactionError.
	ErrTransaction = errors.New("invalid transaction state")
	// ErrConnectRefused is matched by the error of a connect the simulated
	// server refused (fault injection).
	ErrConnectRefused = errors.New("connection refused")
	// ErrNotExecutable is returned for values Execute cannot run.
	ErrNotExecutable = errors.New("not an executable statement")
)

// OptionError names an engine option with a bad value.
type OptionError struct {
	Option string
	Value  any
	Reason string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("engine: invalid option %s(%v): %s", e.Option, e.Value, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidOption) and errors.Is(err,
// pool.ErrInvalidConfig) true, so a caller need not know which layer
// checked the value.
func (e *OptionError) Is(target error) bool {
	return target == ErrInvalidOption || target == pool.ErrInvalidConfig
}

// StatementError is a statement the database (or the compiler, for the
// URL's dialect) refused: the SQL, the parameters and the message, as
// SQLAlchemy's DBAPIError shows them. Unwrap gives the cause (the driver's
// error, a *core.CompileError…).
type StatementError struct {
	Dialect string // the URL's dialect: the SQL shown is for it
	SQL     string
	Params  []any
	// Executed is the dialect the statement ran on ("sqlite" on a simulated
	// server) and ExecutedSQL its text there when it differs from SQL.
	Executed    string
	ExecutedSQL string
	Err         error
	// Hint explains an error peculiar to how ORM Lab runs the statement
	// (e.g. SQLite's one-writer rule on a simulated server), or "".
	Hint string
}

func (e *StatementError) Error() string {
	var b strings.Builder
	if e.Executed != "" && e.Executed != e.Dialect {
		fmt.Fprintf(&b, "(%s, simulated on %s) %v", e.Dialect, e.Executed, e.Err)
	} else {
		fmt.Fprintf(&b, "(%s) %v", e.Dialect, e.Err)
	}
	if e.SQL != "" {
		fmt.Fprintf(&b, "\n[SQL: %s]", e.SQL)
	}
	if e.ExecutedSQL != "" && e.ExecutedSQL != e.SQL {
		fmt.Fprintf(&b, "\n[executed as: %s]", e.ExecutedSQL)
	}
	fmt.Fprintf(&b, "\n[parameters: %s]", FormatParams(e.Params))
	if e.Hint != "" {
		b.WriteString("\n(hint: " + e.Hint + ")")
	}
	return b.String()
}

func (e *StatementError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrStatement) true.
func (e *StatementError) Is(target error) bool { return target == ErrStatement }

// TransactionError is a Begin/Commit/Rollback/savepoint call that does not
// fit the connection's state (SQLAlchemy's InvalidRequestError).
type TransactionError struct {
	Op     string
	Reason string
}

func (e *TransactionError) Error() string {
	return fmt.Sprintf("engine: %s: %s", e.Op, e.Reason)
}

// Is makes errors.Is(err, ErrTransaction) true.
func (e *TransactionError) Is(target error) bool { return target == ErrTransaction }

// DisconnectError is a connection the (simulated) server dropped. It
// matches pool.ErrDisconnect, so the pool invalidates every connection
// opened before it.
type DisconnectError struct {
	Conn   int
	Reason string
}

func (e *DisconnectError) Error() string {
	if e.Conn > 0 {
		return fmt.Sprintf("server closed connection %d unexpectedly: %s", e.Conn, e.Reason)
	}
	return "server closed the connection unexpectedly: " + e.Reason
}

// Is makes errors.Is(err, pool.ErrDisconnect) true.
func (e *DisconnectError) Is(target error) bool { return target == pool.ErrDisconnect }

// ConnectRefusedError is a connect the simulated server refused.
type ConnectRefusedError struct {
	Dialect, Host string
	Port          int
}

func (e *ConnectRefusedError) Error() string {
	return fmt.Sprintf("could not connect to the simulated %s server at %s:%d: connection refused (fault injection)", e.Dialect, e.Host, e.Port)
}

// Is makes errors.Is(err, ErrConnectRefused) true.
func (e *ConnectRefusedError) Is(target error) bool { return target == ErrConnectRefused }
