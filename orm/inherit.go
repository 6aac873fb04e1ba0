package orm

// Joined-table inheritance (part 2): a base model with its own table and a
// discriminator column, and subclass models — Go structs that embed the
// base struct — each with a table holding only its own columns and a
// primary key that is also a foreign key to the base table:
//
//	type Notification struct {
//		ID      int    `orm:"primary_key"`
//		Type    string `orm:"size:20"`
//		Message string `orm:"size:200"`
//	}
//	type EmailNotification struct {
//		Notification
//		Email string `orm:"size:100"`
//	}
//	base.Map(Notification{}, "notifications", orm.PolymorphicOn("Type"), orm.PolymorphicIdentity("notification"))
//	base.MapInherited(EmailNotification{}, "email_notifications", Notification{}, orm.PolymorphicIdentity("email"))
//
// The unit of work writes a subclass object as two rows: the base row
// first (its generated key is copied into the embedded struct), then the
// subclass row; an UPDATE touches only the table whose columns changed;
// a DELETE removes the subclass row, then the base row. A query of the
// subclass joins the base table. session.QueryPolymorphic(&items, base)
// reads the base table with every subclass table LEFT OUTER JOINed and
// returns each row as its own type ([]any of *Notification,
// *EmailNotification…) in one statement.
//
// Go differences: a *EmailNotification is not a *Notification, so a
// polymorphic result is a []any (use a type switch); session.Get of a
// subclass fills only the subclass table's fields (use a query).

import (
	"fmt"
	"reflect"
	"sort"
	"sync"

	"ormlab/dialect"
	"ormlab/orm/core"
)

type polyInfo struct {
	field    string // discriminator field on the base model
	identity string
	subs     []*Mapper
}

type inheritInfo struct {
	parent   *Mapper
	embed    []int // index of the embedded base struct
	identity string
	snaps    map[*instanceState][]any // base-table values as last loaded/written
}

var (
	inhMu    sync.Mutex
	polys    = map[*Mapper]*polyInfo{}
	inherits = map[*Mapper]*inheritInfo{}
	pendingP = map[*Mapper]string{} // identity given by a MapOption before the kind is known
)

// PolymorphicOn names the discriminator field of a base model (Map
// option). New objects get their identity written there at flush.
func PolymorphicOn(field string) MapOption {
	return MapOption{func(m *Mapper) {
		inhMu.Lock()
		defer inhMu.Unlock()
		p := polys[m]
		if p == nil {
			p = &polyInfo{}
			polys[m] = p
		}
		p.field = field
		if id, ok := pendingP[m]; ok {
			p.identity = id
			delete(pendingP, m)
		}
		m.OnBeforeInsert(func(obj any) error { return setDiscriminator(m, reflect.ValueOf(obj).Elem(), nil) })
	}}
}

// PolymorphicIdentity is the discriminator value of a model (Map or
// MapInherited option).
func PolymorphicIdentity(identity string) MapOption {
	return MapOption{func(m *Mapper) {
		inhMu.Lock()
		defer inhMu.Unlock()
		if p := polys[m]; p != nil {
			p.identity = identity
			return
		}
		if ii := inherits[m]; ii != nil {
			ii.identity = identity
			return
		}
		pendingP[m] = identity
	}}
}

func setDiscriminator(m *Mapper, v reflect.Value, embed []int) error {
	inhMu.Lock()
	p := polys[m]
	inhMu.Unlock()
	if p == nil || p.field == "" {
		return nil
	}
	f := m.fieldByName(p.field)
	if f == nil {
		return &MappingError{Model: m.Name, Field: p.field, Reason: "PolymorphicOn names no mapped field"}
	}
	base := v
	if embed != nil {
		base = v.FieldByIndex(embed)
	}
	fv := base.FieldByIndex(f.index)
	if getValue(fv, f.conv, f.elem) == "" || fv.IsZero() {
		return setValue(fv, f.conv, f.elem, p.identity)
	}
	return nil
}

func inheritOf(m *Mapper) *inheritInfo {
	inhMu.Lock()
	defer inhMu.Unlock()
	return inherits[m]
}

