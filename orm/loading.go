package orm

// Loading relationships (part 2). Go cannot run SQL when a field is read,
// so there is no implicit lazy loading: an unloaded collection is a nil
// slice and an unloaded reference a nil pointer. Relationships are loaded
//
//   - explicitly, one object at a time: session.Load(author, "Books") —
//     one SELECT per call, so a loop over N authors costs N statements
//     (the N+1 problem, visible in the trace);
//   - explicitly for many objects at once: session.Load(authors, "Books")
//     with a slice — one SELECT … WHERE author_id IN (…) per 500 objects;
//   - eagerly by a query: Options(orm.SelectinLoad("Books")) (a second
//     SELECT with IN over the primary keys, chunks of 500) or
//     Options(orm.JoinedLoad("Books")) (the same SELECT with a LEFT OUTER
//     JOIN); a relationship tagged lazy:selectin / lazy:joined is loaded
//     that way by every query of its model;
//   - never, in raise mode: RaiseLoad("Books") on a query, or lazy:raise on
//     the tag, makes a later Load of that relationship (one object at a
//     time) an error wrapping ErrRaiseLoad, to catch an accidental N+1.
//
// Loaded collections come back ordered by the tag's order_by, else by the
// target's primary key. A collection with no rows is an empty, non-nil
// slice. Loading also fills the back_populates side (the children's
// parent pointers) and takes the relationship snapshots the next flush
// compares against. Paths may be nested: "Books.Reviews".

import (
	"fmt"
	"reflect"
	"strings"

	"ormlab/orm/core"
)

// LoadOption is a relationship loading strategy for a query's Options.
type LoadOption struct {
	Path     string
	Strategy string // "selectin", "joined", "raise", "select"
}

// SelectinLoad loads the relationship (path "Books" or "Books.Reviews") of
// the query's results with one more SELECT … IN (…) per 500 parents.
func SelectinLoad(path string) LoadOption { return LoadOption{Path: path, Strategy: "selectin"} }

// JoinedLoad loads the relationship in the query's own SELECT with a LEFT
// OUTER JOIN (one level; nested paths load their deeper levels by
// selectin).
func JoinedLoad(path string) LoadOption { return LoadOption{Path: path, Strategy: "joined"} }

// RaiseLoad leaves the relationship unloaded and makes a later
// session.Load of it on one object an error (ErrRaiseLoad).
func RaiseLoad(path string) LoadOption { return LoadOption{Path: path, Strategy: "raise"} }

// LazyLoad leaves the relationship for session.Load (overrides a tag's
// lazy:selectin or lazy:joined).
func LazyLoad(path string) LoadOption { return LoadOption{Path: path, Strategy: "select"} }

// Options adds relationship loading options to the query.
func (q *Query) Options(opts ...LoadOption) *Query {
	q.loads = append(q.loads, opts...)
	return q
}

// getLoaded, set by init, is called by Session.Get for an object it
// loaded from the database.
var getLoaded func(s *Session, st *instanceState) error

func init() {
	queryLoader = relQueryLoader
	getLoaded = func(s *Session, st *instanceState) error {
		return s.loadDefaults(st.m, []*instanceState{st})
	}
}

