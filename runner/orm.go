package runner

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/traefik/yaegi/interp"

	"ormlab/orm"
	"ormlab/orm/core"
	"ormlab/orm/engine"
	"ormlab/orm/pool"
	"ormlab/runner/symbols"
	"ormlab/runner/trace"
)

// ormRun instruments the ORM for one run. The program's packages are the
// shared symbol tables with a few functions replaced, per run:
//
//   - CreateEngine gets the run's options appended (so they win over the
//     program's): its output as echo writer, the engine context (cancelled
//     when the run is stopped, so a query or a pool wait ends at once), an
//     observer feeding the trace, and Simulated(true) so server URLs run on
//     the in-memory simulated server. With Request.URL every engine connects
//     to that URL instead, for real. A SQLite file URL becomes an in-memory
//     database: the playground has no file system.
//   - NewBase and NewMetaData record what they return, for the schema and
//     the final table contents; NewSession records its sessions, so the
//     ones the program leaves open are closed when it ends (their
//     transactions roll back, as when a real program exits).
type ormRun struct {
	r *run

	engCtx    context.Context // the engines' context: ends when the run is stopped, not when it finishes
	engCancel context.CancelFunc

	mu         sync.Mutex
	engines    []*engine.Engine
	bases      []*orm.Base
	metadatas  []*core.MetaData
	sessions   []*orm.Session
	clocks     []*orm.VirtualClock
	statements []trace.Statement
	pool       []trace.PoolEvent
	count      int
	quiet      bool // reading the final tables: not the program's statements
}

func newORMRun(r *run) *ormRun {
	o := &ormRun{r: r}
	o.engCtx, o.engCancel = context.WithCancel(context.Background())
	return o
}

// stop ends every engine operation in flight (the run was stopped), and
// virtual time, so that no demo goroutine stays parked on a clock.
func (o *ormRun) stop() {
	o.engCancel()
	o.closeClocks()
}

func (o *ormRun) closeClocks() {
	o.mu.Lock()
	clocks := append([]*orm.VirtualClock(nil), o.clocks...)
	o.mu.Unlock()
	for _, c := range clocks {
		c.Close()
	}
}

// exports replaces the instrumented functions in the ORM packages' tables.
func (o *ormRun) exports(ex interp.Exports) {
	for key, syms := range symbols.Symbols {
		if !strings.HasPrefix(key, "ormlab/") {
			continue
		}
		var copied map[string]reflect.Value
		replace := func(name string, v reflect.Value) {
			if copied == nil {
				copied = make(map[string]reflect.Value, len(syms))
				for k, s := range syms {
					copied[k] = s
				}
			}
			copied[name] = v
		}
		if f, ok := syms["CreateEngine"]; ok {
			replace("CreateEngine", o.wrapCreateEngine(f))
		}
		for _, name := range []string{"NewBase", "NewMetaData", "NewSession", "NewVirtualClock"} {
			if f, ok := syms[name]; ok {
				replace(name, o.wrapRecorder(f))
			}
		}
		if copied != nil {
			ex[key] = copied
		}
	}
}

