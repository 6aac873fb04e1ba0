package orm

import (
	"fmt"
	"reflect"
	"sort"
	"time"

	"ormlab/dialect"
	"ormlab/orm/core"
)

// The unit of work. A flush:
//  1. runs the session's before-flush functions, then flushPrepare steps
//     (the place where relationship cascades and foreign-key syncing plug
//     in: they add objects and set key fields before anything is planned);
//  2. plans: pending objects to INSERT, changed persistent ones to UPDATE,
//     marked ones to DELETE, grouped by mapper;
//  3. orders mappers by table dependency (referenced tables first), writes
//     INSERTs and UPDATEs in that order and DELETEs in the reverse order,
//     each table's rows through rowOrder (add order by default; self-
//     referencing tables plug a finer order in here);
//  4. runs the after-flush functions.
// Any error rolls the session's transaction back and is returned as a
// *FlushError naming the model, operation and key.

// flushPrepare steps run before planning (see above).
var flushPrepare []func(s *Session) error

// rowOrder, when set for a mapper, orders that mapper's inserts (e.g.
// parents before children in a self-referencing table).
var rowOrder []func(s *Session, m *Mapper, list []*instanceState) []*instanceState

type flushPlan struct {
	inserts map[*Mapper][]*instanceState
	updates map[*Mapper][]*instanceState
	deletes map[*Mapper][]*instanceState
	mappers []*Mapper
}

// Flush writes every pending change to the database, inside the session's
// transaction (begun if needed). It does not commit.
func (s *Session) Flush() error {
	err := s.flush()
	if fe, ok := err.(*FlushError); ok && s.flushAbortedTo != "" {
		fe.Savepoint = s.flushAbortedTo
	}
	s.flushAbortedTo = ""
	return err
}

// abortFlush undoes a failed flush. Inside a SAVEPOINT (BeginNested) only
// the innermost one is rolled back, as SQLAlchemy does: the work of the
// enclosing transaction stays, so "try each record in its own savepoint,
// skip the ones that fail" works. Otherwise the whole transaction is.
func (s *Session) abortFlush() {
	if len(s.frames) < 2 {
		s.rollbackAll()
		return
	}
	f := s.frames[len(s.frames)-1]
	s.flushAbortedTo = f.savepoint
	n := &NestedTx{s: s, frame: f}
	if err := n.Rollback(); err != nil {
		// the savepoint could not be rolled back: give up the transaction
		s.flushAbortedTo = ""
		s.rollbackAll()
		return
	}
	f.rolledBack = true
}

func (s *Session) flush() error {
	if s.flushing {
		return nil
	}
	if !s.needsFlush() { // one pass over the session (session.go)
		return nil
	}
	s.flushing = true
	defer func() { s.flushing = false }()
	s.top()
	for _, fn := range s.cfg.beforeFlush {
		if err := callFlushHook(fn, s); err != nil {
			s.abortFlush()
			return &FlushError{Op: "before_flush", Model: "session", Err: err}
		}
	}
	for _, fn := range flushPrepare {
		if err := fn(s); err != nil {
			s.abortFlush()
			if fe, ok := err.(*FlushError); ok { // part 2: steps name their own operation
				return fe
			}
			return &FlushError{Op: "prepare", Model: "session", Err: err}
		}
	}
	p := s.plan()
	if len(p.mappers) == 0 {
		return nil
	}
	if _, err := s.connection(); err != nil {
		s.abortFlush()
		return &FlushError{Op: "BEGIN", Model: "session", Err: err}
	}
	for _, m := range p.mappers {
		if list := p.inserts[m]; len(list) > 0 {
			for _, fn := range rowOrder {
				list = fn(s, m, list)
			}
			if err := s.flushInserts(m, list); err != nil {
				s.abortFlush()
				return err
			}
		}
		if list := p.updates[m]; len(list) > 0 {
			if err := s.flushUpdates(m, list); err != nil {
				s.abortFlush()
				return err
			}
		}
	}
	for i := len(p.mappers) - 1; i >= 0; i-- {
		m := p.mappers[i]
		if list := p.deletes[m]; len(list) > 0 {
			groups := [][]*instanceState{list}
			if deleteGroups != nil { // part 2: self-referencing rows, children first (cascade.go)
				groups = deleteGroups(s, m, list)
			}
			for _, g := range groups {
				if err := s.flushDeletes(m, g); err != nil {
					s.abortFlush()
					return err
				}
			}
		}
	}
	s.deletes = s.deletes[:0]
	s.sortedPending() // drops the inserted objects from s.pending
	for _, fn := range s.cfg.afterFlush {
		if err := callFlushHook(fn, s); err != nil {
			s.abortFlush()
			return &FlushError{Op: "after_flush", Model: "session", Err: err}
		}
	}
	return nil
}