// Load loads relationships of target — a model pointer, or a slice of
// model pointers (loaded together, one SELECT per 500) — named by field:
// session.Load(author, "Books"), session.Load(books, "Author"),
// session.Load(author, "Books.Reviews").
func (s *Session) Load(target any, paths ...string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &QueryError{Reason: "Load: internal error (please report)", Err: fmt.Errorf("%v", r)}
		}
	}()
	if len(paths) == 0 {
		return &QueryError{Reason: "Load: name the relationship field(s) to load, e.g. session.Load(author, \"Books\")"}
	}
	rv := reflect.ValueOf(target)
	var objs []reflect.Value
	switch {
	case rv.IsValid() && rv.Kind() == reflect.Slice:
		for i := 0; i < rv.Len(); i++ {
			e := rv.Index(i)
			if e.Kind() == reflect.Struct {
				e = e.Addr()
			}
			objs = append(objs, e)
		}
	case rv.IsValid() && rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Slice:
		return s.Load(rv.Elem().Interface(), paths...)
	default:
		objs = []reflect.Value{rv}
	}
	if len(objs) == 0 {
		return nil
	}
	if err := s.autoflush(); err != nil {
		return err
	}
	var parents []*instanceState
	var m *Mapper
	for _, o := range objs {
		ov, om, err := s.objectOf("Load", o.Interface())
		if err != nil {
			return err
		}
		st := lookupState(ov.UnsafePointer())
		if st == nil || st.session != s || !st.hasKey {
			return &ObjectError{Op: "Load", Model: om.Name, Reason: "the object is not persistent in this session (add and flush it, or query it)"}
		}
		if m != nil && st.m != m {
			return &ObjectError{Op: "Load", Model: om.Name, Reason: "the objects are of different models (" + m.Name + ", " + om.Name + ")"}
		}
		m = st.m
		parents = append(parents, st)
	}
	for _, p := range paths {
		parts := strings.Split(p, ".")
		ri, err := relOf(m, parts[0])
		if err != nil {
			return err
		}
		if len(parents) == 1 && (ri.lazy == "raise" || ri.lazy == "raise_on_sql" || isRaise(parents[0], ri)) {
			return &RelationshipError{Model: m.Name, Field: ri.r.Field, sentinel: ErrRaiseLoad,
				Reason: "lazy loading is set to raise: loading it object by object would be an N+1; load it with the query instead — Options(orm.SelectinLoad(\"" + ri.r.Field + "\")) or JoinedLoad — or load a whole slice at once with session.Load(slice, \"" + ri.r.Field + "\")"}
		}
		// one object: a lazy load (WHERE fk = key); a slice: IN (…)
		if err := s.loadPath(m, parents, parts, len(parents) > 1); err != nil {
			return err
		}
	}
	return nil
}

// loadPath loads a relationship path; in makes a single key an IN (…) too
// (selectin and batch loads), otherwise one key is an equality (a lazy load).
func (s *Session) loadPath(m *Mapper, parents []*instanceState, parts []string, in bool) error {
	ri, err := relOf(m, parts[0])
	if err != nil {
		return err
	}
	children, err := s.loadBatch(ri, parents, in)
	if err != nil {
		return err
	}
	if len(parts) > 1 && len(children) > 0 {
		if err := s.loadPath(ri.to, children, parts[1:], true); err != nil {
			return err
		}
	}
	return s.loadDefaults(ri.to, children)
}

// loadDefaults loads, for objects just loaded, their relationships tagged
// lazy:selectin or lazy:joined that are not loaded yet (by selectin), as
// SQLAlchemy applies a relationship's default strategy wherever its
// objects are loaded. Each object's relationship is loaded once, so
// mutually eager relationships (Author.Books ↔ Book.Author) stop.
func (s *Session) loadDefaults(m *Mapper, objs []*instanceState) error {
	if len(objs) == 0 || len(m.rels) == 0 {
		return nil
	}
	c, err := configureBase(m.base)
	if err != nil {
		return err
	}
	for _, ri := range c.byMapper[m] {
		if ri.lazy != "selectin" && ri.lazy != "joined" {
			continue
		}
		var need []*instanceState
		for _, st := range objs {
			var loaded bool
			if ri.childSide {
				_, loaded = scalarSnap(st, ri)
			} else {
				_, loaded = collSnap(st, ri)
			}
			if !loaded {
				need = append(need, st)
			}
		}
		if len(need) == 0 {
			continue
		}
		if err := s.loadPath(m, need, []string{ri.r.Field}, true); err != nil {
			return err
		}
	}
	return nil
}