func (o *ormRun) wrapCreateEngine(orig reflect.Value) reflect.Value {
	ft := orig.Type()
	if ft.Kind() != reflect.Func || !ft.IsVariadic() || ft.NumIn() != 2 || ft.In(0).Kind() != reflect.String {
		return orig
	}
	optT := ft.In(1).Elem()
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		url := args[0].String()
		opts := args[1]
		var extra []engine.Option
		switch {
		case o.r.req.URL != "":
			// for real, even if the program asked for the simulated server
			url = o.r.req.URL
			extra = append(extra, engine.Simulated(false))
		default:
			if u, err := engine.ParseURL(url); err == nil && u.Dialect == "sqlite" && !u.IsMemory() {
				url = "sqlite://"
			}
			extra = append(extra, engine.Simulated(true))
		}
		extra = append(extra, engine.EchoWriter(o.r.out), engine.WithContext(o.engCtx), engine.WithObserver(o.observer()))
		all := reflect.MakeSlice(opts.Type(), 0, opts.Len()+len(extra))
		all = reflect.AppendSlice(all, opts)
		for _, e := range extra {
			v := reflect.ValueOf(e)
			if !v.Type().ConvertibleTo(optT) {
				return orig.CallSlice(args)
			}
			all = reflect.Append(all, v.Convert(optT))
		}
		out := orig.CallSlice([]reflect.Value{reflect.ValueOf(url).Convert(ft.In(0)), all})
		if len(out) > 0 && out[0].CanInterface() {
			if e, ok := out[0].Interface().(*engine.Engine); ok && e != nil {
				o.mu.Lock()
				o.engines = append(o.engines, e)
				o.mu.Unlock()
			}
		}
		return out
	})
}

func (o *ormRun) wrapRecorder(orig reflect.Value) reflect.Value {
	return reflect.MakeFunc(orig.Type(), func(args []reflect.Value) []reflect.Value {
		var out []reflect.Value
		if orig.Type().IsVariadic() {
			out = orig.CallSlice(args)
		} else {
			out = orig.Call(args)
		}
		if len(out) > 0 && out[0].CanInterface() {
			o.mu.Lock()
			switch v := out[0].Interface().(type) {
			case *orm.Base:
				if v != nil {
					o.bases = append(o.bases, v)
				}
			case *core.MetaData:
				if v != nil {
					o.metadatas = append(o.metadatas, v)
				}
			case *orm.Session:
				if v != nil {
					o.sessions = append(o.sessions, v)
				}
			case *orm.VirtualClock:
				if v != nil {
					v.GuardGoroutines(o.r.guardClockGo)
					o.clocks = append(o.clocks, v)
				}
			}
			o.mu.Unlock()
		}
		return out
	})
}

// observer numbers the engine: its pool events carry it from the second
// engine on, so a program with several engines shows several timelines.
func (o *ormRun) observer() engine.Observer {
	o.mu.Lock()
	n := len(o.engines) + 1
	o.mu.Unlock()
	return engine.ObserverFuncs{
		OnStatement: func(ev engine.StatementEvent) { o.statement(ev) },
		OnPool: func(ev pool.Event) {
			o.mu.Lock()
			if o.quiet || o.r.isOver() {
				o.mu.Unlock()
				return
			}
			// Like statements, pool events are bounded: a loop of
			// checkouts would otherwise grow the trace without end.
			if len(o.pool) >= o.r.req.PoolEventLimit {
				o.mu.Unlock()
				o.r.setStop(&trace.Error{Kind: trace.ErrLimit, Message: fmt.Sprintf("pool event limit: the program made more than %d connection pool events (checkouts, returns…) and was stopped", o.r.req.PoolEventLimit)})
				return
			}
			pe := trace.PoolEvent{TMS: float64(ev.At) / float64(time.Millisecond), Event: ev.Kind, Conn: ev.Conn,
				CheckedOut: ev.CheckedOut, Overflow: ev.Overflow, Idle: ev.Idle, Detail: ev.Detail}
			if n > 1 {
				pe.Pool = n
			}
			o.pool = append(o.pool, pe)
			o.mu.Unlock()
		},
	}
}

func (o *ormRun) statement(ev engine.StatementEvent) {
	o.mu.Lock()
	if o.quiet || o.r.isOver() {
		o.mu.Unlock()
		return
	}
	o.count++
	st := trace.Statement{
		Seq: o.count, Kind: ev.Kind, Executed: ev.Executed, Conn: ev.Conn, SQL: ev.SQL,
		Params: jsonValues(ev.Params), RowsAffected: ev.RowsAffected, RowsReturned: ev.RowsReturned,
		DurationUS: ev.Duration.Microseconds(),
	}
	if st.Params == nil {
		st.Params = []any{}
	}
	if ev.Err != nil {
		st.Error = ev.Err.Error()
	}
	o.statements = append(o.statements, st)
	over := o.count > o.r.req.StatementLimit
	o.mu.Unlock()
	if over {
		o.r.setStop(&trace.Error{Kind: trace.ErrLimit, Message: fmt.Sprintf("statement limit: the program ran more than %d SQL statements and was stopped", o.r.req.StatementLimit)})
	}
}