// callFlushHook runs a learner's function, turning a panic into an error.
func callFlushHook(fn func(*Session) error, s *Session) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in hook: %v", r)
		}
	}()
	return fn(s)
}

func callObjHook(fn func(any) error, obj any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in hook: %v", r)
		}
	}()
	return fn(obj)
}

func (s *Session) anyDirty() bool {
	for _, st := range s.objs {
		if st.status == Persistent && st.snap != nil && s.isDirty(st) {
			return true
		}
	}
	return false
}

func (s *Session) isDirty(st *instanceState) bool {
	v := st.value()
	for _, f := range st.m.fields {
		if !equalValues(getValue(v.FieldByIndex(f.index), f.conv, f.elem), st.snap[f.pos]) {
			return true
		}
	}
	return false
}

func (s *Session) plan() *flushPlan {
	p := &flushPlan{inserts: map[*Mapper][]*instanceState{}, updates: map[*Mapper][]*instanceState{}, deletes: map[*Mapper][]*instanceState{}}
	seen := map[*Mapper]bool{}
	note := func(m *Mapper) {
		if !seen[m] {
			seen[m] = true
			p.mappers = append(p.mappers, m)
		}
	}
	for _, st := range s.sortedPending() {
		p.inserts[st.m] = append(p.inserts[st.m], st)
		note(st.m)
	}
	// Only the changed objects are sorted (UPDATEs in a stable order).
	var dirty []*instanceState
	for _, st := range s.objs {
		if st.status == Persistent && !st.deleteMarked && st.snap != nil && s.isDirty(st) {
			dirty = append(dirty, st)
		}
	}
	sort.Slice(dirty, func(i, j int) bool {
		if dirty[i].order != dirty[j].order {
			return dirty[i].order < dirty[j].order
		}
		return dirty[i].addr < dirty[j].addr
	})
	for _, st := range dirty {
		p.updates[st.m] = append(p.updates[st.m], st)
		note(st.m)
	}
	for _, st := range s.deletes {
		if st.deleteMarked && st.session == s && st.status == Persistent {
			p.deletes[st.m] = append(p.deletes[st.m], st)
			note(st.m)
		}
	}
	rank := tableRanks(p.mappers)
	sort.SliceStable(p.mappers, func(i, j int) bool { return rank[p.mappers[i].Table] < rank[p.mappers[j].Table] })
	return p
}

// tableRanks orders tables by foreign-key dependency (referenced first).
func tableRanks(ms []*Mapper) map[*core.Table]int {
	rank := map[*core.Table]int{}
	done := map[*core.MetaData]bool{}
	for _, m := range ms {
		md := m.Table.MetaData()
		if md == nil || done[md] {
			continue
		}
		done[md] = true
		for i, t := range md.SortedTables() {
			rank[t] = i
		}
	}
	return rank
}

func (s *Session) runHooks(m *Mapper, kind int, list []*instanceState, op string) error {
	hooks := m.hooks[kind]
	if len(hooks) == 0 {
		return nil
	}
	for _, st := range list {
		obj := st.object()
		for _, h := range hooks {
			if err := callObjHook(h, obj); err != nil {
				return &FlushError{Op: hookNames[kind], Model: m.Name, Key: keyString(st), Err: err}
			}
		}
	}
	_ = op
	return nil
}

func keyString(st *instanceState) string {
	if st.hasKey {
		return st.key.String()
	}
	return ""
}

func isZeroValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case int64:
		return x == 0
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case time.Time:
		return x.IsZero()
	case []byte:
		return len(x) == 0
	}
	return false
}

// insertRow is one object's INSERT: the values and which columns it omits
// (a generated key, server defaults).
type insertRow struct {
	st      *instanceState
	vals    []any // every field's value by position: the new snapshot
	shape   int   // index into insertShapes: the columns left out
	needKey bool
	expire  bool // a server default filled a column: reload it later
}

// insertShapes are the distinct sets of omitted columns of one flush's
// rows (usually one: the generated key), each with its column list, so a
// row carries a small number instead of its own mask.
type insertShapes struct {
	ids   map[string]int
	omit  [][]bool   // per shape: field index -> left out
	cols  [][]string // per shape: the column names given, in field order
	slots [][]int    // per shape: the field positions given, in field order
}

