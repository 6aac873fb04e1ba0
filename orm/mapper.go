package orm

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"ormlab/orm/core"
)

// Base is the declarative base (SQLAlchemy's DeclarativeBase / registry):
// it maps Go structs to tables in its Metadata.
type Base struct {
	Metadata *core.MetaData

	mu      sync.Mutex
	mappers []*Mapper
	byTable map[string]*Mapper
}

// NewBase returns a Base with an empty MetaData.
func NewBase() *Base {
	return &Base{Metadata: core.NewMetaData(), byTable: map[string]*Mapper{}}
}

// Mappers lists the mappers in the order they were made.
func (b *Base) Mappers() []*Mapper {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*Mapper(nil), b.mappers...)
}

// MapperFor returns the mapper of a table name, a model value or pointer,
// or nil.
func (b *Base) MapperFor(x any) *Mapper {
	if s, ok := x.(string); ok {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.byTable[s]
	}
	m, _ := lookupMapper(x, b)
	return m
}

// C resolves "table.column" (or "table.Field") to the mapped column; a
// missing one gives a column that reports the error when the statement is
// compiled, so chains never panic.
func (b *Base) C(ref string) *core.ColumnObj {
	i := strings.LastIndexByte(ref, '.')
	if i > 0 {
		if m := b.MapperFor(ref[:i]); m != nil {
			return m.C(ref[i+1:])
		}
		if t, err := b.Metadata.Lookup(ref[:i]); err == nil {
			return t.C(ref[i+1:])
		}
	}
	// A detached table carries the error to compile time.
	return core.NewMetaData().Table("?").C(ref)
}

// MapOption configures Map: table arguments, hooks, a display name.
type MapOption struct {
	apply func(*Mapper)
}

// TableArgs adds table-level items to the mapped table: core
// UniqueConstraint, CheckConstraint, IndexOn, ForeignKeyConstraint, and a
// PrimaryKeyConstraint for a composite key declared on the table.
func TableArgs(items ...any) MapOption {
	return MapOption{func(m *Mapper) { m.tableArgs = append(m.tableArgs, items...) }}
}

// ModelName names the model in messages and in the UI. Compiled Go types
// default to their type name; interpreted ones (which have none) to the
// table name.
func ModelName(name string) MapOption {
	return MapOption{func(m *Mapper) { m.Name = name }}
}

// BeforeInsert registers a hook called with each new object just before its
// INSERT (within the flush). A non-nil error aborts the flush.
func BeforeInsert(fn func(obj any) error) MapOption {
	return MapOption{func(m *Mapper) { m.OnBeforeInsert(fn) }}
}

// AfterInsert registers a hook called after each object's INSERT.
func AfterInsert(fn func(obj any) error) MapOption {
	return MapOption{func(m *Mapper) { m.OnAfterInsert(fn) }}
}

// BeforeUpdate registers a hook called before each changed object's UPDATE.
func BeforeUpdate(fn func(obj any) error) MapOption {
	return MapOption{func(m *Mapper) { m.OnBeforeUpdate(fn) }}
}

// AfterUpdate registers a hook called after each object's UPDATE.
func AfterUpdate(fn func(obj any) error) MapOption {
	return MapOption{func(m *Mapper) { m.OnAfterUpdate(fn) }}
}

// BeforeDelete registers a hook called before each object's DELETE.
func BeforeDelete(fn func(obj any) error) MapOption {
	return MapOption{func(m *Mapper) { m.OnBeforeDelete(fn) }}
}

// AfterDelete registers a hook called after each object's DELETE.
func AfterDelete(fn func(obj any) error) MapOption {
	return MapOption{func(m *Mapper) { m.OnAfterDelete(fn) }}
}

// Mapper maps one Go struct type to one table.
type Mapper struct {
	// Name is the model's name in messages (type name or table name).
	Name string
	// Table is the mapped table.
	Table *core.Table

	base      *Base
	typ       reflect.Type // the struct type
	sig       string       // structural signature (yaegi's recursive variants)
	fields    []*fieldMap  // mapped columns, in field order
	byField   map[string]*fieldMap
	byColumn  map[string]*fieldMap
	pk        []*fieldMap
	autoinc   *fieldMap // the database-generated key, if any
	rels      []*Relationship
	tableArgs []any
	hooks     [6][]func(obj any) error
}