func uniqStates(list []*instanceState) []*instanceState {
	seen := make(map[*instanceState]bool, len(list))
	out := list[:0:0]
	for _, st := range list {
		if st != nil && !seen[st] {
			seen[st] = true
			out = append(out, st)
		}
	}
	return out
}

// keyCond is "cols = vals" for one key, or cols IN (…) / OR of ANDs for
// several.
func keyCond(cols []*core.ColumnObj, keys [][]any, in bool) core.Expr {
	if len(cols) == 1 {
		if len(keys) == 1 && !in {
			return cols[0].Eq(keys[0][0])
		}
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = k[0]
		}
		return cols[0].In(vals...)
	}
	var ors []core.Expr
	for _, k := range keys {
		var ands []core.Expr
		for i, c := range cols {
			ands = append(ands, c.Eq(k[i]))
		}
		ors = append(ors, core.And(ands...))
	}
	if len(ors) == 1 {
		return ors[0]
	}
	return core.Or(ors...)
}

func fieldCols(fs []*fieldMap) []*core.ColumnObj {
	out := make([]*core.ColumnObj, len(fs))
	for i, f := range fs {
		out[i] = f.col
	}
	return out
}

func (ri *relInfo) order() []any {
	if len(ri.orderBy) > 0 {
		return ri.orderBy
	}
	var out []any
	for _, f := range ri.to.pk {
		out = append(out, f.col)
	}
	return out
}

// loadBatch loads ri for every parent (one SELECT per 500 keys) and
// returns the loaded targets.
func (s *Session) loadBatch(ri *relInfo, parents []*instanceState, in bool) ([]*instanceState, error) {
	parents = uniqStates(parents)
	switch {
	case ri.secondary != nil:
		return s.loadSecondary(ri, parents, in)
	case ri.childSide:
		return s.loadManyToOne(ri, parents, in)
	}
	// parent side: children WHERE fk IN (parent keys)
	groups := map[any][]*instanceState{}
	var keys [][]any
	seen := map[any]bool{}
	for _, p := range parents {
		k := keyValues(p, ri.parentKey)
		tk := tupleKey(k)
		if !seen[tk] && !allZero(k) {
			seen[tk] = true
			keys = append(keys, k)
		}
	}
	var all []*instanceState
	for i := 0; i < len(keys); i += 500 {
		j := min(i+500, len(keys))
		sel := selectOf(ri.to).Where(keyCond(fieldCols(ri.childFK), keys[i:j], in)).OrderBy(ri.order()...)
		res, err := s.run(sel, nil)
		if err != nil {
			return nil, err
		}
		s.reserve(len(res.rows), true)
		for _, row := range res.rows {
			c, err := s.loadRow(ri.to, row, reflect.Value{}, false)
			if err != nil {
				return nil, err
			}
			fk := make([]any, len(ri.childFK))
			for n, f := range ri.childFK {
				fk[n] = row[f.pos]
			}
			tk := tupleKey(fk)
			groups[tk] = append(groups[tk], c)
			all = append(all, c)
		}
	}
	for _, p := range parents {
		list := groups[tupleKey(keyValues(p, ri.parentKey))]
		s.setLoaded(p, ri, list)
	}
	return all, nil
}

// setLoaded stores a loaded collection (or parent-side scalar), fills the
// back_populates pointers and takes the snapshots.
//
// list is the loader's own, built for p and not changed afterwards: the
// snapshot keeps it without a copy.
func (s *Session) setLoaded(p *instanceState, ri *relInfo, list []*instanceState) {
	writeTargets(p, ri, list)
	if !isCollection(ri) && len(list) > 1 {
		list = list[:1:1]
	}
	setCollSnapOwned(p, ri, list)
	if ri.back != nil && ri.back.childSide {
		for _, c := range list {
			writeTarget(c, ri.back, p)
			setScalarSnap(c, ri.back, p)
		}
	}
}

func samePK(fs []*fieldMap, m *Mapper) bool {
	if len(fs) != len(m.pk) {
		return false
	}
	for i := range fs {
		if fs[i] != m.pk[i] {
			return false
		}
	}
	return true
}

