package orm

// Relationships (part 2): resolving the relationship fields the mapper
// found into kinds, foreign keys and back-populated pairs.
//
// Relationship tag grammar (key "orm", on a pointer or slice-of-pointers
// field):
//
//	relationship                  marks the field (optional for *T / []*T of a mapped struct)
//	back_populates:Field          the field on the other model that mirrors this one
//	cascade:all,delete-orphan     save-update,merge (default) | delete | delete-orphan | all | none
//	secondary:table               many-to-many through an association table
//	foreign_key:column            which foreign-key column to use when several are possible
//	order_by:column[ desc]        order of a loaded collection
//	lazy:select|selectin|joined|raise|noload   how queries load it (select: only on Load)
//	passive_deletes:true          rely on ON DELETE CASCADE instead of loading children to delete them
//	uselist:false                 documentation only: a pointer field is already a scalar
//	target:Model                  the related model by model or table name (when the Go type is ambiguous)
//
// What Go cannot do like Python: there are no attribute hooks, so nothing
// happens when a field is assigned. The session looks at relationship
// fields at three moments — every flush (and autoflush before queries),
// every load (Load, eager options), and cascades at flush — see
// syncRelationships in cascade.go for the exact rules.

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"ormlab/orm/core"
)

// Sentinels for relationship errors (errors.Is).
var (
	// ErrRelationship: a relationship cannot be configured or used.
	ErrRelationship = errors.New("relationship error")
	// ErrRaiseLoad: a relationship in raise mode was about to be loaded
	// one object at a time (an N+1).
	ErrRaiseLoad = errors.New("lazy load refused (raise mode)")
	// ErrOrphan: a flush would leave a child row pointing at nothing
	// (a NOT NULL foreign key with no delete cascade).
	ErrOrphan = errors.New("orphaned child")
	// ErrCycle: objects depend on each other in a cycle the flush cannot
	// order.
	ErrCycle = errors.New("dependency cycle")
)

// RelationshipError names the model and relationship field at fault.
type RelationshipError struct {
	Model    string
	Field    string
	Reason   string
	sentinel error
}

func (e *RelationshipError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("relationship %s.%s: %s", e.Model, e.Field, e.Reason)
	}
	return fmt.Sprintf("relationship %s: %s", e.Model, e.Reason)
}

// Is matches ErrRelationship and the specific sentinel (ErrRaiseLoad,
// ErrOrphan, ErrCycle); configuration errors also match ErrMapping.
func (e *RelationshipError) Is(t error) bool {
	if t == ErrRelationship {
		return true
	}
	if e.sentinel == nil {
		return t == ErrMapping
	}
	return t == e.sentinel
}

// Relationship kinds, as the trace names them.
const (
	KindOneToMany  = "one-to-many"
	KindManyToOne  = "many-to-one"
	KindOneToOne   = "one-to-one"
	KindManyToMany = "many-to-many"
)

// relInfo is a configured relationship.
type relInfo struct {
	r   *Relationship
	idx int // position of r in from.rels (indexes the snapshots)
	// off is the field's offset in from's struct when no embedded pointer
	// lies on the way (direct): the change check reads it without reflect
	off      uintptr
	direct   bool
	from, to *Mapper
	kind     string
	// childSide: this side holds the foreign key (many-to-one, or the
	// one-to-one side with the key).
	childSide bool
	// Non-secondary: the parent's key fields and the child's FK fields,
	// pairwise. parent/child are from/to or to/from depending on side.
	parentKey []*fieldMap
	childFK   []*fieldMap
	// Many-to-many: the association table, its columns referencing from's
	// key (local) and to's key (remote), and those keys' fields.
	secondary *core.Table
	secLocal  []*core.ColumnObj
	secRemote []*core.ColumnObj
	fromKey   []*fieldMap
	toKey     []*fieldMap

	back    *relInfo
	cascade cascadeSet
	passive bool
	lazy    string
	orderBy []any
}

func (ri *relInfo) name() string { return ri.from.Name + "." + ri.r.Field }