// Hook kinds, indexes into Mapper.hooks.
const (
	hookBeforeInsert = iota
	hookAfterInsert
	hookBeforeUpdate
	hookAfterUpdate
	hookBeforeDelete
	hookAfterDelete
)

var hookNames = [...]string{"before_insert", "after_insert", "before_update", "after_update", "before_delete", "after_delete"}

// OnBeforeInsert registers a before-insert hook (see BeforeInsert).
func (m *Mapper) OnBeforeInsert(fn func(obj any) error) { m.addHook(hookBeforeInsert, fn) }

// OnAfterInsert registers an after-insert hook.
func (m *Mapper) OnAfterInsert(fn func(obj any) error) { m.addHook(hookAfterInsert, fn) }

// OnBeforeUpdate registers a before-update hook.
func (m *Mapper) OnBeforeUpdate(fn func(obj any) error) { m.addHook(hookBeforeUpdate, fn) }

// OnAfterUpdate registers an after-update hook.
func (m *Mapper) OnAfterUpdate(fn func(obj any) error) { m.addHook(hookAfterUpdate, fn) }

// OnBeforeDelete registers a before-delete hook.
func (m *Mapper) OnBeforeDelete(fn func(obj any) error) { m.addHook(hookBeforeDelete, fn) }

// OnAfterDelete registers an after-delete hook.
func (m *Mapper) OnAfterDelete(fn func(obj any) error) { m.addHook(hookAfterDelete, fn) }

func (m *Mapper) addHook(kind int, fn func(obj any) error) {
	if m != nil && fn != nil {
		m.hooks[kind] = append(m.hooks[kind], fn)
	}
}

// Base is the Base the mapper belongs to.
func (m *Mapper) Base() *Base { return m.base }

// StructField is a field of a mapped struct as the program declared it.
type StructField struct {
	Name string
	Tag  string
}

// StructFields lists the mapped struct's fields in declaration order, as
// the program spelled them (the runner matches interpreted structs, which
// have no type name, to the program's source by them). Names and tags
// only: a reflect.Type would hand out method values, a way out of the
// playground's sandbox.
func (m *Mapper) StructFields() []StructField {
	t := m.typ
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	out := make([]StructField, t.NumField())
	for i := range out {
		f := t.Field(i)
		out[i] = StructField{Name: f.Name, Tag: string(f.Tag)}
	}
	return out
}

// Relationships lists the relationship fields found on the model (their
// loading and cascades are part 2's work; the metadata is kept here).
func (m *Mapper) Relationships() []*Relationship { return append([]*Relationship(nil), m.rels...) }

// Relationship returns the relationship on field name, or nil.
func (m *Mapper) Relationship(field string) *Relationship {
	for _, r := range m.rels {
		if r.Field == field {
			return r
		}
	}
	return nil
}

// Fields lists the mapped column fields: Go field name → column name.
func (m *Mapper) Fields() []FieldInfo {
	out := make([]FieldInfo, len(m.fields))
	for i, f := range m.fields {
		out[i] = FieldInfo{Field: f.field, Column: f.col.Name, PrimaryKey: f.pk, Col: f.col}
	}
	return out
}

// FieldInfo describes one mapped field.
type FieldInfo struct {
	Field      string
	Column     string
	PrimaryKey bool
	Col        *core.ColumnObj
}

// C returns the column of a field name or column name. An unknown name
// gives a column that reports the error when compiled.
func (m *Mapper) C(name string) *core.ColumnObj {
	if f := m.fieldByName(name); f != nil {
		return f.col
	}
	return m.Table.C(name)
}

func (m *Mapper) fieldByName(name string) *fieldMap {
	if f, ok := m.byField[name]; ok {
		return f
	}
	if f, ok := m.byColumn[name]; ok {
		return f
	}
	return nil
}