func (sh *insertShapes) id(m *Mapper, omitted []byte) int {
	if i, ok := sh.ids[string(omitted)]; ok {
		return i
	}
	if sh.ids == nil {
		sh.ids = map[string]int{}
	}
	om := make([]bool, len(m.fields))
	for k := 0; k+1 < len(omitted); k += 2 {
		om[int(omitted[k])|int(omitted[k+1])<<8] = true
	}
	var cols []string
	var slots []int
	for j, f := range m.fields {
		if !om[j] {
			cols = append(cols, f.col.Name)
			slots = append(slots, f.pos)
		}
	}
	i := len(sh.omit)
	sh.ids[string(omitted)] = i
	sh.omit = append(sh.omit, om)
	sh.cols = append(sh.cols, cols)
	sh.slots = append(sh.slots, slots)
	return i
}

func (s *Session) flushInserts(m *Mapper, list []*instanceState) error {
	if err := s.runHooks(m, hookBeforeInsert, list, "INSERT"); err != nil {
		return err
	}
	s.reserve(len(list), false)
	ncols := len(m.fields)
	rows := make([]insertRow, len(list))
	// Every row's snapshot in one allocation (each capped to its own part).
	snaps := make([]any, len(list)*ncols)
	var shapes insertShapes
	var obuf [8]byte
	for i, st := range list {
		v := st.value()
		r := &rows[i]
		r.st = st
		r.vals = snaps[i*ncols : (i+1)*ncols : (i+1)*ncols]
		omitted := obuf[:0]
		for j, f := range m.fields {
			fv := v.FieldByIndex(f.index)
			val := getValue(fv, f.conv, f.elem)
			if b, ok := val.([]byte); ok {
				val = append([]byte(nil), b...) // the snapshot must not share the program's slice
			}
			r.vals[f.pos] = val
			if isZeroValue(val) {
				if f == m.autoinc {
					r.needKey = true
					omitted = append(omitted, byte(j), byte(j>>8))
					continue
				}
				if def, ok := f.col.Default(); ok {
					if fn, isFn := def.(func() any); isFn {
						def = fn()
					}
					if err := setValue(fv, f.conv, f.elem, def); err != nil {
						return &FlushError{Op: "INSERT", Model: m.Name, Err: fmt.Errorf("default of field %s: %w", f.field, err)}
					}
					val = snapValue(fv, f.conv, f.elem)
					r.vals[f.pos] = val
				} else if f.col.ServerDefault() != nil {
					r.expire = true
					omitted = append(omitted, byte(j), byte(j>>8))
					continue
				}
			}
		}
		r.shape = shapes.id(m, omitted)
	}
	d := s.bind.dialect()
	multi := d.Has(dialect.MultiValuesInsert)
	keys := keyReading{canReturn: d.Has(dialect.Returning) || d.Has(dialect.OutputInserted)}
	// On SQLite the keys of a batch are read from the last insert id (see
	// dialect.ConsecutiveRowIDs): RETURNING would make SQLite buffer every
	// row it inserts, which doubles the cost of the INSERT (measured:
	// 500-row batches, 13.3 ms with RETURNING vs 5.9 ms without for 10,000
	// rows).
	if multi && d.Has(dialect.ConsecutiveRowIDs) && m.autoinc != nil && len(m.pk) == 1 && m.pk[0] == m.autoinc && m.autoinc.conv == convInt {
		keys.consecutive = true
	}
	batchKeys := multi && (keys.consecutive || d.Has(dialect.Returning))
	// Rows per INSERT: bounded by the bind-parameter limit (SQL Server
	// takes 2,100; the others 32,766 or more) and kept to a size whose SQL
	// stays readable in a trace.
	maxParams := 30000
	if d.Name() == dialect.MSSQL {
		maxParams = 2000
	}
	chunk := maxParams / (ncols + 1)
	if chunk > 500 {
		chunk = 500
	}
	if chunk < 1 {
		chunk = 1
	}
	var buf insertBuf
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && j-i < chunk && rows[j].shape == rows[i].shape && rows[j].needKey == rows[i].needKey {
			j++
		}
		run := rows[i:j]
		if !multi || (run[0].needKey && !batchKeys) {
			run = rows[i : i+1]
			j = i + 1
		}
		if err := s.insertRun(m, run, &shapes, run[0].needKey, keys, &buf); err != nil {
			return err
		}
		i = j
	}
	return s.runHooks(m, hookAfterInsert, list, "INSERT")
}