// parentMapper / childMapper of a non-secondary relationship.
func (ri *relInfo) parentMapper() *Mapper {
	if ri.childSide {
		return ri.to
	}
	return ri.from
}

func (ri *relInfo) childMapper() *Mapper {
	if ri.childSide {
		return ri.from
	}
	return ri.to
}

type cascadeSet struct {
	saveUpdate, merge, delete, deleteOrphan, expunge bool
}

func (c cascadeSet) String() string {
	var p []string
	if c.saveUpdate {
		p = append(p, "save-update")
	}
	if c.merge {
		p = append(p, "merge")
	}
	if c.delete {
		p = append(p, "delete")
	}
	if c.deleteOrphan {
		p = append(p, "delete-orphan")
	}
	if c.expunge {
		p = append(p, "expunge")
	}
	return strings.Join(p, ",")
}

func parseCascade(v string, present bool) (cascadeSet, error) {
	if !present {
		return cascadeSet{saveUpdate: true, merge: true}, nil
	}
	var c cascadeSet
	for _, w := range strings.Split(v, ",") {
		switch strings.TrimSpace(strings.ToLower(w)) {
		case "", "none":
		case "all":
			c.saveUpdate, c.merge, c.delete, c.expunge = true, true, true, true
		case "save-update", "save_update":
			c.saveUpdate = true
		case "merge":
			c.merge = true
		case "delete":
			c.delete = true
		case "delete-orphan", "delete_orphan":
			c.deleteOrphan = true
		case "expunge", "refresh-expire", "refresh_expire":
			c.expunge = true
		default:
			return c, fmt.Errorf("unknown cascade %q (use save-update, merge, delete, delete-orphan, all or none)", w)
		}
	}
	return c, nil
}

// baseConfig is a Base's configured relationships, recomputed when
// mappers are added.
type baseConfig struct {
	nmappers int
	err      error
	byRel    map[*Relationship]*relInfo
	byMapper map[*Mapper][]*relInfo
	all      []*relInfo
}

var (
	cfgMu   sync.Mutex
	configs = map[*Base]*baseConfig{}
)

// Configure resolves every relationship of the Base (targets, foreign
// keys, back_populates, cascades) and reports the first problem. Sessions
// do it on first use; call it to see errors early.
func (b *Base) Configure() error {
	_, err := configureBase(b)
	return err
}

func configureBase(b *Base) (*baseConfig, error) {
	if b == nil {
		return &baseConfig{}, nil
	}
	ms := b.Mappers()
	cfgMu.Lock()
	defer cfgMu.Unlock()
	if c, ok := configs[b]; ok && c.nmappers == len(ms) {
		return c, c.err
	}
	c := &baseConfig{nmappers: len(ms), byRel: map[*Relationship]*relInfo{}, byMapper: map[*Mapper][]*relInfo{}}
	c.err = c.build(b, ms)
	configs[b] = c
	return c, c.err
}

// relKey is the map key of a relationship tag, checked for typos.
var relKeys = map[string]bool{
	"back_populates": true, "backref": true, "cascade": true, "order_by": true, "lazy": true,
	"secondary": true, "uselist": true, "target": true, "foreign_key": true, "passive_deletes": true,
}

// RelationshipOptions declares a relationship's options without a struct
// tag (a Map option), in the tag's words:
//
//	base.Map(Author{}, "authors", orm.RelationshipOptions("Books", "back_populates:Author,cascade:all,delete-orphan"))
//
// They are added to the field's tag, replacing keys it also sets.
func RelationshipOptions(field, spec string) MapOption {
	return MapOption{func(m *Mapper) {
		relOptMu.Lock()
		defer relOptMu.Unlock()
		if relOpts[m] == nil {
			relOpts[m] = map[string]string{}
		}
		relOpts[m][field] = spec
	}}
}

var (
	relOptMu sync.Mutex
	relOpts  = map[*Mapper]map[string]string{}
)