// PrimaryKey lists the primary-key columns.
func (m *Mapper) PrimaryKey() []*core.ColumnObj {
	out := make([]*core.ColumnObj, len(m.pk))
	for i, f := range m.pk {
		out[i] = f.col
	}
	return out
}

// fieldMap is one mapped column field.
type fieldMap struct {
	field string
	index []int
	col   *core.ColumnObj
	conv  conv
	elem  conv
	pk    bool
	pos   int // position in Mapper.fields (and in snapshots)
}

// Relationship is a relationship field's metadata, read from its tag
// (relationship, back_populates:, cascade:, lazy:, order_by:, secondary:,
// uselist:). Part 2 acts on it.
type Relationship struct {
	Field string
	Index []int
	// fieldType and target stay unexported: a reflect.Type hands out
	// method values, a way out of the playground's sandbox.
	fieldType     reflect.Type // the field's type
	target        reflect.Type // the related struct type (element of the slice / pointer)
	TargetSig     string       // structural signature of Target (yaegi variants)
	Many          bool         // a slice: one-to-many or many-to-many
	BackPopulates string
	Backref       string
	Cascade       string
	Lazy          string
	OrderBy       string
	Secondary     string
	ForeignKey    string
	Tag           map[string]string
	Mapper        *Mapper // the owning mapper
}

// Map maps a struct (given as a value or pointer, e.g. User{}) to table.
// Tags (key "orm") are described in tags.go: primary_key, autoincrement,
// column:name, size:n, type:text|numeric(p,s)|date|…, not_null, nullable,
// unique, index, default:v, server_default:v, foreign_key:table.col,
// on_delete:cascade, relationship…, "-".
func (b *Base) Map(model any, table string, options ...MapOption) (*Mapper, error) {
	t, err := structType(model)
	if err != nil {
		return nil, &MappingError{Model: table, Reason: err.Error()}
	}
	m := &Mapper{base: b, typ: t, Name: t.Name(), byField: map[string]*fieldMap{}, byColumn: map[string]*fieldMap{}}
	if m.Name == "" {
		m.Name = table
	}
	for _, o := range options {
		if o.apply != nil {
			o.apply(m)
		}
	}
	var items []any
	if err := m.collect(t, nil, &items); err != nil {
		return nil, err
	}
	if len(m.fields) == 0 {
		return nil, &MappingError{Model: m.Name, Reason: "has no exported field to map to a column"}
	}
	hasPK := false
	for _, f := range m.fields {
		hasPK = hasPK || f.pk
	}
	for _, it := range m.tableArgs {
		if pkc, ok := it.(*core.PrimaryKeyDef); ok {
			hasPK = true
			for _, n := range pkc.Columns {
				if f := m.fieldByName(n); f != nil {
					f.pk = true
				}
			}
		}
	}
	if !hasPK {
		return nil, &MappingError{Model: m.Name, Reason: "has no primary key: tag a field `orm:\"primary_key\"` (every mapped table needs one so that the session can tell rows apart)"}
	}
	b.mu.Lock()
	if _, dup := b.byTable[table]; dup {
		b.mu.Unlock()
		return nil, &MappingError{Model: m.Name, Reason: "table " + table + " is already mapped in this Base"}
	}
	b.mu.Unlock()
	items = append(items, m.tableArgs...)
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
	return m, nil
}

