package orm

import (
	"fmt"
	"reflect"
	"strings"

	"ormlab/orm/core"
)

// destination kinds of a query
type destKind uint8

const (
	destNone        destKind = iota
	destSlicePtr             // *[]*T
	destSliceStruct          // *[]T
	destStruct               // *T
	destStructPtr            // **T
	destScalar               // *int64, *string…
	destScalarSlice          // *[]int64, *[]string…
)

// Query is a SELECT of mapped objects (or of columns) built step by step:
//
//	var users []*User
//	err := session.Query(&users).FilterBy("Name", "ed").OrderBy("-id").Limit(10).All()
//
// Each method returns the query (changed in place); the terminal methods
// (All, First, One, Count, Exists, Scalar, Update, Delete) run it. Errors
// made while building are reported by the terminal method.
type Query struct {
	s        *Session
	dest     reflect.Value
	kind     destKind
	elemType reflect.Type
	m        *Mapper // the entity (from the destination, or From)
	plain    bool    // dest is a struct that is not the entity: scan by column name
	columns  []any
	where    []core.Expr
	joins    []queryJoin
	groupBy  []any
	having   []core.Expr
	orderBy  []any
	limit    int
	offset   int
	distinct bool
	err      error
	loads    []LoadOption // part 2: relationship loader options (loading.go)
}

type queryJoin struct {
	target core.FromItem
	on     []core.Expr
	outer  bool
}

// joinResolvers turn a join target the query does not know (a relationship
// name such as "Author") into a table and condition. Part 2 plugs in here.
var joinResolvers []func(q *Query, target string) (core.FromItem, core.Expr, bool)

// Query starts a query whose results go into dest: a pointer to a slice of
// model pointers (&users, []*User), a slice of structs, one struct (&user)
// or model pointer, or — with Select — a scalar, a slice of scalars, or a
// struct whose fields match the selected columns' names or labels.
func (s *Session) Query(dest any) *Query {
	q := &Query{s: s, limit: -1, offset: -1}
	dv := reflect.ValueOf(dest)
	if !dv.IsValid() || dv.Kind() != reflect.Pointer || dv.IsNil() {
		q.err = &QueryError{Reason: fmt.Sprintf("the destination must be a non-nil pointer (&users), got %T", dest)}
		return q
	}
	q.dest = dv
	t := dv.Type().Elem()
	switch {
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Pointer && t.Elem().Elem().Kind() == reflect.Struct:
		q.kind, q.elemType = destSlicePtr, t.Elem().Elem()
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && t.Elem() != timeType:
		q.kind, q.elemType = destSliceStruct, t.Elem()
	case t.Kind() == reflect.Struct && t != timeType && !isNullType(t):
		q.kind, q.elemType = destStruct, t
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t.Elem() != timeType:
		q.kind, q.elemType = destStructPtr, t.Elem()
	case t.Kind() == reflect.Slice && t != bytesType:
		q.kind, q.elemType = destScalarSlice, t.Elem()
	default:
		q.kind, q.elemType = destScalar, t
	}
	if q.kind != destScalar && q.kind != destScalarSlice {
		if m, err := s.mapperOf(q.elemType); err == nil {
			q.m = m
		} else {
			q.plain = true
		}
	}
	return q
}

func isNullType(t reflect.Type) bool {
	c, _, _, ok := convOf(t)
	return ok && c >= convNullString
}

func (q *Query) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}

func (q *Query) modelName() string {
	if q.m != nil {
		return q.m.Name
	}
	if q.elemType != nil {
		return typeName(q.elemType)
	}
	return ""
}

// From sets the entity whose table the query reads (a model value, a
// *Mapper, a *core.Table or a table name), for queries into scalars or
// plain structs.
func (q *Query) From(model any) *Query {
	if m := q.resolveMapper(model); m != nil {
		q.m = m
		if q.kind == destStruct || q.kind == destSlicePtr || q.kind == destSliceStruct || q.kind == destStructPtr {
			q.plain = q.plain || !sameModel(q.elemType, m)
		}
		return q
	}
	if t, ok := model.(*core.Table); ok {
		q.joins = append([]queryJoin{{target: t}}, q.joins...)
		return q
	}
	q.fail(&QueryError{Model: q.modelName(), Reason: fmt.Sprintf("From: %v is not a mapped model or table", model)})
	return q
}

func sameModel(t reflect.Type, m *Mapper) bool {
	return t == m.typ || structSig(t) == m.sig
}