// applyRelOptions merges RelationshipOptions into the mapper's
// relationship metadata (once; the options are consumed).
func applyRelOptions(m *Mapper) error {
	relOptMu.Lock()
	opts := relOpts[m]
	delete(relOpts, m)
	relOptMu.Unlock()
	for field, spec := range opts {
		var r *Relationship
		for _, x := range m.rels {
			if x.Field == field {
				r = x
			}
		}
		if r == nil {
			return &RelationshipError{Model: m.Name, Field: field, Reason: "RelationshipOptions names no relationship field (a *Model or []*Model field)"}
		}
		ti := parseTag("relationship," + spec)
		if r.Tag == nil {
			r.Tag = map[string]string{}
		}
		for k, v := range ti.kv {
			r.Tag[k] = v
		}
		r.BackPopulates, _ = r.Tag["back_populates"]
		r.Backref, _ = r.Tag["backref"]
		r.Cascade, _ = r.Tag["cascade"]
		r.Lazy, _ = r.Tag["lazy"]
		r.OrderBy, _ = r.Tag["order_by"]
		r.Secondary, _ = r.Tag["secondary"]
		r.ForeignKey, _ = r.Tag["foreign_key"]
	}
	return nil
}

func (c *baseConfig) build(b *Base, ms []*Mapper) error {
	var errs []error
	for _, m := range ms {
		if err := applyRelOptions(m); err != nil {
			errs = append(errs, err)
		}
	}
	for _, m := range ms {
		for _, r := range m.rels {
			ri, err := resolveRel(b, ms, m, r)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			c.byRel[r] = ri
			c.byMapper[m] = append(c.byMapper[m], ri)
			c.all = append(c.all, ri)
		}
	}
	// back_populates pairs
	for _, ri := range c.all {
		bp := ri.r.BackPopulates
		if bp == "" {
			bp = ri.r.Backref
		}
		if bp == "" {
			continue
		}
		var back *relInfo
		for _, o := range c.byMapper[ri.to] {
			if o.r.Field == bp {
				back = o
			}
		}
		if back == nil {
			var names []string
			for _, o := range ri.to.rels {
				names = append(names, o.Field)
			}
			reason := fmt.Sprintf("back_populates:%s names no relationship field on %s", bp, ri.to.Name)
			if len(names) > 0 {
				reason += " (its relationship fields: " + strings.Join(names, ", ") + ")"
			} else {
				reason += " (it has no relationship fields: add one, e.g. `" + bp + " *" + ri.from.Name + " `orm:\"relationship,back_populates:" + ri.r.Field + "\"`)"
			}
			errs = append(errs, &RelationshipError{Model: ri.from.Name, Field: ri.r.Field, Reason: reason})
			continue
		}
		if back.to != ri.from {
			errs = append(errs, &RelationshipError{Model: ri.from.Name, Field: ri.r.Field,
				Reason: fmt.Sprintf("back_populates:%s: %s.%s points to %s, not back to %s", bp, ri.to.Name, bp, back.to.Name, ri.from.Name)})
			continue
		}
		if (ri.secondary == nil) != (back.secondary == nil) || (ri.secondary == nil && ri.childSide == back.childSide && ri.from != ri.to) {
			errs = append(errs, &RelationshipError{Model: ri.from.Name, Field: ri.r.Field,
				Reason: fmt.Sprintf("back_populates:%s: %s.%s is a %s relationship, which cannot mirror a %s one", bp, ri.to.Name, bp, back.kind, ri.kind)})
			continue
		}
		ri.back = back
	}
	// A one-to-one: the child side whose back is a scalar.
	for _, ri := range c.all {
		if ri.back != nil && ri.childSide && !ri.back.r.Many {
			ri.kind = KindOneToOne
		}
	}
	return errors.Join(errs...)
}