// MapTable maps a struct onto an existing core table (imperative mapping):
// each exported field maps to the column named by its column: tag or its
// snake_case name; fields tagged "-" or relationship are skipped. Columns
// with no field are neither loaded nor written.
func (b *Base) MapTable(model any, table *core.Table, options ...MapOption) (*Mapper, error) {
	if table == nil {
		return nil, &MappingError{Model: "?", Reason: "the table is nil"}
	}
	t, err := structType(model)
	if err != nil {
		return nil, &MappingError{Model: table.Name, Reason: err.Error()}
	}
	m := &Mapper{base: b, typ: t, Name: t.Name(), Table: table, byField: map[string]*fieldMap{}, byColumn: map[string]*fieldMap{}}
	if m.Name == "" {
		m.Name = table.Name
	}
	for _, o := range options {
		if o.apply != nil {
			o.apply(m)
		}
	}
	if err := m.collectImperative(t, nil, table); err != nil {
		return nil, err
	}
	if len(table.PrimaryKey()) == 0 {
		return nil, &MappingError{Model: m.Name, Reason: "table " + table.Name + " has no primary key"}
	}
	for _, pc := range table.PrimaryKey() {
		if m.byColumn[pc.Name] == nil {
			return nil, &MappingError{Model: m.Name, Reason: "no field maps the primary key column " + pc.Name}
		}
	}
	m.finish()
	b.mu.Lock()
	b.mappers = append(b.mappers, m)
	b.byTable[table.Name] = m
	b.mu.Unlock()
	register(m)
	return m, nil
}

func structType(model any) (reflect.Type, error) {
	if model == nil {
		return nil, fmt.Errorf("the model is nil (give a struct value such as User{})")
	}
	t := reflect.TypeOf(model)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("a model must be a struct, not %s", t)
	}
	return t, nil
}

// finish computes the derived data once the table exists.
func (m *Mapper) finish() {
	m.pk = m.pk[:0]
	for i, f := range m.fields {
		f.pos = i
		f.pk = f.col.IsPrimaryKey()
		if f.pk {
			m.pk = append(m.pk, f)
		}
	}
	if ac := m.Table.AutoincrementColumn(); ac != nil {
		m.autoinc = m.byColumn[ac.Name]
	}
	m.sig = structSig(m.typ)
	for _, r := range m.rels {
		r.Mapper = m
	}
}

// isRelationshipField: tagged relationship, or a struct pointer / slice of
// structs that is not a column type.
func isRelationshipField(ft reflect.Type, tag tagInfo) bool {
	if tag.has("relationship") {
		return true
	}
	if _, _, _, ok := convOf(ft); ok {
		return false
	}
	e := ft
	if e.Kind() == reflect.Slice {
		e = e.Elem()
	}
	if e.Kind() == reflect.Pointer {
		e = e.Elem()
	}
	return e.Kind() == reflect.Struct && e != timeType
}