// loadManyToOne: the identity map answers keys it holds (no SQL); the
// rest come from one SELECT … WHERE pk IN (…) per 500.
func (s *Session) loadManyToOne(ri *relInfo, children []*instanceState, in bool) ([]*instanceState, error) {
	found := map[any]*instanceState{}
	var missing [][]any
	usePK := samePK(ri.parentKey, ri.to)
	for _, c := range children {
		k := keyValues(c, ri.childFK)
		if allZero(k) {
			continue
		}
		tk := tupleKey(k)
		if _, ok := found[tk]; ok {
			continue
		}
		if usePK {
			if t, ok := s.identity[keyFromValues(ri.to, k)]; ok && !t.expired && !t.deleteMarked {
				found[tk] = t
				continue
			}
		}
		found[tk] = nil
		missing = append(missing, k)
	}
	for i := 0; i < len(missing); i += 500 {
		j := min(i+500, len(missing))
		res, err := s.run(selectOf(ri.to).Where(keyCond(fieldCols(ri.parentKey), missing[i:j], in)), nil)
		if err != nil {
			return nil, err
		}
		for _, row := range res.rows {
			t, err := s.loadRow(ri.to, row, reflect.Value{}, false)
			if err != nil {
				return nil, err
			}
			k := make([]any, len(ri.parentKey))
			for n, f := range ri.parentKey {
				k[n] = row[f.pos]
			}
			found[tupleKey(k)] = t
		}
	}
	var out []*instanceState
	for _, c := range children {
		k := keyValues(c, ri.childFK)
		var t *instanceState
		if !allZero(k) {
			t = found[tupleKey(k)]
		}
		if t != nil {
			out = append(out, t)
			writeTargets(c, ri, []*instanceState{t})
		} else {
			writeTargets(c, ri, nil)
		}
		setScalarSnap(c, ri, t)
		// a one-to-one's parent side holds exactly this child
		if t != nil && ri.back != nil && !isCollection(ri.back) {
			writeTargets(t, ri.back, []*instanceState{c})
			setCollSnap(t, ri.back, []*instanceState{c})
		}
	}
	return uniqStates(out), nil
}

// loadSecondary: SELECT sec.local…, target.* FROM target JOIN sec ON …
// WHERE sec.local IN (…).
func (s *Session) loadSecondary(ri *relInfo, parents []*instanceState, in bool) ([]*instanceState, error) {
	var keys [][]any
	seen := map[any]bool{}
	for _, p := range parents {
		k := keyValues(p, ri.fromKey)
		if tk := tupleKey(k); !seen[tk] {
			seen[tk] = true
			keys = append(keys, k)
		}
	}
	n := len(ri.secLocal)
	groups := map[any][]*instanceState{}
	var all []*instanceState
	for i := 0; i < len(keys); i += 500 {
		j := min(i+500, len(keys))
		cols := make([]any, 0, n+len(ri.to.fields))
		for _, c := range ri.secLocal {
			cols = append(cols, c)
		}
		for _, f := range ri.to.fields {
			cols = append(cols, f.col)
		}
		var on []core.Expr
		for k, c := range ri.secRemote {
			on = append(on, c.Eq(ri.toKey[k].col))
		}
		sel := core.Select(cols...).From(ri.to.Table).Join(ri.secondary, on...).
			Where(keyCond(ri.secLocal, keys[i:j], in)).OrderBy(ri.order()...)
		res, err := s.run(sel, nil)
		if err != nil {
			return nil, err
		}
		for _, row := range res.rows {
			t, err := s.loadRow(ri.to, row[n:], reflect.Value{}, false)
			if err != nil {
				return nil, err
			}
			tk := tupleKey(row[:n])
			groups[tk] = append(groups[tk], t)
			all = append(all, t)
		}
	}
	for _, p := range parents {
		list := groups[tupleKey(keyValues(p, ri.fromKey))]
		writeTargets(p, ri, list)
		setCollSnap(p, ri, list)
	}
	return uniqStates(all), nil
}