func (q *Query) resolveMapper(x any) *Mapper {
	switch v := x.(type) {
	case *Mapper:
		return v
	case string:
		for b := range q.s.bases {
			if m := b.MapperFor(v); m != nil {
				return m
			}
		}
		return nil
	case *core.Table:
		for b := range q.s.bases {
			if m := b.MapperFor(v.Name); m != nil && m.Table == v {
				return m
			}
		}
		return nil
	}
	m, err := q.s.mapperOf(reflect.TypeOf(x))
	if err != nil {
		return nil
	}
	return m
}

// Select sets the selected columns: expressions (m.C("name"),
// orm.Sum(…).Label("total")), or field / column names of the entity.
func (q *Query) Select(columns ...any) *Query {
	for _, c := range columns {
		q.columns = append(q.columns, q.colArg(c))
	}
	if q.m != nil && q.kind != destScalar && q.kind != destScalarSlice {
		q.plain = true
	}
	return q
}

// colArg resolves a string naming a field or column of the entity.
func (q *Query) colArg(c any) any {
	s, ok := c.(string)
	if !ok {
		return c
	}
	if q.m != nil && !strings.Contains(s, ".") {
		if f := q.m.fieldByName(s); f != nil {
			return f.col
		}
	}
	if i := strings.LastIndexByte(s, '.'); i > 0 {
		if m := q.resolveMapper(s[:i]); m != nil {
			return m.C(s[i+1:])
		}
	}
	return core.Col(s)
}

// Filter adds conditions (joined with AND): m.C("age").Gt(30),
// orm.Or(…), orm.Not(…), c.In(…), c.Like("a%")…
func (q *Query) Filter(conds ...core.Expr) *Query {
	for _, c := range conds {
		if c != nil {
			q.where = append(q.where, c)
		}
	}
	return q
}

// Where is Filter.
func (q *Query) Where(conds ...core.Expr) *Query { return q.Filter(conds...) }

// FilterBy adds equality conditions on the entity's fields: name/value
// pairs (FilterBy("Name", "ed", "Age", 30)) or one map[string]any.
// Names are Go field names or column names.
func (q *Query) FilterBy(pairs ...any) *Query {
	if q.m == nil {
		q.fail(&QueryError{Model: q.modelName(), Reason: "FilterBy needs a mapped model (use From or Filter)"})
		return q
	}
	if len(pairs) == 1 {
		if mp, ok := pairs[0].(map[string]any); ok {
			keys := make([]string, 0, len(mp))
			for k := range mp {
				keys = append(keys, k)
			}
			sortStrings(keys)
			for _, k := range keys {
				q.filterBy(k, mp[k])
			}
			return q
		}
	}
	if len(pairs)%2 != 0 {
		q.fail(&QueryError{Model: q.m.Name, Reason: "FilterBy takes name/value pairs"})
		return q
	}
	for i := 0; i < len(pairs); i += 2 {
		name, ok := pairs[i].(string)
		if !ok {
			q.fail(&QueryError{Model: q.m.Name, Reason: fmt.Sprintf("FilterBy: %v is not a field name", pairs[i])})
			return q
		}
		q.filterBy(name, pairs[i+1])
	}
	return q
}

func (q *Query) filterBy(name string, v any) {
	f := q.m.fieldByName(name)
	if f == nil {
		q.fail(&QueryError{Model: q.m.Name, Reason: "FilterBy: no field or column named " + name})
		return
	}
	q.where = append(q.where, f.col.Eq(plainValue(v)))
}

// plainValue unwraps sql.Null* and pointers so they bind as values.
func plainValue(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil
	}
	if c, e, _, ok := convOf(rv.Type()); ok && (c == convPtr || c >= convNullString) {
		return getValue(rv, c, e)
	}
	return v
}

// OrderBy adds ORDER BY items: expressions (m.C("age").Desc(),
// orm.Desc(…)) or field / column names, "-name" for descending.
func (q *Query) OrderBy(items ...any) *Query {
	for _, it := range items {
		if s, ok := it.(string); ok {
			desc := strings.HasPrefix(s, "-")
			c := q.colArg(strings.TrimPrefix(s, "-"))
			if desc {
				q.orderBy = append(q.orderBy, core.Desc(c))
			} else {
				q.orderBy = append(q.orderBy, c)
			}
			continue
		}
		q.orderBy = append(q.orderBy, it)
	}
	return q
}

// GroupBy adds GROUP BY items (expressions or field / column names).
func (q *Query) GroupBy(items ...any) *Query {
	for _, it := range items {
		q.groupBy = append(q.groupBy, q.colArg(it))
	}
	return q
}

// Having adds HAVING conditions.
func (q *Query) Having(conds ...core.Expr) *Query {
	q.having = append(q.having, conds...)
	return q
}