// walkFields visits t's fields depth-first: it skips `orm:"-"` and
// unexported fields, flattens embedded structs that are not column types,
// and keeps relationship fields on the mapper; every column field goes to
// column. Declarative and imperative mapping differ only in column.
func (m *Mapper) walkFields(t reflect.Type, prefix []int, column func(sf reflect.StructField, idx []int, tag tagInfo) error) error {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		tag := parseTag(sf.Tag.Get("orm"))
		if tag.has("-") {
			continue
		}
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Type != timeType && !tag.has("relationship") {
			if _, _, _, ok := convOf(sf.Type); !ok {
				if err := m.walkFields(sf.Type, idx, column); err != nil {
					return err
				}
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if isRelationshipField(sf.Type, tag) {
			m.rels = append(m.rels, newRelationship(sf, idx, tag))
			continue
		}
		if err := column(sf, idx, tag); err != nil {
			return err
		}
	}
	return nil
}

// collect maps each column field to a new column, appended to items.
func (m *Mapper) collect(t reflect.Type, prefix []int, items *[]any) error {
	return m.walkFields(t, prefix, func(sf reflect.StructField, idx []int, tag tagInfo) error {
		col, f, err := m.columnFor(sf, idx, tag)
		if err != nil {
			return err
		}
		if _, dup := m.byColumn[col.Name]; dup {
			return &MappingError{Model: m.Name, Field: sf.Name, Reason: "column " + col.Name + " is mapped twice"}
		}
		m.fields = append(m.fields, f)
		m.byField[sf.Name] = f
		m.byColumn[col.Name] = f
		*items = append(*items, col)
		return nil
	})
}

// collectImperative maps each column field onto a column of an existing
// table, by snake_case name or the column: tag.
func (m *Mapper) collectImperative(t reflect.Type, prefix []int, table *core.Table) error {
	return m.walkFields(t, prefix, func(sf reflect.StructField, idx []int, tag tagInfo) error {
		name := snakeCase(sf.Name)
		if v, ok := tag.get("column"); ok && v != "" {
			name = v
		}
		col, err := table.Col(name)
		if err != nil {
			return &MappingError{Model: m.Name, Field: sf.Name, Reason: "table " + table.Name + " has no column " + name + " (tag the field `orm:\"column:…\"` or `orm:\"-\"`)"}
		}
		c, elem, _, ok := convOf(sf.Type)
		if !ok {
			return unsupportedField(m.Name, sf)
		}
		f := &fieldMap{field: sf.Name, index: idx, col: col, conv: c, elem: elem}
		m.fields = append(m.fields, f)
		m.byField[sf.Name] = f
		m.byColumn[col.Name] = f
		return nil
	})
}

func newRelationship(sf reflect.StructField, idx []int, tag tagInfo) *Relationship {
	r := &Relationship{Field: sf.Name, Index: idx, fieldType: sf.Type, Tag: tag.kv}
	e := sf.Type
	if e.Kind() == reflect.Slice {
		r.Many = true
		e = e.Elem()
	}
	if e.Kind() == reflect.Pointer {
		e = e.Elem()
	}
	r.target = e
	if e.Kind() == reflect.Struct {
		r.TargetSig = structSig(e)
	}
	r.BackPopulates, _ = tag.get("back_populates")
	r.Backref, _ = tag.get("backref")
	r.Cascade, _ = tag.get("cascade")
	r.Lazy, _ = tag.get("lazy")
	r.OrderBy, _ = tag.get("order_by")
	r.Secondary, _ = tag.get("secondary")
	r.ForeignKey, _ = tag.get("foreign_key")
	if v, ok := tag.get("uselist"); ok {
		r.Many = v == "true"
	}
	return r
}

func unsupportedField(model string, sf reflect.StructField) error {
	return &MappingError{Model: model, Field: sf.Name,
		Reason: fmt.Sprintf("Go type %s cannot be stored in a column (use int, int64, string, bool, float64, time.Time, []byte, a pointer to one of them or a sql.Null* type; tag relationships `orm:\"relationship\"` and other fields `orm:\"-\"`)", sf.Type)}
}

// columnFor builds the core column of a field from its Go type and tag.
func (m *Mapper) columnFor(sf reflect.StructField, idx []int, tag tagInfo) (*core.ColumnObj, *fieldMap, error) {
	c, elem, nullable, ok := convOf(sf.Type)
	if !ok {
		return nil, nil, unsupportedField(m.Name, sf)
	}
	for k := range tag.flags {
		if !knownFlags[k] {
			return nil, nil, &MappingError{Model: m.Name, Field: sf.Name, Reason: fmt.Sprintf("unknown tag item %q", k)}
		}
	}
	for _, k := range tag.keys {
		if !knownKeys[k] {
			return nil, nil, &MappingError{Model: m.Name, Field: sf.Name, Reason: fmt.Sprintf("unknown tag key %q", k)}
		}
	}
	name := snakeCase(sf.Name)
	if v, ok := tag.get("column"); ok && v != "" {
		name = v
	}
	typ, err := columnType(sf, c, elem, tag)
	if err != nil {
		return nil, nil, &MappingError{Model: m.Name, Field: sf.Name, Reason: err.Error()}
	}
	var opts []core.ColumnOption
	pk := tag.has("primary_key")
	if pk {
		opts = append(opts, core.PrimaryKey())
	}
	if tag.has("autoincrement") {
		opts = append(opts, core.Autoincrement(true))
	}
	if tag.has("no_autoincrement") {
		opts = append(opts, core.Autoincrement(false))
	}
	// Go value types cannot hold NULL, so they are NOT NULL unless the tag
	// says nullable; pointers, []byte and sql.Null* are nullable.
	switch {
	case tag.has("not_null"):
		opts = append(opts, core.NotNull())
	case tag.has("nullable"):
		opts = append(opts, core.Nullable())
	case !nullable && !pk:
		opts = append(opts, core.NotNull())
	}
	if tag.has("unique") {
		opts = append(opts, core.Unique())
	}
	if tag.has("index") {
		opts = append(opts, core.Indexed())
	}
	if v, ok := tag.get("default"); ok {
		dv, err := parseDefault(v, typ)
		if err != nil {
			return nil, nil, &MappingError{Model: m.Name, Field: sf.Name, Reason: "default: " + err.Error()}
		}
		opts = append(opts, core.Default(dv))
	}
	if v, ok := tag.get("server_default"); ok {
		opts = append(opts, core.ServerDefault(serverDefault(v, typ)))
	}
	if ref, ok := tag.get("foreign_key"); ok {
		var fko []core.FKOption
		if v, ok := tag.get("on_delete"); ok {
			fko = append(fko, core.OnDelete(v))
		}
		if v, ok := tag.get("on_update"); ok {
			fko = append(fko, core.OnUpdate(v))
		}
		opts = append(opts, core.ForeignKey(ref, fko...))
	}
	col := core.Column(name, typ, opts...)
	if err := col.Err(); err != nil {
		return nil, nil, &MappingError{Model: m.Name, Field: sf.Name, Reason: err.Error()}
	}
	return col, &fieldMap{field: sf.Name, index: idx, col: col, conv: c, elem: elem, pk: pk}, nil
}

// DefaultStringLength is the VARCHAR length of a string field with no
// size: tag. 255 is valid on all four dialects (MySQL needs a length; SQL
// Server's VARCHAR(max) and PostgreSQL's unbounded VARCHAR differ).
const DefaultStringLength = 255

func columnType(sf reflect.StructField, c, elem conv, tag tagInfo) (core.Type, error) {
	base := c
	if c == convPtr {
		base = elem
	}
	size := 0
	if v, ok := tag.get("size"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return core.Type{}, fmt.Errorf("size:%s is not a positive number", v)
		}
		size = n
	}
	if v, ok := tag.get("type"); ok {
		return namedType(v, size)
	}
	goType := sf.Type
	if goType.Kind() == reflect.Pointer {
		goType = goType.Elem()
	}
	switch base {
	case convInt, convUint:
		switch goType.Kind() {
		case reflect.Int64, reflect.Uint64, reflect.Uint, reflect.Uint32:
			return core.BigInteger(), nil
		case reflect.Int8, reflect.Int16, reflect.Uint8, reflect.Uint16:
			return core.SmallInteger(), nil
		}
		return core.Integer(), nil
	case convString:
		if size == 0 {
			size = DefaultStringLength
		}
		return core.String(size), nil
	case convBool:
		return core.Boolean(), nil
	case convFloat:
		return core.Float(), nil
	case convTime:
		return core.DateTime(), nil
	case convBytes:
		return core.LargeBinary(), nil
	case convNullString:
		if size == 0 {
			size = DefaultStringLength
		}
		return core.String(size), nil
	case convNullInt64:
		return core.BigInteger(), nil
	case convNullInt32:
		return core.Integer(), nil
	case convNullInt16, convNullByte:
		return core.SmallInteger(), nil
	case convNullFloat64:
		return core.Float(), nil
	case convNullBool:
		return core.Boolean(), nil
	case convNullTime:
		return core.DateTime(), nil
	}
	return core.Type{}, fmt.Errorf("Go type %s needs a type: tag (type:text, type:integer…)", sf.Type)
}