// ---- eager loading in queries ----

// joinSeg is where a joined load's columns start in a row.
type joinSeg struct {
	pl    plannedLoad
	start int
}

// queryLoader, set by init, runs queries with loader options (query.go's
// fetch calls it first).
var queryLoader func(q *Query, want int) (bool, error)

type plannedLoad struct {
	ri       *relInfo
	strategy string
	rest     []string // deeper path, loaded by selectin
}

// plan merges the tag defaults (lazy:selectin / joined / raise) with the
// query's options.
func (q *Query) planLoads() ([]plannedLoad, error) {
	if q.m == nil || q.plain || q.kind == destScalar || q.kind == destScalarSlice {
		if len(q.loads) > 0 {
			return nil, &QueryError{Model: q.modelName(), Reason: "loader options need a query of mapped objects"}
		}
		return nil, nil
	}
	if len(q.m.rels) == 0 && len(q.loads) == 0 {
		return nil, nil
	}
	c, err := configureBase(q.m.base)
	if err != nil {
		return nil, err
	}
	var out []plannedLoad
	byField := map[string]int{}
	for _, ri := range c.byMapper[q.m] {
		switch ri.lazy {
		case "selectin", "joined", "raise", "raise_on_sql":
			st := ri.lazy
			if st == "raise_on_sql" {
				st = "raise"
			}
			byField[ri.r.Field] = len(out)
			out = append(out, plannedLoad{ri: ri, strategy: st})
		}
	}
	for _, o := range q.loads {
		parts := strings.Split(o.Path, ".")
		ri, err := relOf(q.m, parts[0])
		if err != nil {
			return nil, err
		}
		switch o.Strategy {
		case "selectin", "joined", "raise", "select":
		default:
			return nil, &QueryError{Model: q.m.Name, Reason: "unknown loading strategy " + o.Strategy}
		}
		pl := plannedLoad{ri: ri, strategy: o.Strategy, rest: parts[1:]}
		if i, ok := byField[ri.r.Field]; ok && len(pl.rest) == 0 {
			out[i] = pl
			continue
		}
		byField[ri.r.Field] = len(out)
		out = append(out, pl)
	}
	return out, nil
}