// Limit sets LIMIT.
func (q *Query) Limit(n int) *Query { q.limit = n; return q }

// Offset sets OFFSET.
func (q *Query) Offset(n int) *Query { q.offset = n; return q }

// Distinct makes it SELECT DISTINCT.
func (q *Query) Distinct() *Query { q.distinct = true; return q }

// Join adds an inner join to target (a model value, *Mapper, *core.Table or
// table name) on the given condition; with no condition, the single
// foreign key between the tables is used.
func (q *Query) Join(target any, on ...core.Expr) *Query { return q.join(target, on, false) }

// OuterJoin adds a LEFT OUTER JOIN.
func (q *Query) OuterJoin(target any, on ...core.Expr) *Query { return q.join(target, on, true) }

func (q *Query) join(target any, on []core.Expr, outer bool) *Query {
	var from core.FromItem
	switch t := target.(type) {
	case core.FromItem:
		from = t
	default:
		if m := q.resolveMapper(target); m != nil {
			from = m.Table
		}
	}
	if from == nil {
		if name, ok := target.(string); ok {
			for _, r := range joinResolvers {
				if f, cond, ok := r(q, name); ok {
					from = f
					if len(on) == 0 && cond != nil {
						on = []core.Expr{cond}
					}
					break
				}
			}
		}
	}
	if from == nil {
		q.fail(&QueryError{Model: q.modelName(), Reason: fmt.Sprintf("Join: %v is not a mapped model, table or relationship", target)})
		return q
	}
	q.joins = append(q.joins, queryJoin{target: from, on: on, outer: outer})
	return q
}

// Statement builds the SELECT the query runs (for display or reuse).
func (q *Query) Statement() *core.SelectStmt {
	sel, _ := q.build(q.selectColumns())
	return sel
}

func (q *Query) selectColumns() []any {
	if len(q.columns) > 0 {
		return q.columns
	}
	if q.m != nil {
		cols := make([]any, len(q.m.fields))
		for i, f := range q.m.fields {
			cols[i] = f.col
		}
		return cols
	}
	return nil
}

func (q *Query) build(cols []any) (*core.SelectStmt, error) {
	if q.err != nil {
		return nil, q.err
	}
	if len(cols) == 0 {
		return nil, &QueryError{Model: q.modelName(), Reason: "nothing to select: " + q.modelName() + " is not mapped (map it with base.Map, or use Select and From)"}
	}
	sel := core.Select(cols...)
	joins := q.joins
	if q.m != nil {
		sel = sel.From(q.m.Table)
	} else if len(joins) > 0 && joins[0].on == nil && !joins[0].outer {
		// From(table) put the table first
		sel = sel.From(joins[0].target)
		joins = joins[1:]
	}
	for _, j := range joins {
		if j.outer {
			sel = sel.OuterJoin(j.target, j.on...)
		} else {
			sel = sel.Join(j.target, j.on...)
		}
	}
	if len(q.where) > 0 {
		sel = sel.Where(q.where...)
	}
	if len(q.groupBy) > 0 {
		sel = sel.GroupBy(q.groupBy...)
	}
	if len(q.having) > 0 {
		sel = sel.Having(q.having...)
	}
	if len(q.orderBy) > 0 {
		sel = sel.OrderBy(q.orderBy...)
	}
	if q.distinct {
		sel = sel.Distinct()
	}
	if q.limit >= 0 {
		sel = sel.Limit(q.limit)
	}
	if q.offset >= 0 {
		sel = sel.Offset(q.offset)
	}
	return sel, nil
}

func (q *Query) execute(sel *core.SelectStmt) (*execResult, error) {
	if err := q.s.autoflush(); err != nil {
		return nil, err
	}
	return q.s.run(sel, nil)
}

// All runs the query and stores every row in the destination.
func (q *Query) All() error { return q.fetch(-1) }

// First runs the query with LIMIT 1 and stores the row; no row gives
// ErrNoResult (a slice destination is then emptied).
func (q *Query) First() error {
	saved := q.limit
	q.limit = 1
	err := q.fetch(1)
	q.limit = saved
	return err
}

// One runs the query and stores its only row: no row gives ErrNoResult,
// more than one ErrMultipleResults.
func (q *Query) One() error {
	saved := q.limit
	if q.limit < 0 || q.limit > 2 {
		q.limit = 2
	}
	err := q.fetch(2)
	q.limit = saved
	return err
}