// namedType reads type:… — integer, bigint, smallint, string, varchar(n),
// text, bool(ean), float, numeric(p,s) / decimal(p,s), date, datetime,
// time, binary / blob, json, uuid, enum(a|b).
func namedType(v string, size int) (core.Type, error) {
	name, args := v, ""
	if i := strings.IndexByte(v, '('); i > 0 && strings.HasSuffix(v, ")") {
		name, args = v[:i], v[i+1:len(v)-1]
	}
	nums := func() ([]int, error) {
		var out []int
		for _, p := range strings.Split(args, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			n, err := strconv.Atoi(p)
			if err != nil {
				return nil, fmt.Errorf("type:%s: %q is not a number", v, p)
			}
			out = append(out, n)
		}
		return out, nil
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "integer", "int":
		return core.Integer(), nil
	case "bigint", "biginteger":
		return core.BigInteger(), nil
	case "smallint", "smallinteger":
		return core.SmallInteger(), nil
	case "string", "varchar":
		n, err := nums()
		if err != nil {
			return core.Type{}, err
		}
		if len(n) > 0 {
			size = n[0]
		}
		if size == 0 {
			size = DefaultStringLength
		}
		return core.String(size), nil
	case "text":
		return core.TextType(), nil
	case "bool", "boolean":
		return core.Boolean(), nil
	case "float", "double", "real":
		return core.Float(), nil
	case "numeric", "decimal":
		n, err := nums()
		if err != nil {
			return core.Type{}, err
		}
		p, s := 10, 2
		if len(n) > 0 {
			p = n[0]
		}
		if len(n) > 1 {
			s = n[1]
		} else if len(n) == 1 {
			s = 0
		}
		return core.Numeric(p, s), nil
	case "date":
		return core.Date(), nil
	case "datetime", "timestamp":
		return core.DateTime(), nil
	case "time":
		return core.Time(), nil
	case "binary", "blob", "largebinary", "bytes":
		return core.LargeBinary(), nil
	case "json":
		return core.JSON(), nil
	case "uuid":
		return core.UUID(), nil
	case "enum":
		return core.Enum(strings.Split(strings.ReplaceAll(args, "|", ","), ",")...), nil
	}
	return core.Type{}, fmt.Errorf("type:%s is not a type the ORM knows (integer, bigint, smallint, string, text, boolean, float, numeric(p,s), date, datetime, time, binary, json, uuid, enum(a|b))", v)
}