// finish fills the trace's statements, pool events, schema and tables,
// then closes the engines.
func (o *ormRun) finish(tr *trace.Trace) {
	o.mu.Lock()
	tr.Statements = append(tr.Statements, o.statements...)
	tr.Pool = append(tr.Pool, o.pool...)
	o.quiet = true
	engines := append([]*engine.Engine(nil), o.engines...)
	mds := append([]*core.MetaData(nil), o.metadatas...)
	sessions := append([]*orm.Session(nil), o.sessions...)
	var bases []*orm.Base
	bases = append(bases, o.bases...)
	o.mu.Unlock()
	if len(tr.Statements) > o.r.req.StatementLimit {
		tr.Statements = tr.Statements[:o.r.req.StatementLimit]
	}
	for _, b := range bases {
		mds = append(mds, b.Metadata)
	}
	o.schema(tr, engines, mds, bases)
	if o.engCtx.Err() == nil && !o.r.locating() {
		for _, s := range sessions {
			closeQuietly(s)
		}
		o.tables(tr, engines, mds)
	}
	o.engCancel()
	o.closeClocks()
	for _, e := range engines {
		e.Close()
	}
}

func (o *ormRun) schema(tr *trace.Trace, engines []*engine.Engine, mds []*core.MetaData, bases []*orm.Base) {
	seen := map[string]bool{}
	for _, md := range mds {
		if md == nil {
			continue
		}
		for _, t := range md.Tables() {
			if seen[t.Name] {
				continue
			}
			seen[t.Name] = true
			st := trace.SchemaTable{Name: t.Name, Columns: []trace.Column{}, ForeignKeys: []trace.ForeignKey{}}
			for _, c := range t.Columns() {
				typ := c.Type.String()
				if len(engines) > 0 {
					if n, err := engines[0].Dialect().TypeName(c.Type.Spec()); err == nil {
						typ = n
					}
				}
				st.Columns = append(st.Columns, trace.Column{Name: c.Name, Type: typ, PrimaryKey: c.IsPrimaryKey(), Nullable: c.Nullable()})
			}
			for _, fk := range t.ForeignKeys() {
				st.ForeignKeys = append(st.ForeignKeys, trace.ForeignKey{Columns: fk.Columns, RefTable: fk.RefTable, RefColumns: fk.RefColumns})
			}
			tr.Schema.Tables = append(tr.Schema.Tables, st)
		}
	}
	names := o.r.prepared.structNames()
	modelName := func(m *orm.Mapper) string {
		// Interpreted types have no name through reflect, so the ORM names
		// them after their table; the program's source knows better.
		if m.Table != nil && m.Name == m.Table.Name {
			if n, ok := names[structSig(m.StructFields())]; ok {
				return n
			}
		}
		return m.Name
	}
	for _, b := range bases {
		byName := map[string]*orm.Mapper{}
		for _, m := range b.Mappers() {
			byName[m.Name] = m
		}
		name := func(model string) string {
			if m := byName[model]; m != nil {
				return modelName(m)
			}
			return model
		}
		// A Base whose relationships do not configure (the program's
		// mistake, reported by its own calls) lists what it can.
		rels, _ := b.Relationships()
		for _, ri := range rels {
			tr.Schema.Relationships = append(tr.Schema.Relationships, trace.Relationship{
				From: name(ri.From), Name: ri.Name, To: name(ri.To), Kind: ri.Kind, BackPopulates: ri.BackPopulates})
		}
	}
}