// relQueryLoader runs a query that has loader options or eager tag
// defaults (it replaces Query.fetch for them).
func relQueryLoader(q *Query, want int) (done bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			done, err = true, &QueryError{Model: q.modelName(), Reason: "loading relationships: internal error (please report)", Err: fmt.Errorf("%v", r)}
		}
	}()
	if q.err != nil {
		return false, nil
	}
	loads, err := q.planLoads()
	if err != nil {
		return true, err
	}
	var ii *inheritInfo
	if q.m != nil && !q.plain && q.kind != destScalar && q.kind != destScalarSlice {
		ii = inheritOf(q.m)
	}
	active := ii != nil
	for _, l := range loads {
		if l.strategy != "select" {
			active = true
		}
	}
	if !active {
		return false, nil
	}
	m := q.m
	n := len(m.fields)
	cols := q.selectColumns()
	var joined []plannedLoad
	for i, l := range loads {
		if l.strategy == "joined" {
			if ii != nil {
				// a subclass query already joins its base table: load
				// the relationship by selectin instead
				loads[i].strategy = "selectin"
				continue
			}
			joined = append(joined, l)
		}
	}
	var sel *core.SelectStmt
	var segs []joinSeg
	switch {
	case ii != nil:
		sel, err = inheritJoin(q, ii, cols)
	case len(joined) == 0:
		sel, err = q.build(cols)
	default:
		sel, segs, err = q.buildJoined(cols, joined)
	}
	if err != nil {
		return true, err
	}
	res, err := q.execute(sel)
	if err != nil {
		return true, err
	}
	// every row is a parent or a joined child: grow the maps once
	q.s.reserve(len(res.rows)*(1+len(segs)), true)
	// parents, deduplicated (a joined collection repeats them)
	var parents []*instanceState
	var prow [][]any
	idx := map[*instanceState]int{}
	children := make([]map[*instanceState][]*instanceState, len(segs))
	for i := range segs {
		children[i] = map[*instanceState][]*instanceState{}
	}
	for _, row := range res.rows {
		p, err := q.s.loadRow(m, row[:n], reflect.Value{}, false)
		if err != nil {
			return true, err
		}
		if ii != nil {
			if err := loadBase(p, ii, row[n:n+len(ii.parent.fields)]); err != nil {
				return true, err
			}
		}
		if _, ok := idx[p]; !ok {
			idx[p] = len(parents)
			parents = append(parents, p)
			prow = append(prow, row[:n])
		}
		for i, sg := range segs {
			tm := sg.pl.ri.to
			part := row[sg.start : sg.start+len(tm.fields)]
			empty := true
			for _, f := range tm.pk {
				if part[f.pos] != nil {
					empty = false
				}
			}
			if empty {
				if _, ok := children[i][p]; !ok {
					children[i][p] = nil
				}
				continue
			}
			c, err := q.s.loadRow(tm, part, reflect.Value{}, false)
			if err != nil {
				return true, err
			}
			if !containsState(children[i][p], c) {
				children[i][p] = append(children[i][p], c)
			}
		}
	}
	if want == 2 && len(parents) > 1 {
		return true, &resultError{sentinel: ErrMultipleResults, model: q.modelName()}
	}
	if want > 0 && len(parents) > 1 {
		parents, prow = parents[:1], prow[:1]
	}
	if want > 0 && len(parents) == 0 {
		switch q.kind {
		case destSlicePtr, destSliceStruct:
			q.dest.Elem().Set(reflect.MakeSlice(q.dest.Elem().Type(), 0, 0))
		case destStructPtr:
			q.dest.Elem().SetZero()
		}
		return true, &resultError{sentinel: ErrNoResult, model: q.modelName()}
	}
	for i, sg := range segs {
		ri := sg.pl.ri
		for _, p := range parents {
			list := children[i][p]
			switch {
			case ri.secondary != nil:
				writeTargets(p, ri, list)
				setCollSnap(p, ri, list)
			case ri.childSide:
				writeTargets(p, ri, list)
				var t *instanceState
				if len(list) > 0 {
					t = list[0]
				}
				setScalarSnap(p, ri, t)
			default:
				q.s.setLoaded(p, ri, list)
			}
		}
		var all []*instanceState
		for _, p := range parents {
			all = append(all, children[i][p]...)
		}
		all = uniqStates(all)
		if len(sg.pl.rest) > 0 && len(all) > 0 {
			if err := q.s.loadPath(ri.to, all, sg.pl.rest, true); err != nil {
				return true, err
			}
		}
		if err := q.s.loadDefaults(ri.to, all); err != nil {
			return true, err
		}
	}
	for _, l := range loads {
		switch l.strategy {
		case "selectin":
			if len(parents) > 0 {
				if err := q.s.loadPath(m, parents, append([]string{l.ri.r.Field}, l.rest...), true); err != nil {
					return true, err
				}
			}
		case "raise":
			for _, p := range parents {
				setRaise(p, l.ri)
			}
		}
	}
	if err := q.store(&execResult{cols: res.cols, rows: prow}); err != nil {
		return true, err
	}
	copyRelsToCopies(q, loads)
	return true, nil
}

