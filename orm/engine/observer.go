package engine

import (
	"time"

	"ormlab/orm/pool"
)

// Observer receives everything an engine does, in order: the runner turns
// it into the trace's statements and pool arrays. Calls are synchronous;
// Pool is called with the pool's lock held, so it must be cheap and must
// not use the engine.
type Observer interface {
	Statement(StatementEvent)
	Pool(pool.Event)
}

// Statement kinds (StatementEvent.Kind), as in the trace.
const (
	KindDDL       = "ddl"
	KindSelect    = "select"
	KindInsert    = "insert"
	KindUpdate    = "update"
	KindDelete    = "delete"
	KindBegin     = "begin"
	KindCommit    = "commit"
	KindRollback  = "rollback"
	KindSavepoint = "savepoint"
	KindOther     = "other"
)

// StatementEvent is one statement an engine ran (or tried to).
type StatementEvent struct {
	Seq int // 1, 2, 3… per engine
	// Kind is ddl|select|insert|update|delete|begin|commit|rollback|savepoint|other.
	Kind string
	// Executed is the dialect the statement ran on: "sqlite" on a simulated
	// server, the server's dialect otherwise.
	Executed string
	// Conn is the pool's number of the connection it ran on.
	Conn int
	// SQL is the statement compiled for each of the four dialects, keyed by
	// dialect.Names(); a dialect that cannot express it gets "-- " and the
	// reason. Raw text is the same in all four, placeholders aside.
	SQL map[string]string
	// Params are the bound values, in the order of the URL dialect's SQL.
	Params       []any
	RowsAffected int64
	RowsReturned int64
	Duration     time.Duration
	Err          error
}

// ObserverFuncs adapts two functions to an Observer; either may be nil.
type ObserverFuncs struct {
	OnStatement func(StatementEvent)
	OnPool      func(pool.Event)
}

func (o ObserverFuncs) Statement(ev StatementEvent) {
	if o.OnStatement != nil {
		o.OnStatement(ev)
	}
}

func (o ObserverFuncs) Pool(ev pool.Event) {
	if o.OnPool != nil {
		o.OnPool(ev)
	}
}