func resolveRel(b *Base, ms []*Mapper, m *Mapper, r *Relationship) (*relInfo, error) {
	fail := func(format string, a ...any) error {
		return &RelationshipError{Model: m.Name, Field: r.Field, Reason: fmt.Sprintf(format, a...)}
	}
	for k := range r.Tag {
		if !relKeys[k] {
			return nil, fail("unknown tag key %q (relationship keys: back_populates, cascade, secondary, foreign_key, order_by, lazy, passive_deletes, target)", k)
		}
	}
	et := r.fieldType
	if et.Kind() == reflect.Slice {
		et = et.Elem()
	}
	if et.Kind() != reflect.Pointer || et.Elem().Kind() != reflect.Struct {
		return nil, fail("a relationship field must be a pointer (*Model) or a slice of pointers ([]*Model), not %s", r.fieldType)
	}
	ri := &relInfo{r: r, from: m}
	ri.off, ri.direct = fieldOffset(m.typ, r.Index)
	for i, x := range m.rels {
		if x == r {
			ri.idx = i
		}
	}
	// the target
	if tn, ok := r.Tag["target"]; ok {
		for _, o := range ms {
			if o.Name == tn || o.Table.Name == tn {
				ri.to = o
			}
		}
		if ri.to == nil {
			return nil, fail("target:%s is not a model mapped in this Base", tn)
		}
	} else {
		var cands []*Mapper
		for _, o := range ms {
			if o.typ == r.target || (r.TargetSig != "" && o.sig == r.TargetSig) {
				cands = append(cands, o)
			}
		}
		if len(cands) == 0 {
			return nil, fail("it points to %s, which is not mapped in this Base (map it with base.Map(%s{}, \"table\"), or tag the field `orm:\"-\"` if it is not a relationship)", typeName(r.target), typeName(r.target))
		}
		ri.to = cands[0]
		for _, o := range cands {
			if o.typ == r.target {
				ri.to = o
			}
		}
	}
	var err error
	cv, has := r.Tag["cascade"]
	if ri.cascade, err = parseCascade(cv, has); err != nil {
		return nil, fail("%v", err)
	}
	ri.passive = r.Tag["passive_deletes"] == "true" || r.Tag["passive_deletes"] == "all"
	ri.lazy = strings.ToLower(r.Lazy)
	switch ri.lazy {
	case "", "select", "selectin", "joined", "raise", "noload", "raise_on_sql":
	default:
		return nil, fail("lazy:%s is not a loading strategy (select, selectin, joined, raise, noload)", r.Lazy)
	}
	if r.OrderBy != "" {
		for _, part := range strings.Split(r.OrderBy, ",") {
			part = strings.TrimSpace(part)
			desc := false
			if f := strings.Fields(part); len(f) == 2 && strings.EqualFold(f[1], "desc") {
				part, desc = f[0], true
			} else if strings.HasPrefix(part, "-") {
				part, desc = part[1:], true
			}
			f := ri.to.fieldByName(part)
			if f == nil {
				return nil, fail("order_by:%s: %s has no such field or column", part, ri.to.Name)
			}
			if desc {
				ri.orderBy = append(ri.orderBy, core.Desc(f.col))
			} else {
				ri.orderBy = append(ri.orderBy, f.col)
			}
		}
	}
	if r.Secondary != "" {
		return ri, resolveSecondary(b, ri, fail)
	}
	if r.Many && r.fieldType.Kind() != reflect.Slice {
		r.Many = false
	}
	fkName := r.ForeignKey
	pick := func(fks []*core.ForeignKeyDef) []*core.ForeignKeyDef {
		if fkName == "" {
			return fks
		}
		var out []*core.ForeignKeyDef
		for _, fk := range fks {
			for _, c := range fk.Columns {
				if c == fkName || snakeCase(fkName) == c {
					out = append(out, fk)
				}
			}
		}
		return out
	}
	mine := pick(fksTo(m.Table, ri.to.Table))   // this side holds the key
	theirs := pick(fksTo(ri.to.Table, m.Table)) // the target holds it
	var fk *core.ForeignKeyDef
	switch {
	case r.fieldType.Kind() == reflect.Slice:
		ri.kind = KindOneToMany
		if len(theirs) == 0 {
			return nil, fail("no foreign key from %s to %s: a one-to-many needs a column on %s such as `%sID int `orm:\"foreign_key:%s.%s\"``", ri.to.Table.Name, m.Table.Name, ri.to.Name, m.Name, m.Table.Name, firstPK(m))
		}
		if len(theirs) > 1 {
			return nil, fail("ambiguous: %s has %d foreign keys to %s (%s): name one with foreign_key:column", ri.to.Table.Name, len(theirs), m.Table.Name, fkCols(theirs))
		}
		fk = theirs[0]
	default:
		switch {
		case len(mine) == 1 && (len(theirs) == 0 || m == ri.to):
			ri.childSide, ri.kind, fk = true, KindManyToOne, mine[0]
		case len(theirs) == 1 && len(mine) == 0:
			ri.kind, fk = KindOneToOne, theirs[0]
		case len(mine) == 0 && len(theirs) == 0:
			return nil, fail("no foreign key between %s and %s: add a column with `orm:\"foreign_key:%s.%s\"` to one of them", m.Table.Name, ri.to.Table.Name, ri.to.Table.Name, firstPK(ri.to))
		default:
			all := append(append([]*core.ForeignKeyDef(nil), mine...), theirs...)
			return nil, fail("ambiguous: several foreign keys link %s and %s (%s): name one with foreign_key:column", m.Table.Name, ri.to.Table.Name, fkCols(all))
		}
	}
	parent, child := ri.parentMapper(), ri.childMapper()
	for i, cn := range fk.Columns {
		cf := child.byColumn[cn]
		pf := parent.byColumn[fk.RefColumns[i]]
		if cf == nil || pf == nil {
			return nil, fail("foreign key %s(%s) → %s(%s) is not mapped to fields on both models", child.Table.Name, cn, parent.Table.Name, fk.RefColumns[i])
		}
		ri.childFK = append(ri.childFK, cf)
		ri.parentKey = append(ri.parentKey, pf)
	}
	return ri, nil
}