// keyReading is how an INSERT's generated keys come back: RETURNING or
// OUTPUT (canReturn), or the last insert id, which after a multi-row
// INSERT is the last of consecutive keys (consecutive).
type keyReading struct {
	canReturn   bool
	consecutive bool
}

// insertBuf is reused from one INSERT of a flush to the next: the core
// statement reads the rows only while it is compiled, inside run.
type insertBuf struct {
	flat []any
	rows [][]any
}

func (b *insertBuf) get(n, width int) [][]any {
	if cap(b.flat) < n*width {
		b.flat = make([]any, n*width)
	}
	if cap(b.rows) < n {
		b.rows = make([][]any, n)
	}
	flat, rows := b.flat[:n*width], b.rows[:n]
	for i := range rows {
		rows[i] = flat[i*width : (i+1)*width : (i+1)*width]
	}
	return rows
}

func (s *Session) insertRun(m *Mapper, run []insertRow, shapes *insertShapes, needKey bool, keys keyReading, buf *insertBuf) error {
	cols, slots := shapes.cols[run[0].shape], shapes.slots[run[0].shape]
	values := buf.get(len(run), len(cols))
	for i := range run {
		row, vals := values[i], run[i].vals
		for k, pos := range slots {
			row[k] = vals[pos]
		}
	}
	stmt := core.Insert(m.Table).ValuesList(cols, values...)
	// A single row reads its key as SQLAlchemy does (RETURNING where the
	// dialect has it); a batch on SQLite from the last insert id.
	useReturning := needKey && keys.canReturn && !(keys.consecutive && len(run) > 1)
	if useReturning {
		stmt = stmt.Returning(m.autoinc.col)
	}
	res, err := s.run(stmt, nil)
	clear(buf.flat[:len(run)*len(cols)]) // drop references to the program's values
	if err != nil {
		return &FlushError{Op: "INSERT", Model: m.Name, Err: err}
	}
	// The key of a single-column integer primary key that the database
	// generates is stored, snapshotted and keyed from the returned value
	// itself (already the int64 getValue would read back).
	f := m.autoinc
	fastKey := needKey && len(m.pk) == 1 && m.pk[0] == f && f.conv == convInt
	var ids []any
	if needKey {
		switch {
		case useReturning:
			ids = make([]any, 0, len(res.rows))
			for _, r := range res.rows {
				if len(r) > 0 {
					ids = append(ids, r[0])
				}
			}
			sortKeys(ids)
		case res.hasID && len(run) == 1:
			ids = []any{res.lastID}
		case res.hasID && keys.consecutive && res.affected == int64(len(run)):
			ids = make([]any, len(run))
			first := res.lastID - int64(len(run)) + 1
			for i := range ids {
				ids[i] = first + int64(i)
			}
		}
		if len(ids) != len(run) {
			return &FlushError{Op: "INSERT", Model: m.Name, Err: fmt.Errorf("the database returned %d generated key(s) for %d row(s)", len(ids), len(run))}
		}
		for i := range run {
			fv := run[i].st.value().FieldByIndex(f.index)
			if fastKey {
				if n, ok := ids[i].(int64); ok && !fv.OverflowInt(n) {
					fv.SetInt(n)
					continue
				}
				fastKey = false
			}
			if err := setValue(fv, f.conv, f.elem, ids[i]); err != nil {
				return &FlushError{Op: "INSERT", Model: m.Name, Err: fmt.Errorf("generated key into field %s: %w", f.field, err)}
			}
		}
	}
	for i := range run {
		st := run[i].st
		s.remember(st)
		snap := run[i].vals
		if fastKey {
			snap[f.pos] = ids[i]
			st.key = identKey{table: m.Table, v: ids[i]}
		} else {
			v := st.value()
			if needKey {
				snap[f.pos] = getValue(v.FieldByIndex(f.index), f.conv, f.elem)
			}
			st.key = keyOf(m, v)
		}
		st.snap = snap
		st.hasKey = true
		st.generated = needKey
		st.status = Persistent
		st.expired = run[i].expire
		s.identity[st.key] = st
	}
	return nil
}