// MapInherited maps a subclass model (a struct embedding the base model's
// struct) to its own table in joined-table inheritance. parent is the base
// model (a value such as Notification{}, its *Mapper or its table name).
func (b *Base) MapInherited(model any, table string, parent any, options ...MapOption) (*Mapper, error) {
	t, err := structType(model)
	if err != nil {
		return nil, &MappingError{Model: table, Reason: err.Error()}
	}
	var pm *Mapper
	switch p := parent.(type) {
	case *Mapper:
		pm = p
	case string:
		pm = b.MapperFor(p)
	default:
		pm = b.MapperFor(parent)
	}
	if pm == nil {
		return nil, &MappingError{Model: typeName(t), Reason: fmt.Sprintf("MapInherited: the base model %v is not mapped in this Base (map it first)", parent)}
	}
	m := &Mapper{base: b, typ: t, Name: t.Name(), byField: map[string]*fieldMap{}, byColumn: map[string]*fieldMap{}}
	if m.Name == "" {
		m.Name = table
	}
	// the embedded base struct
	// (under yaegi an embedded field is not Anonymous through reflect: a
	// field of the base type is taken too, the first one)
	var embed []int
	for i := 0; i < t.NumField() && embed == nil; i++ {
		sf := t.Field(i)
		if sf.Type == pm.typ || (sf.Type.Kind() == reflect.Struct && structSig(sf.Type) == pm.sig) {
			embed = []int{i}
		}
	}
	if embed == nil {
		return nil, &MappingError{Model: m.Name, Reason: fmt.Sprintf("MapInherited: embed the base struct %s as the first field (type %s struct { %s; … })", pm.Name, m.Name, pm.Name)}
	}
	ii := &inheritInfo{parent: pm, embed: embed, snaps: map[*instanceState][]any{}}
	inhMu.Lock()
	inherits[m] = ii
	inhMu.Unlock()
	for _, o := range options {
		if o.apply != nil {
			o.apply(m)
		}
	}
	var items []any
	// the key: the base's key columns, also foreign keys to the base table
	for _, pf := range pm.pk {
		col := core.Column(pf.col.Name, pf.col.Type, core.PrimaryKey(), core.ForeignKey(pm.Table.Name+"."+pf.col.Name))
		f := &fieldMap{field: pf.field, index: append(append([]int(nil), embed...), pf.index...), col: col, conv: pf.conv, elem: pf.elem, pk: true}
		m.fields = append(m.fields, f)
		m.byField[pf.field] = f
		m.byColumn[col.Name] = f
		items = append(items, col)
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if i == embed[0] || !sf.IsExported() {
			continue
		}
		tag := parseTag(sf.Tag.Get("orm"))
		if tag.has("-") {
			continue
		}
		idx := []int{i}
		if isRelationshipField(sf.Type, tag) {
			m.rels = append(m.rels, newRelationship(sf, idx, tag))
			continue
		}
		col, f, err := m.columnFor(sf, idx, tag)
		if err != nil {
			return nil, err
		}
		if _, dup := m.byColumn[col.Name]; dup {
			return nil, &MappingError{Model: m.Name, Field: sf.Name, Reason: "column " + col.Name + " is mapped twice"}
		}
		m.fields = append(m.fields, f)
		m.byField[sf.Name] = f
		m.byColumn[col.Name] = f
		items = append(items, col)
	}
	b.mu.Lock()
	if _, dup := b.byTable[table]; dup {
		b.mu.Unlock()
		return nil, &MappingError{Model: m.Name, Reason: "table " + table + " is already mapped in this Base"}
	}
	b.mu.Unlock()
	m.Table = b.Metadata.Table(table, items...)
	if err := m.Table.Err(); err != nil {
		return nil, &MappingError{Model: m.Name, Reason: "table " + table + ": " + err.Error()}
	}
	m.finish()
	b.mu.Lock()
	b.mappers = append(b.mappers, m)
	b.byTable[table] = m
	b.mu.Unlock()
	register(m)
	inhMu.Lock()
	p := polys[pm]
	if p == nil {
		p = &polyInfo{}
		polys[pm] = p
	}
	p.subs = append(p.subs, m)
	inhMu.Unlock()
	m.OnAfterDelete(func(obj any) error { return deleteBaseRow(m, obj) })
	return m, nil
}

// baseValue is the embedded base struct of a subclass object.
func (ii *inheritInfo) baseValue(st *instanceState) reflect.Value {
	return st.value().FieldByIndex(ii.embed)
}

func (ii *inheritInfo) readBase(st *instanceState) []any {
	v := ii.baseValue(st)
	out := make([]any, len(ii.parent.fields))
	for i, f := range ii.parent.fields {
		out[i] = snapValue(v.FieldByIndex(f.index), f.conv, f.elem)
	}
	return out
}

func (ii *inheritInfo) setSnap(st *instanceState, vals []any) {
	inhMu.Lock()
	ii.snaps[st] = vals
	inhMu.Unlock()
}

func (ii *inheritInfo) snap(st *instanceState) ([]any, bool) {
	inhMu.Lock()
	defer inhMu.Unlock()
	v, ok := ii.snaps[st]
	return v, ok
}