// parseDefault reads a default: tag value as the column's Go value.
func parseDefault(v string, t core.Type) (any, error) {
	k := t.Spec().Kind
	switch {
	case k.IsInteger():
		return strconv.ParseInt(v, 10, 64)
	case t.String() == "Boolean":
		return strconv.ParseBool(v)
	case t.String() == "Float":
		return strconv.ParseFloat(v, 64)
	}
	if strings.HasPrefix(t.String(), "Numeric") {
		return strconv.ParseFloat(v, 64)
	}
	return strings.Trim(v, "'"), nil
}

// serverDefault reads server_default: numbers and booleans are literals,
// a quoted 'text' is a string, a bare word such as CURRENT_TIMESTAMP or a
// call such as now() is SQL.
func serverDefault(v string, t core.Type) any {
	if strings.HasPrefix(v, "'") && strings.HasSuffix(v, "'") && len(v) >= 2 {
		return v[1 : len(v)-1]
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return f
	}
	if b, err := strconv.ParseBool(v); err == nil && t.String() == "Boolean" {
		return b
	}
	if t.Spec().Kind.IsInteger() || t.String() == "Float" {
		return core.Text(v)
	}
	up := strings.ToUpper(v)
	if strings.Contains(v, "(") || strings.HasPrefix(up, "CURRENT_") || up == "NULL" {
		return core.Text(v)
	}
	return v
}

// structSig is a structural signature of a struct type: field names, tags
// and column kinds; relationship fields only by name and tag. yaegi
// unrolls recursive types into structurally identical but distinct
// reflect.Types; they share this signature.
func structSig(t reflect.Type) string {
	var b strings.Builder
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		b.WriteString(sf.Name)
		b.WriteByte('|')
		b.WriteString(string(sf.Tag))
		b.WriteByte('|')
		tag := parseTag(sf.Tag.Get("orm"))
		if isRelationshipField(sf.Type, tag) {
			b.WriteString("rel")
		} else if sf.Type.Kind() == reflect.Struct {
			b.WriteString(sf.Type.PkgPath() + "." + sf.Type.Name())
		} else {
			b.WriteString(sf.Type.Kind().String())
		}
		b.WriteByte(';')
	}
	return b.String()
}