// sortKeys orders generated keys ascending: autoincrement values of one
// statement ascend in VALUES order (SQLite rowids, PostgreSQL sequences),
// while RETURNING does not promise its row order. Integer keys that
// already ascend (the usual case) are left as they are.
func sortKeys(ids []any) {
	sorted := true
	prev := int64(0)
	for i, id := range ids {
		n, ok := id.(int64)
		if !ok {
			sorted = false
			break
		}
		if i > 0 && n < prev {
			sorted = false
			break
		}
		prev = n
	}
	if sorted {
		return
	}
	sort.SliceStable(ids, func(a, b int) bool {
		x, _ := toInt64(ids[a])
		y, _ := toInt64(ids[b])
		return x < y
	})
}

// staleCheck: MySQL reports changed rows, not matched rows, so an UPDATE
// that writes the same values reports 0; skip the check there.
func (s *Session) staleCheck() bool { return s.bind.dialect().Name() != dialect.MySQL }

func (s *Session) flushUpdates(m *Mapper, list []*instanceState) error {
	if err := s.runHooks(m, hookBeforeUpdate, list, "UPDATE"); err != nil {
		return err
	}
	for _, st := range list {
		changed := s.changes(st)
		if len(changed) == 0 {
			continue
		}
		v := st.value()
		stmt := core.Update(m.Table)
		for _, f := range changed {
			stmt = stmt.Set(f.col.Name, getValue(v.FieldByIndex(f.index), f.conv, f.elem))
		}
		for _, f := range m.pk {
			stmt = stmt.Where(f.col.Eq(st.snap[f.pos]))
		}
		res, err := s.run(stmt, nil)
		if err != nil {
			return &FlushError{Op: "UPDATE", Model: m.Name, Key: keyString(st), Err: err}
		}
		if res.affected != 1 && s.staleCheck() {
			return &FlushError{Op: "UPDATE", Model: m.Name, Key: keyString(st),
				Err: fmt.Errorf("%w: expected to update 1 row, updated %d", ErrStaleData, res.affected)}
		}
		s.remember(st)
		snap := append([]any(nil), st.snap...)
		for _, f := range changed {
			snap[f.pos] = snapValue(v.FieldByIndex(f.index), f.conv, f.elem)
		}
		st.snap = snap
		nk := keyOf(m, v)
		if nk != st.key {
			if s.identity[st.key] == st {
				delete(s.identity, st.key)
			}
			st.key = nk
			s.identity[nk] = st
		}
	}
	return s.runHooks(m, hookAfterUpdate, list, "UPDATE")
}

func (s *Session) flushDeletes(m *Mapper, list []*instanceState) error {
	if err := s.runHooks(m, hookBeforeDelete, list, "DELETE"); err != nil {
		return err
	}
	if len(m.pk) == 1 {
		f := m.pk[0]
		for i := 0; i < len(list); i += 500 {
			j := i + 500
			if j > len(list) {
				j = len(list)
			}
			keys := make([]any, j-i)
			for k, st := range list[i:j] {
				keys[k] = st.snap[f.pos]
			}
			var cond core.Expr
			if len(keys) == 1 {
				cond = f.col.Eq(keys[0])
			} else {
				cond = f.col.In(keys...)
			}
			res, err := s.run(core.Delete(m.Table).Where(cond), nil)
			if err != nil {
				return &FlushError{Op: "DELETE", Model: m.Name, Key: keyString(list[i]), Err: err}
			}
			if res.affected != int64(len(keys)) && s.staleCheck() {
				return &FlushError{Op: "DELETE", Model: m.Name, Key: keyString(list[i]),
					Err: fmt.Errorf("%w: expected to delete %d row(s), deleted %d", ErrStaleData, len(keys), res.affected)}
			}
		}
	} else {
		for _, st := range list {
			stmt := core.Delete(m.Table)
			for _, f := range m.pk {
				stmt = stmt.Where(f.col.Eq(st.snap[f.pos]))
			}
			res, err := s.run(stmt, nil)
			if err != nil {
				return &FlushError{Op: "DELETE", Model: m.Name, Key: keyString(st), Err: err}
			}
			if res.affected != 1 && s.staleCheck() {
				return &FlushError{Op: "DELETE", Model: m.Name, Key: keyString(st),
					Err: fmt.Errorf("%w: expected to delete 1 row, deleted %d", ErrStaleData, res.affected)}
			}
		}
	}
	for _, st := range list {
		s.remember(st)
		st.status = Deleted
		st.deleteMarked = false
		if s.identity[st.key] == st {
			delete(s.identity, st.key)
		}
	}
	return s.runHooks(m, hookAfterDelete, list, "DELETE")
}

var _ = reflect.Value{}