// insertBase writes the base rows of new subclass objects and copies the
// generated keys into them.
func insertBase(s *Session, m *Mapper, ii *inheritInfo, list []*instanceState) error {
	pm := ii.parent
	d := s.bind.dialect()
	canReturn := d.Has(dialect.Returning) || d.Has(dialect.OutputInserted)
	for _, st := range list {
		bv := ii.baseValue(st)
		inhMu.Lock()
		if p := polys[pm]; p != nil && ii.identity != "" {
			if f := pm.fieldByName(p.field); f != nil {
				fv := bv.FieldByIndex(f.index)
				if fv.IsZero() {
					setValue(fv, f.conv, f.elem, ii.identity)
				}
			}
		}
		inhMu.Unlock()
		vals := map[string]any{}
		needKey := false
		for _, f := range pm.fields {
			val := getValue(bv.FieldByIndex(f.index), f.conv, f.elem)
			if f == pm.autoinc && isZeroValue(val) {
				needKey = true
				continue
			}
			vals[f.col.Name] = val
		}
		stmt := core.Insert(pm.Table).Values(vals)
		if needKey && canReturn {
			stmt = stmt.Returning(pm.autoinc.col)
		}
		res, err := s.run(stmt, nil)
		if err != nil {
			return &FlushError{Op: "INSERT", Model: pm.Name + " (base of " + m.Name + ")", Err: err}
		}
		if needKey {
			var id any
			switch {
			case needKey && canReturn && len(res.rows) == 1:
				id = res.rows[0][0]
			case res.hasID:
				id = res.lastID
			default:
				return &FlushError{Op: "INSERT", Model: pm.Name, Err: fmt.Errorf("the database returned no generated key")}
			}
			f := pm.autoinc
			if err := setValue(bv.FieldByIndex(f.index), f.conv, f.elem, id); err != nil {
				return &FlushError{Op: "INSERT", Model: pm.Name, Err: err}
			}
		}
		ii.setSnap(st, ii.readBase(st))
	}
	return nil
}

// updateBases writes changed base-table fields of persistent subclass
// objects.
func updateBases(s *Session) error {
	for _, st := range s.objs {
		if st.status != Persistent || st.deleteMarked {
			continue
		}
		ii := inheritOf(st.m)
		if ii == nil {
			continue
		}
		old, ok := ii.snap(st)
		if !ok {
			continue
		}
		cur := ii.readBase(st)
		stmt := core.Update(ii.parent.Table)
		changed := false
		for i, f := range ii.parent.fields {
			if !equalValues(cur[i], old[i]) && !f.pk {
				stmt = stmt.Set(f.col.Name, cur[i])
				changed = true
			}
		}
		if !changed {
			continue
		}
		for _, f := range ii.parent.pk {
			stmt = stmt.Where(f.col.Eq(old[f.pos]))
		}
		if _, err := s.run(stmt, nil); err != nil {
			return &FlushError{Op: "UPDATE", Model: ii.parent.Name + " (base of " + st.m.Name + ")", Key: keyString(st), Err: err}
		}
		ii.setSnap(st, cur)
	}
	return nil
}

func inheritDirty(s *Session) bool {
	inhMu.Lock()
	n := len(inherits)
	inhMu.Unlock()
	if n == 0 {
		return false
	}
	for _, st := range s.objs {
		if st.status != Persistent || st.deleteMarked {
			continue
		}
		if ii := inheritOf(st.m); ii != nil {
			if old, ok := ii.snap(st); ok {
				cur := ii.readBase(st)
				for i := range cur {
					if !equalValues(cur[i], old[i]) {
						return true
					}
				}
			}
		}
	}
	return false
}

// deleteBaseRow runs after a subclass row's DELETE (the base row goes
// last).
func deleteBaseRow(m *Mapper, obj any) error {
	rv := reflect.ValueOf(obj)
	st := lookupState(rv.UnsafePointer())
	if st == nil || st.session == nil {
		return nil
	}
	ii := inheritOf(m)
	stmt := core.Delete(ii.parent.Table)
	for _, f := range ii.parent.pk {
		stmt = stmt.Where(f.col.Eq(st.snap[m.byColumn[f.col.Name].pos]))
	}
	if _, err := st.session.run(stmt, nil); err != nil {
		return err
	}
	return nil
}

// loadBase fills the base fields of a loaded subclass object from row
// values (the base mapper's fields in order).
func loadBase(st *instanceState, ii *inheritInfo, row []any) error {
	bv := ii.baseValue(st)
	for i, f := range ii.parent.fields {
		if f.pk {
			continue
		}
		if err := setValue(bv.FieldByIndex(f.index), f.conv, f.elem, row[i]); err != nil {
			return &QueryError{Model: st.m.Name, Reason: "column " + f.col.Name + " into field " + f.field, Err: err}
		}
	}
	ii.setSnap(st, ii.readBase(st))
	return nil
}