// structSig is a struct's field names, as the program spelled them.
func structSig(fields []orm.StructField) string {
	var b strings.Builder
	for _, f := range fields {
		name := f.Name
		if reflect.StructTag(f.Tag).Get("playground") == "unexported" {
			name = strings.TrimPrefix(name, "X")
		}
		b.WriteString(name)
		b.WriteByte(',')
	}
	return b.String()
}

// tables reads the final contents of every declared table, ordered by
// primary key, through the engine that holds it. Connections the program
// left checked out are dropped first (their uncommitted work rolls back, as
// when a real program exits), so their locks cannot block the reads.
func (o *ormRun) tables(tr *trace.Trace, engines []*engine.Engine, mds []*core.MetaData) {
	ctx, cancel := context.WithTimeout(o.engCtx, time.Second)
	defer cancel()
	for _, e := range engines {
		// Belt and braces with quiet: the engine stops echoing and observing.
		e.Silence()
		if e.Pool().Stats().CheckedOut > 0 {
			// Connections the program checked out itself and never closed:
			// drop them (their work rolls back) and clear the dropped idle
			// ones out of the pool.
			e.DropConnections()
			e.Dispose()
		}
	}
	done := map[string]bool{}
	for _, md := range mds {
		if md == nil {
			continue
		}
		for _, t := range md.Tables() {
			if done[t.Name] {
				continue
			}
			for _, e := range engines {
				// On the simulated server (SQLite in memory) a missing table
				// fails the SELECT below at once, when SQLite prepares it, so
				// asking first would only cost statements (in wasm, preparing
				// a statement is the bulk of a short statement's time). On a
				// real server a failed statement can abort the transaction:
				// ask first.
				if o.r.req.URL != "" {
					ok, err := e.HasTable(ctx, t.Name)
					if err != nil || !ok {
						continue
					}
				}
				cols := t.Columns()
				exprs := make([]any, len(cols))
				names := make([]string, len(cols))
				for i, c := range cols {
					exprs[i] = c
					names[i] = c.Name
				}
				sel := core.Select(exprs...)
				var order []any
				for _, c := range t.PrimaryKey() {
					order = append(order, c)
				}
				if len(order) > 0 {
					sel = sel.OrderBy(order...)
				}
				res, err := e.ExecuteContext(ctx, sel)
				if err != nil {
					// A connection dropped above fails once, then the pool
					// replaces it.
					res, err = e.ExecuteContext(ctx, sel)
				}
				if err != nil {
					continue
				}
				rows := [][]any{}
				for _, row := range res.Rows() {
					rows = append(rows, jsonValues(row))
				}
				tr.Tables[t.Name] = trace.Table{Columns: names, Rows: rows}
				done[t.Name] = true
				break
			}
		}
	}
}

// closeQuietly closes a session the program may have left open; a panic in
// the ORM must not cost the trace.
func closeQuietly(s *orm.Session) {
	defer func() { recover() }()
	s.Close()
}

// jsonValues makes driver values JSON-friendly: text stays text.
func jsonValues(vs []any) []any {
	if vs == nil {
		return nil
	}
	out := make([]any, len(vs))
	for i, v := range vs {
		switch x := v.(type) {
		case []byte:
			if utf8.Valid(x) {
				out[i] = string(x)
			} else {
				out[i] = x
			}
		case time.Time:
			out[i] = x.Format(time.RFC3339Nano)
		default:
			out[i] = v
		}
	}
	return out
}

// databaseError finds a statement error in a panic value: such a panic is
// reported with kind "database" and the statement's SQL and parameters.
func databaseError(p any) (*engine.StatementError, bool) {
	err, ok := p.(error)
	if !ok {
		return nil, false
	}
	var se *engine.StatementError
	if errors.As(err, &se) {
		return se, true
	}
	return nil, false
}