// fetch runs and stores; want is -1 (all), 1 (first) or 2 (one).
func (q *Query) fetch(want int) error {
	// part 2: queries with loader options or eager relationships are run
	// by loading.go.
	if queryLoader != nil {
		if done, err := queryLoader(q, want); done {
			return err
		}
	}
	sel, err := q.build(q.selectColumns())
	if err != nil {
		return err
	}
	res, err := q.execute(sel)
	if err != nil {
		return err
	}
	if want == 2 && len(res.rows) > 1 {
		return &resultError{sentinel: ErrMultipleResults, model: q.modelName()}
	}
	if want > 0 && len(res.rows) == 0 {
		if q.kind == destSlicePtr || q.kind == destSliceStruct || q.kind == destScalarSlice {
			q.dest.Elem().Set(reflect.MakeSlice(q.dest.Elem().Type(), 0, 0))
		}
		if q.kind == destStructPtr {
			q.dest.Elem().SetZero()
		}
		return &resultError{sentinel: ErrNoResult, model: q.modelName()}
	}
	if want > 0 && len(res.rows) > 1 {
		res.rows = res.rows[:1]
	}
	return q.store(res)
}

func (q *Query) store(res *execResult) error {
	if q.kind == destScalar || q.kind == destScalarSlice {
		return storeScalars(q.dest, q.kind, res, q.modelName())
	}
	if q.plain || q.m == nil {
		return storePlain(q.dest, q.kind, q.elemType, res, q.modelName())
	}
	m := q.m
	dv := q.dest.Elem()
	q.s.reserve(len(res.rows), true)
	switch q.kind {
	case destSlicePtr:
		out := reflect.MakeSlice(dv.Type(), len(res.rows), len(res.rows))
		for i, row := range res.rows {
			st, err := q.s.loadRow(m, row, reflect.Value{}, false)
			if err != nil {
				return err
			}
			out.Index(i).Set(reflect.NewAt(q.elemType, st.ptr))
		}
		dv.Set(out)
	case destSliceStruct:
		out := reflect.MakeSlice(dv.Type(), len(res.rows), len(res.rows))
		for i, row := range res.rows {
			el := out.Index(i)
			st, err := q.s.loadRow(m, row, el, false)
			if err != nil {
				return err
			}
			if uintptr(st.ptr) != el.Addr().Pointer() {
				el.Set(reflect.NewAt(q.elemType, st.ptr).Elem())
			}
		}
		dv.Set(out)
	case destStruct:
		if len(res.rows) == 0 {
			return &resultError{sentinel: ErrNoResult, model: m.Name}
		}
		st, err := q.s.loadRow(m, res.rows[0], dv, false)
		if err != nil {
			return err
		}
		if uintptr(st.ptr) != dv.Addr().Pointer() {
			dv.Set(reflect.NewAt(q.elemType, st.ptr).Elem())
		}
	case destStructPtr:
		if len(res.rows) == 0 {
			dv.SetZero()
			return &resultError{sentinel: ErrNoResult, model: m.Name}
		}
		st, err := q.s.loadRow(m, res.rows[0], reflect.Value{}, false)
		if err != nil {
			return err
		}
		dv.Set(reflect.NewAt(q.elemType, st.ptr))
	}
	return nil
}

// Count runs SELECT count(*) over the query (as a subquery when it groups,
// is distinct or is limited).
func (q *Query) Count() (int64, error) {
	cols := q.selectColumns()
	if q.m != nil && len(q.columns) == 0 {
		cols = []any{q.m.pk[0].col}
	}
	inner, err := q.build(cols)
	if err != nil {
		return 0, err
	}
	var sel *core.SelectStmt
	if len(q.groupBy) == 0 && !q.distinct && q.limit < 0 && q.offset < 0 && len(q.columns) == 0 && q.m != nil {
		sel = core.Select(core.Count()).From(q.m.Table)
		for _, j := range q.joins {
			if j.outer {
				sel = sel.OuterJoin(j.target, j.on...)
			} else {
				sel = sel.Join(j.target, j.on...)
			}
		}
		if len(q.where) > 0 {
			sel = sel.Where(q.where...)
		}
	} else {
		sel = core.Select(core.Count()).From(inner.Subquery("anon_1"))
	}
	res, err := q.execute(sel)
	if err != nil {
		return 0, err
	}
	if len(res.rows) == 0 || len(res.rows[0]) == 0 {
		return 0, nil
	}
	return toInt64(res.rows[0][0])
}

// Exists reports whether the query has at least one row.
func (q *Query) Exists() (bool, error) {
	cols := q.selectColumns()
	if q.m != nil && len(q.columns) == 0 {
		cols = []any{q.m.pk[0].col}
	}
	saved := q.limit
	q.limit = 1
	sel, err := q.build(cols)
	q.limit = saved
	if err != nil {
		return false, err
	}
	res, err := q.execute(sel)
	if err != nil {
		return false, err
	}
	return len(res.rows) > 0, nil
}