// buildJoined adds a LEFT OUTER JOIN and the target's columns for each
// joined load. A LIMIT/OFFSET with a joined collection is applied to the
// parents in a subquery, as SQLAlchemy does, so it counts parents, not
// joined rows.
func (q *Query) buildJoined(cols []any, joined []plannedLoad) (*core.SelectStmt, []joinSeg, error) {
	m := q.m
	limited := q.limit >= 0 || q.offset >= 0
	wrap := false
	if limited {
		for _, pl := range joined {
			if isCollection(pl.ri) {
				wrap = true
			}
		}
	}
	// the parent columns, possibly from a subquery
	pcol := func(f *fieldMap) *core.ColumnObj { return f.col }
	var sel *core.SelectStmt
	var all []any
	if wrap {
		inner, err := q.build(cols)
		if err != nil {
			return nil, nil, err
		}
		sq := inner.Subquery("anon_1")
		pcol = func(f *fieldMap) *core.ColumnObj { return sq.C(f.col.Name) }
		for _, f := range m.fields {
			all = append(all, pcol(f))
		}
		sel = core.Select().From(sq)
	} else {
		all = append(all, cols...)
	}
	var segs []joinSeg
	used := map[string]int{}
	var joins []func(*core.SelectStmt) *core.SelectStmt
	for _, pl := range joined {
		ri := pl.ri
		tn := ri.to.Table.Name
		used[tn]++
		alias := ri.to.Table.Alias(fmt.Sprintf("%s_%d", tn, used[tn]))
		segs = append(segs, joinSeg{pl, len(all)})
		for _, f := range ri.to.fields {
			all = append(all, alias.C(f.col.Name))
		}
		switch {
		case ri.secondary != nil:
			sn := ri.secondary.Name
			used[sn]++
			sa := ri.secondary.Alias(fmt.Sprintf("%s_%d", sn, used[sn]))
			var on1, on2 []core.Expr
			for i, c := range ri.secLocal {
				on1 = append(on1, sa.C(c.Name).Eq(pcol(ri.fromKey[i])))
			}
			for i, c := range ri.secRemote {
				on2 = append(on2, alias.C(ri.toKey[i].col.Name).Eq(sa.C(c.Name)))
			}
			joins = append(joins, func(s *core.SelectStmt) *core.SelectStmt {
				return s.OuterJoin(sa, on1...).OuterJoin(alias, on2...)
			})
		case ri.childSide:
			var on []core.Expr
			for i, f := range ri.childFK {
				on = append(on, alias.C(ri.parentKey[i].col.Name).Eq(pcol(f)))
			}
			joins = append(joins, func(s *core.SelectStmt) *core.SelectStmt { return s.OuterJoin(alias, on...) })
		default:
			var on []core.Expr
			for i, f := range ri.childFK {
				on = append(on, alias.C(f.col.Name).Eq(pcol(ri.parentKey[i])))
			}
			joins = append(joins, func(s *core.SelectStmt) *core.SelectStmt { return s.OuterJoin(alias, on...) })
		}
	}
	if wrap {
		sel = sel.Columns(all...)
		// the parents' order again, on the subquery's columns
		if ob, ok := outerOrder(q, pcol); ok && len(ob) > 0 {
			sel = sel.OrderBy(ob...)
		}
	} else {
		var err error
		sel, err = q.build(all)
		if err != nil {
			return nil, nil, err
		}
	}
	for _, j := range joins {
		sel = j(sel)
	}
	return sel, segs, nil
}

// copyRelsToCopies: a query into []Model or Model stores copies when the
// session already holds another pointer for the row; give the copies the
// loaded relationship fields too.
func copyRelsToCopies(q *Query, loads []plannedLoad) {
	if q.kind != destSliceStruct && q.kind != destStruct {
		return
	}
	dv := q.dest.Elem()
	var els []reflect.Value
	if q.kind == destStruct {
		els = []reflect.Value{dv}
	} else {
		for i := 0; i < dv.Len(); i++ {
			els = append(els, dv.Index(i))
		}
	}
	for _, el := range els {
		key := keyOf(q.m, el)
		st := q.s.identity[key]
		if st == nil || uintptr(st.ptr) == el.Addr().Pointer() {
			continue
		}
		src := st.value()
		for _, l := range loads {
			el.FieldByIndex(l.ri.r.Index).Set(src.FieldByIndex(l.ri.r.Index))
		}
	}
}