// inheritJoin is the subclass query: its table JOIN the base table, base
// columns after the subclass's.
func inheritJoin(q *Query, ii *inheritInfo, cols []any) (*core.SelectStmt, error) {
	for _, f := range ii.parent.fields {
		cols = append(cols, f.col)
	}
	sel, err := q.build(cols)
	if err != nil {
		return nil, err
	}
	var on []core.Expr
	for _, f := range ii.parent.pk {
		on = append(on, q.m.byColumn[f.col.Name].col.Eq(f.col))
	}
	return sel.Join(ii.parent.Table, on...), nil
}

// QueryPolymorphic loads every row of the base model's table, each as its
// own type — the base model or the subclass its discriminator names —
// into dest (a *[]any), in one SELECT with a LEFT OUTER JOIN per subclass
// table. conds filter it (use the tables' columns).
func (s *Session) QueryPolymorphic(dest *[]any, base any, conds ...core.Expr) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &QueryError{Reason: "QueryPolymorphic: internal error (please report)", Err: fmt.Errorf("%v", r)}
		}
	}()
	if dest == nil {
		return &QueryError{Reason: "QueryPolymorphic: dest is nil (give &items with var items []any)"}
	}
	var pm *Mapper
	if name, ok := base.(string); ok {
		for b := range s.bases {
			pm = b.MapperFor(name)
		}
	} else {
		var err error
		pm, err = lookupMapper(base, nil)
		if err != nil {
			return &QueryError{Reason: "QueryPolymorphic: " + err.Error()}
		}
	}
	if pm == nil {
		return &QueryError{Reason: fmt.Sprintf("QueryPolymorphic: %v is not a mapped model", base)}
	}
	s.bases[pm.base] = true
	inhMu.Lock()
	p := polys[pm]
	inhMu.Unlock()
	if p == nil || p.field == "" {
		return &QueryError{Model: pm.Name, Reason: "QueryPolymorphic needs a base model mapped with orm.PolymorphicOn(\"Field\")"}
	}
	disc := pm.fieldByName(p.field)
	if disc == nil {
		return &QueryError{Model: pm.Name, Reason: "PolymorphicOn(" + p.field + ") names no mapped field"}
	}
	if s.cfg.autoflush {
		if err := s.autoflush(); err != nil {
			return err
		}
	}
	subs := append([]*Mapper(nil), p.subs...)
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].Table.Name < subs[j].Table.Name })
	var cols []any
	for _, f := range pm.fields {
		cols = append(cols, f.col)
	}
	starts := make([]int, len(subs))
	for i, sm := range subs {
		starts[i] = len(cols)
		for _, f := range sm.fields {
			cols = append(cols, f.col)
		}
	}
	sel := core.Select(cols...).From(pm.Table)
	for _, sm := range subs {
		var on []core.Expr
		for _, f := range pm.pk {
			on = append(on, sm.byColumn[f.col.Name].col.Eq(f.col))
		}
		sel = sel.OuterJoin(sm.Table, on...)
	}
	if len(conds) > 0 {
		sel = sel.Where(conds...)
	}
	var ob []any
	for _, f := range pm.pk {
		ob = append(ob, f.col)
	}
	sel = sel.OrderBy(ob...)
	res, err := s.run(sel, nil)
	if err != nil {
		return err
	}
	out := make([]any, 0, len(res.rows))
	for _, row := range res.rows {
		kind, _ := toString(row[disc.pos])
		var obj any
		for i, sm := range subs {
			ii := inheritOf(sm)
			if ii.identity != kind {
				continue
			}
			part := row[starts[i] : starts[i]+len(sm.fields)]
			st, err := s.loadRow(sm, part, reflect.Value{}, false)
			if err != nil {
				return err
			}
			if err := loadBase(st, ii, row[:len(pm.fields)]); err != nil {
				return err
			}
			obj = st.object()
		}
		if obj == nil {
			st, err := s.loadRow(pm, row[:len(pm.fields)], reflect.Value{}, false)
			if err != nil {
				return err
			}
			obj = st.object()
		}
		out = append(out, obj)
	}
	*dest = out
	return nil
}

// sessionInherits: a mapper of the session's bases uses inheritance.
func sessionInherits(s *Session) bool {
	inhMu.Lock()
	n := len(inherits)
	inhMu.Unlock()
	if n == 0 {
		return false
	}
	for b := range s.bases {
		for _, m := range b.Mappers() {
			if inheritOf(m) != nil {
				return true
			}
		}
	}
	return false
}