// Scalar runs the query and stores the first column of the first row in
// the destination (a scalar pointer); no row gives ErrNoResult.
func (q *Query) Scalar() error {
	sel, err := q.build(q.selectColumns())
	if err != nil {
		return err
	}
	res, err := q.execute(sel)
	if err != nil {
		return err
	}
	if len(res.rows) == 0 {
		return &resultError{sentinel: ErrNoResult, model: q.modelName()}
	}
	res.rows = res.rows[:1]
	if q.kind != destScalar {
		return &QueryError{Model: q.modelName(), Reason: "Scalar needs a pointer to a single value (&n)"}
	}
	return storeScalars(q.dest, q.kind, res, q.modelName())
}

// Update runs a bulk UPDATE of the rows the query's filters match
// (values: field or column name → value or expression) and returns the
// number of rows changed. Objects of the model already in the session are
// refreshed from the database (SQLAlchemy's synchronize_session="fetch").
func (q *Query) Update(values map[string]any) (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	if q.m == nil {
		return 0, &QueryError{Model: q.modelName(), Reason: "Update needs a mapped model"}
	}
	if len(q.joins) > 0 || len(q.groupBy) > 0 || q.limit >= 0 || q.offset >= 0 {
		return 0, &QueryError{Model: q.m.Name, Reason: "a bulk Update takes filters only (no join, group, limit or offset)"}
	}
	m := q.m
	set := map[string]any{}
	for k, v := range values {
		f := m.fieldByName(k)
		if f == nil {
			return 0, &QueryError{Model: m.Name, Reason: "Update: no field or column named " + k}
		}
		set[f.col.Name] = plainValue(v)
	}
	if err := q.s.autoflush(); err != nil {
		return 0, err
	}
	keys, err := q.matchingKeys()
	if err != nil {
		return 0, err
	}
	stmt := core.Update(m.Table).Values(set)
	if len(q.where) > 0 {
		stmt = stmt.Where(q.where...)
	}
	res, err := q.s.run(stmt, nil)
	if err != nil {
		return 0, err
	}
	for _, st := range keys {
		if err := q.s.Refresh(st.object()); err != nil && !isNoResult(err) {
			return res.affected, err
		}
	}
	return res.affected, nil
}

func isNoResult(err error) bool {
	re, ok := err.(*resultError)
	return ok && re.sentinel == ErrNoResult
}

// Delete runs a bulk DELETE of the rows the query's filters match and
// returns the number deleted. Objects of the model in the session that
// matched become deleted.
func (q *Query) Delete() (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	if q.m == nil {
		return 0, &QueryError{Model: q.modelName(), Reason: "Delete needs a mapped model"}
	}
	if len(q.joins) > 0 || len(q.groupBy) > 0 || q.limit >= 0 || q.offset >= 0 {
		return 0, &QueryError{Model: q.m.Name, Reason: "a bulk Delete takes filters only (no join, group, limit or offset)"}
	}
	if err := q.s.autoflush(); err != nil {
		return 0, err
	}
	keys, err := q.matchingKeys()
	if err != nil {
		return 0, err
	}
	stmt := core.Delete(q.m.Table)
	if len(q.where) > 0 {
		stmt = stmt.Where(q.where...)
	}
	res, err := q.s.run(stmt, nil)
	if err != nil {
		return 0, err
	}
	for _, st := range keys {
		q.s.remember(st)
		st.status = Deleted
		st.deleteMarked = false
		if q.s.identity[st.key] == st {
			delete(q.s.identity, st.key)
		}
	}
	q.s.pruneDeletes()
	return res.affected, nil
}

// matchingKeys selects the keys the filters match, when objects of the
// model are in the session, and returns those objects.
func (q *Query) matchingKeys() ([]*instanceState, error) {
	m := q.m
	found := false
	for _, st := range q.s.objs {
		if st.m == m && st.hasKey {
			found = true
			break
		}
	}
	if !found {
		return nil, nil
	}
	cols := make([]any, len(m.pk))
	for i, f := range m.pk {
		cols[i] = f.col
	}
	sel := core.Select(cols...).From(m.Table)
	if len(q.where) > 0 {
		sel = sel.Where(q.where...)
	}
	res, err := q.s.run(sel, nil)
	if err != nil {
		return nil, err
	}
	var out []*instanceState
	for _, row := range res.rows {
		if st, ok := q.s.identity[keyFromValues(m, row)]; ok {
			out = append(out, st)
		}
	}
	return out, nil
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