// relJoinResolver lets Query.Join take a relationship: Join("Author"),
// Join("Book.Author"), or a related model's name when one relationship
// leads to it. A many-to-many joins the association table too; a
// self-referential join uses an alias named after the field in snake_case
// (Join("Manager") → employees AS manager).
func relJoinResolver(q *Query, target string) (core.FromItem, core.Expr, bool) {
	if q.m == nil {
		return nil, nil, false
	}
	m := q.m
	field := target
	if i := strings.IndexByte(target, '.'); i > 0 {
		owner := target[:i]
		field = target[i+1:]
		m = nil
		for b := range q.s.bases {
			for _, o := range b.Mappers() {
				if o.Name == owner || o.Table.Name == owner {
					m = o
				}
			}
		}
		if m == nil {
			return nil, nil, false
		}
	}
	c, err := configureBase(m.base)
	if err != nil {
		q.fail(err)
		return nil, nil, false
	}
	var ri *relInfo
	for _, r := range c.byMapper[m] {
		if r.r.Field == field {
			ri = r
		}
	}
	if ri == nil {
		var cands []*relInfo
		for _, r := range c.byMapper[m] {
			if r.to.Name == field || r.to.Table.Name == field {
				cands = append(cands, r)
			}
		}
		if len(cands) != 1 {
			return nil, nil, false
		}
		ri = cands[0]
	}
	var from core.FromItem = ri.to.Table
	tcol := func(f *fieldMap) *core.ColumnObj { return f.col }
	if ri.to == ri.from {
		a := ri.to.Table.Alias(snakeCase(ri.r.Field))
		from = a
		tcol = func(f *fieldMap) *core.ColumnObj { return a.C(f.col.Name) }
	}
	var on []core.Expr
	switch {
	case ri.secondary != nil:
		var on1 []core.Expr
		for i, c := range ri.secLocal {
			on1 = append(on1, c.Eq(ri.fromKey[i].col))
		}
		q.joins = append(q.joins, queryJoin{target: ri.secondary, on: on1})
		for i, c := range ri.secRemote {
			on = append(on, tcol(ri.toKey[i]).Eq(c))
		}
	case ri.childSide:
		for i, f := range ri.childFK {
			on = append(on, tcol(ri.parentKey[i]).Eq(f.col))
		}
	default:
		for i, f := range ri.childFK {
			on = append(on, tcol(f).Eq(ri.parentKey[i].col))
		}
	}
	if len(on) == 1 {
		return from, on[0], true
	}
	return from, core.And(on...), true
}

var (
	opDesc = core.Desc(core.Col("x")).Op
	opAsc  = core.Asc(core.Col("x")).Op
)

// outerOrder restates the query's ORDER BY over the wrapping subquery's
// columns (possible for plain columns of the entity, ascending or
// descending).
func outerOrder(q *Query, pcol func(*fieldMap) *core.ColumnObj) ([]any, bool) {
	var out []any
	col := func(x any) (*core.ColumnObj, bool) {
		c, ok := x.(*core.ColumnObj)
		if !ok || c.Table() != q.m.Table {
			return nil, false
		}
		f := q.m.byColumn[c.Name]
		if f == nil {
			return nil, false
		}
		return pcol(f), true
	}
	for _, it := range q.orderBy {
		if c, ok := col(it); ok {
			out = append(out, c)
			continue
		}
		u, ok := it.(*core.UnaryExpr)
		if !ok || (u.Op != opDesc && u.Op != opAsc) {
			return nil, false
		}
		c, ok := col(u.X)
		if !ok {
			return nil, false
		}
		if u.Op == opDesc {
			out = append(out, core.Desc(c))
		} else {
			out = append(out, core.Asc(c))
		}
	}
	return out, true
}