func resolveSecondary(b *Base, ri *relInfo, fail func(string, ...any) error) error {
	r := ri.r
	ri.kind = KindManyToMany
	if r.fieldType.Kind() != reflect.Slice {
		return fail("secondary:%s: a many-to-many field must be a slice ([]*%s)", r.Secondary, ri.to.Name)
	}
	t, err := b.Metadata.Lookup(r.Secondary)
	if err != nil {
		return fail("secondary:%s: no such table in the Base's Metadata (declare it with base.Metadata.Table(…))", r.Secondary)
	}
	ri.secondary = t
	local := fksTo(t, ri.from.Table)
	remote := fksTo(t, ri.to.Table)
	if ri.from == ri.to {
		// self-referential: foreign_key names the column pointing at this side
		if r.ForeignKey == "" || len(local) != 2 {
			return fail("secondary:%s links %s to itself: name the column that points at this side with foreign_key:column", t.Name, ri.from.Table.Name)
		}
		var l, rr []*core.ForeignKeyDef
		for _, fk := range local {
			if fk.Columns[0] == r.ForeignKey {
				l = append(l, fk)
			} else {
				rr = append(rr, fk)
			}
		}
		local, remote = l, rr
	} else if r.ForeignKey != "" {
		var l []*core.ForeignKeyDef
		for _, fk := range local {
			if fk.Columns[0] == r.ForeignKey {
				l = append(l, fk)
			}
		}
		local = l
	}
	if len(local) != 1 || len(remote) != 1 {
		return fail("secondary:%s needs exactly one foreign key to %s and one to %s (found %d and %d)", t.Name, ri.from.Table.Name, ri.to.Table.Name, len(local), len(remote))
	}
	for i, cn := range local[0].Columns {
		f := ri.from.byColumn[local[0].RefColumns[i]]
		if f == nil {
			return fail("secondary:%s: %s.%s is not mapped", t.Name, ri.from.Table.Name, local[0].RefColumns[i])
		}
		ri.secLocal = append(ri.secLocal, t.C(cn))
		ri.fromKey = append(ri.fromKey, f)
	}
	for i, cn := range remote[0].Columns {
		f := ri.to.byColumn[remote[0].RefColumns[i]]
		if f == nil {
			return fail("secondary:%s: %s.%s is not mapped", t.Name, ri.to.Table.Name, remote[0].RefColumns[i])
		}
		ri.secRemote = append(ri.secRemote, t.C(cn))
		ri.toKey = append(ri.toKey, f)
	}
	return nil
}

