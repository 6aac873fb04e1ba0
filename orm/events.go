package orm

import (
	"fmt"
	"sync"
	"time"

	"ormlab/orm/core"
)

// ExecuteEvent describes one statement the ORM runs, for before/after
// execute listeners.
type ExecuteEvent struct {
	Statement    core.Executable // valid during the call only: the ORM may reuse its values afterwards
	SQL          string          // compiled for the program's dialect (display form, values inlined)
	Dialect      string
	Params       []any // raw-SQL parameters, if any
	RowsAffected int64
	RowsReturned int64
	Duration     time.Duration
	Err          error
}

type execListeners struct {
	before []func(*ExecuteEvent)
	after  []func(*ExecuteEvent)
}

var (
	listenMu  sync.RWMutex
	listeners = map[any]*execListeners{}
)

// listenTarget is an *Engine, a *Session, or whatever a session is bound to.
func listenKey(target any) any {
	if s, ok := target.(*Session); ok {
		return s
	}
	if k := bindKeyOf(target); k != nil {
		return k
	}
	return target
}

func addListener(target any, before, after func(*ExecuteEvent)) {
	k := listenKey(target)
	if k == nil {
		return
	}
	listenMu.Lock()
	l := listeners[k]
	if l == nil {
		l = &execListeners{}
		listeners[k] = l
	}
	if before != nil {
		l.before = append(l.before, before)
	}
	if after != nil {
		l.after = append(l.after, after)
	}
	listenMu.Unlock()
}

// OnBeforeExecute registers fn to run before every statement the ORM
// executes through target (an *Engine or a *Session).
func OnBeforeExecute(target any, fn func(ev *ExecuteEvent)) { addListener(target, fn, nil) }

// OnAfterExecute registers fn to run after every statement the ORM
// executes through target (an *Engine or a *Session), with its outcome.
func OnAfterExecute(target any, fn func(ev *ExecuteEvent)) { addListener(target, nil, fn) }

// RemoveListeners drops every execute listener of target.
func RemoveListeners(target any) {
	listenMu.Lock()
	delete(listeners, listenKey(target))
	listenMu.Unlock()
}

func listenersFor(keys ...any) (before, after []func(*ExecuteEvent)) {
	listenMu.RLock()
	defer listenMu.RUnlock()
	if len(listeners) == 0 {
		return nil, nil
	}
	for _, k := range keys {
		if l := listeners[k]; l != nil {
			before = append(before, l.before...)
			after = append(after, l.after...)
		}
	}
	return
}

func callEventHook(fn func(*ExecuteEvent), ev *ExecuteEvent) {
	defer func() { recover() }()
	fn(ev)
}

// run executes a statement in the session's transaction, with listeners.
func (s *Session) run(stmt core.Executable, params []any) (*execResult, error) {
	c, err := s.connection()
	if err != nil {
		return nil, err
	}
	before, after := listenersFor(s.bind.key(), s)
	var ev *ExecuteEvent
	var start time.Time
	if len(before)+len(after) > 0 {
		d := s.bind.dialect()
		ev = &ExecuteEvent{Statement: stmt, Dialect: d.Name(), Params: params}
		if sql, err := core.CompileInline(stmt, d); err == nil {
			ev.SQL = sql
		} else {
			ev.SQL = fmt.Sprintf("-- %v", err)
		}
		for _, fn := range before {
			callEventHook(fn, ev)
		}
		start = time.Now()
	}
	res, err := c.exec(s.cfg.ctx, stmt, params)
	if ev != nil {
		ev.Duration = time.Since(start)
		ev.Err = err
		if res != nil {
			ev.RowsAffected = res.affected
			ev.RowsReturned = int64(len(res.rows))
		}
		for _, fn := range after {
			callEventHook(fn, ev)
		}
	}
	return res, err
}