func fksTo(t *core.Table, ref *core.Table) []*core.ForeignKeyDef {
	var out []*core.ForeignKeyDef
	for _, fk := range t.ForeignKeys() {
		if fk.RefTable == ref.Name {
			out = append(out, fk)
		}
	}
	return out
}

func fkCols(fks []*core.ForeignKeyDef) string {
	var p []string
	for _, fk := range fks {
		p = append(p, fk.Table().Name+"."+strings.Join(fk.Columns, "+"))
	}
	return strings.Join(p, ", ")
}

func firstPK(m *Mapper) string {
	if len(m.pk) > 0 {
		return m.pk[0].col.Name
	}
	return "id"
}

// RelationshipInfo describes a configured relationship (for the trace's
// schema and the ER diagram).
type RelationshipInfo struct {
	From          string // model name
	Name          string // field name
	To            string // target model name
	Kind          string // one-to-many, many-to-one, one-to-one, many-to-many
	BackPopulates string
	Secondary     string // association table of a many-to-many
	Cascade       string
	Lazy          string
	ForeignKey    []string // "table.column" of the key columns
}

// Relationships lists the Base's relationships once configured (an error
// if configuration fails, with the ones that could be resolved).
func (b *Base) Relationships() ([]RelationshipInfo, error) {
	c, err := configureBase(b)
	var out []RelationshipInfo
	for _, ri := range c.all {
		info := RelationshipInfo{From: ri.from.Name, Name: ri.r.Field, To: ri.to.Name, Kind: ri.kind,
			BackPopulates: ri.r.BackPopulates, Cascade: ri.cascade.String(), Lazy: ri.lazy}
		if ri.secondary != nil {
			info.Secondary = ri.secondary.Name
			for _, c := range append(append([]*core.ColumnObj(nil), ri.secLocal...), ri.secRemote...) {
				info.ForeignKey = append(info.ForeignKey, ri.secondary.Name+"."+c.Name)
			}
		} else {
			for _, f := range ri.childFK {
				info.ForeignKey = append(info.ForeignKey, ri.childMapper().Table.Name+"."+f.col.Name)
			}
		}
		out = append(out, info)
	}
	return out, err
}

// relOf finds the configured relationship field of mapper m by field
// name (case-insensitive as a fallback).
func relOf(m *Mapper, field string) (*relInfo, error) {
	c, err := configureBase(m.base)
	if err != nil {
		return nil, err
	}
	for _, ri := range c.byMapper[m] {
		if ri.r.Field == field {
			return ri, nil
		}
	}
	for _, ri := range c.byMapper[m] {
		if strings.EqualFold(ri.r.Field, field) {
			return ri, nil
		}
	}
	var names []string
	for _, ri := range c.byMapper[m] {
		names = append(names, ri.r.Field)
	}
	reason := fmt.Sprintf("%s has no relationship field %s", m.Name, field)
	if len(names) > 0 {
		reason += " (it has: " + strings.Join(names, ", ") + ")"
	}
	return nil, &RelationshipError{Model: m.Name, Field: field, Reason: reason}
}

// fieldOffset is the offset of the field at index path idx in struct t,
// ok false when the path goes through a pointer (no fixed offset).
func fieldOffset(t reflect.Type, idx []int) (uintptr, bool) {
	var off uintptr
	for _, x := range idx {
		if t.Kind() != reflect.Struct || x >= t.NumField() {
			return 0, false
		}
		sf := t.Field(x)
		off += sf.Offset
		t = sf.Type
	}
	return off, true
}
