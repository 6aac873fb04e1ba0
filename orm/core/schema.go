package core

import (
	"errors"
	"fmt"
	"strings"

	"ormlab/dialect"
)

// MetaData is a collection of tables (SQLAlchemy's MetaData): it resolves
// foreign keys by table name, orders tables for CREATE/DROP, and creates or
// drops them all.
type MetaData struct {
	tables []*Table
	byName map[string]*Table
	errs   []error
}

// NewMetaData returns an empty MetaData.
func NewMetaData() *MetaData {
	return &MetaData{byName: map[string]*Table{}}
}

// Table defines a table in m. items are columns (core.Column), table-level
// constraints (PrimaryKeyConstraint, ForeignKeyConstraint, UniqueConstraint,
// CheckConstraint) and indexes (IndexOn). Mistakes (a duplicate table or
// column, an unknown column in a constraint, a default that does not fit the
// column's type) are recorded and reported by Err, Compile and CreateAll; the
// returned table is never nil.
func (m *MetaData) Table(name string, items ...any) *Table {
	t := &Table{Name: name, md: m}
	t.addErr(dialect.ValidateName("table", name))
	for _, it := range items {
		t.add(it)
	}
	t.finish()
	if _, dup := m.byName[name]; dup {
		t.addErr(&SchemaError{Object: "table " + name, Reason: "is already defined in this MetaData"})
		m.errs = append(m.errs, t.err)
		return t
	}
	m.tables = append(m.tables, t)
	m.byName[name] = t
	if t.err != nil {
		m.errs = append(m.errs, t.err)
	}
	return t
}

// Tables lists the tables in the order they were defined.
func (m *MetaData) Tables() []*Table { return append([]*Table(nil), m.tables...) }

// Lookup returns the table called name, or a *NoSuchTableError.
func (m *MetaData) Lookup(name string) (*Table, error) {
	if t, ok := m.byName[name]; ok {
		return t, nil
	}
	return nil, &NoSuchTableError{Table: name}
}

// Col resolves "table.column" to the bound column, or an error.
func (m *MetaData) Col(ref string) (*ColumnObj, error) {
	i := lastDot(ref)
	if i < 0 {
		return nil, &NoSuchColumnError{Column: ref, Reason: `give the column as "table.column"`}
	}
	t, err := m.Lookup(ref[:i])
	if err != nil {
		return nil, err
	}
	return t.Col(ref[i+1:])
}

// Err reports every mistake recorded while defining tables (nil if none).
func (m *MetaData) Err() error { return errors.Join(m.errs...) }

// Table is a table definition. Read its columns with C, Col and Columns.
type Table struct {
	Name string

	md      *MetaData
	cols    []*ColumnObj
	pk      *PrimaryKeyDef
	fks     []*ForeignKeyDef
	uniques []*UniqueDef
	checks  []*CheckDef
	indexes []*Index
	err     error
}

func (*Table) fromNode() {}

// MetaData is the collection the table belongs to.
func (t *Table) MetaData() *MetaData { return t.md }

// Err reports the mistakes made while defining this table.
func (t *Table) Err() error { return t.err }

func (t *Table) addErr(err error) {
	if err != nil {
		t.err = errors.Join(t.err, err)
	}
}

func (t *Table) add(it any) {
	switch x := it.(type) {
	case *ColumnObj:
		if x == nil {
			return
		}
		if x.table != nil {
			t.addErr(&SchemaError{Object: "column " + x.Name, Reason: "already belongs to table " + x.table.Name})
			return
		}
		for _, c := range t.cols {
			if c.Name == x.Name {
				t.addErr(&SchemaError{Object: "table " + t.Name, Reason: "has two columns named " + x.Name})
				return
			}
		}
		x.table, x.from = t, t
		t.addErr(x.err)
		t.cols = append(t.cols, x)
	case *PrimaryKeyDef:
		if t.pk != nil {
			t.addErr(&SchemaError{Object: "table " + t.Name, Reason: "has two primary key constraints"})
		}
		t.pk = x
	case *ForeignKeyDef:
		t.fks = append(t.fks, x)
	case *UniqueDef:
		t.uniques = append(t.uniques, x)
	case *CheckDef:
		t.checks = append(t.checks, x)
	case *Index:
		t.indexes = append(t.indexes, x)
	case nil:
	default:
		t.addErr(&SchemaError{Object: "table " + t.Name, Reason: fmt.Sprintf("cannot hold a %T (give columns, constraints or indexes)", it)})
	}
}

// finish binds constraints to columns once every item is known.
func (t *Table) finish() {
	// Column-level primary keys (several make a composite key).
	var pkCols []string
	for _, c := range t.cols {
		if c.primaryKey {
			pkCols = append(pkCols, c.Name)
		}
	}
	if t.pk == nil && len(pkCols) > 0 {
		t.pk = &PrimaryKeyDef{Columns: pkCols}
	} else if t.pk != nil && len(pkCols) > 0 {
		t.addErr(&SchemaError{Object: "table " + t.Name, Reason: "declares its primary key both on columns and as a PrimaryKeyConstraint"})
	}
	if t.pk != nil {
		t.checkCols("primary key", t.pk.Columns)
		for _, n := range t.pk.Columns {
			if c := t.lookup(n); c != nil {
				c.primaryKey = true
				c.nullable = false
			}
		}
	}
	for _, c := range t.cols {
		if c.fk != nil {
			c.fk.table = t
			c.fk.Columns = []string{c.Name}
			t.fks = append(t.fks, c.fk)
		}
		if c.unique {
			t.uniques = append(t.uniques, &UniqueDef{Columns: []string{c.Name}, fromColumn: true})
		}
		if c.index {
			t.indexes = append(t.indexes, &Index{Name: "ix_" + t.Name + "_" + c.Name, Columns: []string{c.Name}})
		}
	}
	for _, fk := range t.fks {
		fk.table = t
		t.checkCols("foreign key", fk.Columns)
		if len(fk.Columns) != len(fk.RefColumns) {
			t.addErr(&SchemaError{Object: "foreign key on " + t.Name, Reason: "has a different number of columns and referenced columns"})
		}
	}
	for _, u := range t.uniques {
		t.checkCols("unique constraint", u.Columns)
	}
	for _, ix := range t.indexes {
		ix.table = t
		t.checkCols("index "+ix.Name, ix.Columns)
		t.addErr(dialect.ValidateName("index", ix.Name))
	}
}

func (t *Table) checkCols(what string, names []string) {
	if len(names) == 0 {
		t.addErr(&SchemaError{Object: what + " on " + t.Name, Reason: "names no column"})
	}
	for _, n := range names {
		if t.lookup(n) == nil {
			t.addErr(&NoSuchColumnError{Table: t.Name, Column: n, Reason: "named by the " + what})
		}
	}
}

func (t *Table) lookup(name string) *ColumnObj {
	for _, c := range t.cols {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// C returns the column called name. If there is none it returns a column
// that carries a *NoSuchColumnError, reported when the statement using it is
// compiled, so chains like t.C("nmae").Eq(1) never panic.
func (t *Table) C(name string) *ColumnObj {
	if c := t.lookup(name); c != nil {
		return c
	}
	c := &ColumnObj{Name: name, Type: nullType, table: t, from: t,
		err: &NoSuchColumnError{Table: t.Name, Column: name}}
	c.self = c
	return c
}

// Col returns the column called name or a *NoSuchColumnError.
func (t *Table) Col(name string) (*ColumnObj, error) {
	if c := t.lookup(name); c != nil {
		return c, nil
	}
	return nil, &NoSuchColumnError{Table: t.Name, Column: name}
}

// Columns lists the columns in definition order.
func (t *Table) Columns() []*ColumnObj { return append([]*ColumnObj(nil), t.cols...) }

// PrimaryKey lists the primary key columns (several for a composite key).
func (t *Table) PrimaryKey() []*ColumnObj {
	if t.pk == nil {
		return nil
	}
	out := make([]*ColumnObj, 0, len(t.pk.Columns))
	for _, n := range t.pk.Columns {
		if c := t.lookup(n); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// ForeignKeys lists the foreign key constraints (column-level ones too).
func (t *Table) ForeignKeys() []*ForeignKeyDef { return append([]*ForeignKeyDef(nil), t.fks...) }

// UniqueConstraints lists the unique constraints (column-level ones too).
func (t *Table) UniqueConstraints() []*UniqueDef { return append([]*UniqueDef(nil), t.uniques...) }

// CheckConstraints lists the check constraints.
func (t *Table) CheckConstraints() []*CheckDef { return append([]*CheckDef(nil), t.checks...) }

// Indexes lists the indexes (from IndexOn and Index()).
func (t *Table) Indexes() []*Index { return append([]*Index(nil), t.indexes...) }

// AutoincrementColumn is the column that gets database-generated ids: a
// single-column integer primary key not marked Autoincrement(false), or nil.
func (t *Table) AutoincrementColumn() *ColumnObj {
	if t.pk == nil || len(t.pk.Columns) != 1 {
		for _, c := range t.cols {
			if c.autoincrement > 0 {
				return c
			}
		}
		return nil
	}
	c := t.lookup(t.pk.Columns[0])
	if c == nil || c.autoincrement < 0 || !c.Type.Kind().IsInteger() {
		return nil
	}
	if c.fk != nil && c.autoincrement == 0 {
		return nil // a key that is also a foreign key is not generated
	}
	return c
}

// Alias is the table under another name: FROM users AS u.
func (t *Table) Alias(name string) *TableAlias {
	a := &TableAlias{Name: name, Table: t}
	a.cols = make([]*ColumnObj, len(t.cols))
	for i, c := range t.cols {
		cc := *c
		cc.from = a
		cc.self = &cc
		a.cols[i] = &cc
		cc.self = a.cols[i]
	}
	return a
}

// Insert is core.Insert(t).
func (t *Table) Insert() *InsertStmt { return Insert(t) }

// Update is core.Update(t).
func (t *Table) Update() *UpdateStmt { return Update(t) }

// Delete is core.Delete(t).
func (t *Table) Delete() *DeleteStmt { return Delete(t) }

// Select is SELECT every column FROM t.
func (t *Table) Select() *SelectStmt {
	cols := make([]any, len(t.cols))
	for i, c := range t.cols {
		cols[i] = c
	}
	return Select(cols...)
}

// TableAlias is a table under another name.
type TableAlias struct {
	Name  string
	Table *Table
	cols  []*ColumnObj
}

func (*TableAlias) fromNode() {}

// C returns the aliased column called name (see Table.C for a missing one).
func (a *TableAlias) C(name string) *ColumnObj {
	for _, c := range a.cols {
		if c.Name == name {
			return c
		}
	}
	c := a.Table.C(name)
	if c.err != nil {
		cc := *c
		cc.from = a
		cc.self = &cc
		return &cc
	}
	return c
}

// Columns lists the aliased columns.
func (a *TableAlias) Columns() []*ColumnObj { return append([]*ColumnObj(nil), a.cols...) }

// ColumnObj is a column of a table (or of an alias or subquery of it). It is
// also an expression: users.C("id").Eq(1).
type ColumnObj struct {
	ops
	Name string
	Type Type

	table         *Table
	from          FromItem // what qualifies the column: the table, an alias or a subquery
	primaryKey    bool
	nullable      bool
	unique        bool
	index         bool
	autoincrement int8 // 0 auto, 1 forced on, -1 off
	fk            *ForeignKeyDef
	def           any
	hasDef        bool
	serverDefault any
	err           error
}

func (*ColumnObj) exprNode() {}

// Table is the table the column belongs to (nil for a subquery column).
func (c *ColumnObj) Table() *Table { return c.table }

// IsPrimaryKey reports whether the column is (part of) the primary key.
func (c *ColumnObj) IsPrimaryKey() bool { return c.primaryKey }

// Nullable reports whether the column accepts NULL.
func (c *ColumnObj) Nullable() bool { return c.nullable }

// IsUnique reports whether the column has a single-column unique constraint.
func (c *ColumnObj) IsUnique() bool { return c.unique }

// ForeignKey is the column's own foreign key (nil if none).
func (c *ColumnObj) ForeignKey() *ForeignKeyDef { return c.fk }

// Default is the client-side default: a value, or a func() any called for
// each insert. ok is false when there is none.
func (c *ColumnObj) Default() (v any, ok bool) { return c.def, c.hasDef }

// ServerDefault is the DDL default (nil if none).
func (c *ColumnObj) ServerDefault() any { return c.serverDefault }

// Err reports a mistake in the column's definition or lookup.
func (c *ColumnObj) Err() error { return c.err }

// DDLType is the column's type as CREATE TABLE writes it in d, e.g.
// "VARCHAR(50)", or "SERIAL" for PostgreSQL's autoincrementing key.
func (c *ColumnObj) DDLType(d dialect.Dialect) (string, error) {
	if c.table != nil && c.table.AutoincrementColumn() == c {
		if name, ok := d.AutoincrementType(c.Type.spec); ok {
			return name, nil
		}
	}
	return d.TypeName(c.Type.spec)
}

// FullName is "table.column".
func (c *ColumnObj) FullName() string {
	switch f := c.from.(type) {
	case *Table:
		return f.Name + "." + c.Name
	case *TableAlias:
		return f.Name + "." + c.Name
	case *Subquery:
		return f.Name + "." + c.Name
	}
	return c.Name
}

// ColumnOption configures a column (PrimaryKey(), NotNull(), Default(v)…).
type ColumnOption struct {
	apply func(*ColumnObj)
}

// Column defines a column: Column("name", String(50), NotNull()).
func Column(name string, typ Type, options ...ColumnOption) *ColumnObj {
	c := &ColumnObj{Name: name, Type: typ, nullable: true}
	c.self = c
	c.addErr(dialect.ValidateName("column", name))
	if typ.spec.Kind == dialect.TypeInvalid {
		c.addErr(&SchemaError{Object: "column " + name, Reason: "has no type (give core.Integer(), core.String(n), …)"})
	}
	for _, o := range options {
		if o.apply != nil {
			o.apply(c)
		}
	}
	if c.hasDef {
		if _, isFunc := c.def.(func() any); !isFunc {
			if err := checkValue(c, c.def, ""); err != nil {
				c.addErr(err)
			}
		}
	}
	return c
}

func (c *ColumnObj) addErr(err error) {
	if err != nil {
		c.err = errors.Join(c.err, err)
	}
}

// PrimaryKey makes the column (part of) the primary key. A single integer
// primary key autoincrements unless Autoincrement(false) is given.
func PrimaryKey() ColumnOption {
	return ColumnOption{func(c *ColumnObj) { c.primaryKey = true; c.nullable = false }}
}

// NotNull forbids NULL.
func NotNull() ColumnOption { return ColumnOption{func(c *ColumnObj) { c.nullable = false }} }

// Nullable allows NULL (the default, except for primary keys).
func Nullable() ColumnOption { return ColumnOption{func(c *ColumnObj) { c.nullable = true }} }

// Unique adds a single-column unique constraint.
func Unique() ColumnOption { return ColumnOption{func(c *ColumnObj) { c.unique = true }} }

// Indexed adds an index on the column, named ix_<table>_<column>.
func Indexed() ColumnOption { return ColumnOption{func(c *ColumnObj) { c.index = true }} }

// Autoincrement forces database-generated values on or off.
func Autoincrement(on bool) ColumnOption {
	return ColumnOption{func(c *ColumnObj) {
		if on {
			c.autoincrement = 1
		} else {
			c.autoincrement = -1
		}
	}}
}

// Default is a client-side default, used by INSERT when the column is not
// given: a value, or a func() any called for each row.
func Default(v any) ColumnOption {
	return ColumnOption{func(c *ColumnObj) { c.def, c.hasDef = v, true }}
}

// ServerDefault is a default in the DDL: a string is a quoted literal
// (DEFAULT '1'), a number or bool a literal, core.Text("CURRENT_TIMESTAMP")
// or any expression is written as SQL.
func ServerDefault(v any) ColumnOption {
	return ColumnOption{func(c *ColumnObj) { c.serverDefault = v }}
}

// ForeignKey makes the column reference "table.column".
func ForeignKey(ref string, options ...FKOption) ColumnOption {
	return ColumnOption{func(c *ColumnObj) {
		fk := newFK(nil, []string{ref}, options)
		c.fk = fk
		if fk.err != nil {
			c.addErr(fk.err)
		}
	}}
}

// ---- constraints ----

// PrimaryKeyDef is a (possibly composite) primary key.
type PrimaryKeyDef struct {
	Name    string
	Columns []string
}

// PrimaryKeyConstraint declares a (composite) primary key by column names.
func PrimaryKeyConstraint(columns ...string) *PrimaryKeyDef {
	return &PrimaryKeyDef{Columns: append([]string(nil), columns...)}
}

// Named names the constraint.
func (p *PrimaryKeyDef) Named(name string) *PrimaryKeyDef { p.Name = name; return p }

// ForeignKeyDef is a foreign key: Columns of this table reference RefColumns
// of RefTable.
type ForeignKeyDef struct {
	Name       string
	Columns    []string
	RefTable   string
	RefColumns []string
	OnDelete   string
	OnUpdate   string
	table      *Table
	err        error
}

// Table is the table holding the foreign key.
func (f *ForeignKeyDef) Table() *Table { return f.table }

// FKOption configures a foreign key (OnDelete, OnUpdate, FKName).
type FKOption struct {
	apply func(*ForeignKeyDef)
}

var fkActions = map[string]bool{"CASCADE": true, "SET NULL": true, "SET DEFAULT": true, "RESTRICT": true, "NO ACTION": true}

func fkAction(what, action string) FKOption {
	return FKOption{func(f *ForeignKeyDef) {
		a := strings.ToUpper(strings.TrimSpace(action))
		if !fkActions[a] {
			f.err = errors.Join(f.err, &SchemaError{Object: "foreign key " + what, Reason: fmt.Sprintf("%q is not one of CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION", action)})
			return
		}
		if what == "ON DELETE" {
			f.OnDelete = a
		} else {
			f.OnUpdate = a
		}
	}}
}

// OnDelete sets ON DELETE: CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION.
func OnDelete(action string) FKOption { return fkAction("ON DELETE", action) }

// OnUpdate sets ON UPDATE.
func OnUpdate(action string) FKOption { return fkAction("ON UPDATE", action) }

// FKName names the constraint.
func FKName(name string) FKOption { return FKOption{func(f *ForeignKeyDef) { f.Name = name }} }

// ForeignKeyConstraint is a table-level (possibly composite) foreign key:
// ForeignKeyConstraint([]string{"a", "b"}, []string{"other.x", "other.y"}).
func ForeignKeyConstraint(columns []string, refs []string, options ...FKOption) *ForeignKeyDef {
	fk := newFK(columns, refs, options)
	return fk
}

func newFK(columns, refs []string, options []FKOption) *ForeignKeyDef {
	fk := &ForeignKeyDef{Columns: append([]string(nil), columns...)}
	for _, r := range refs {
		i := lastDot(r)
		if i <= 0 || i == len(r)-1 {
			fk.err = errors.Join(fk.err, &SchemaError{Object: "foreign key " + r, Reason: `give the referenced column as "table.column"`})
			continue
		}
		t := r[:i]
		if fk.RefTable == "" {
			fk.RefTable = t
		} else if fk.RefTable != t {
			fk.err = errors.Join(fk.err, &SchemaError{Object: "foreign key " + strings.Join(refs, ", "), Reason: "references more than one table"})
		}
		fk.RefColumns = append(fk.RefColumns, r[i+1:])
	}
	for _, o := range options {
		if o.apply != nil {
			o.apply(fk)
		}
	}
	return fk
}

// UniqueDef is a unique constraint.
type UniqueDef struct {
	Name       string
	Columns    []string
	fromColumn bool
}

// UniqueConstraint is a unique constraint over columns.
func UniqueConstraint(columns ...string) *UniqueDef {
	return &UniqueDef{Columns: append([]string(nil), columns...)}
}

// Named names the constraint.
func (u *UniqueDef) Named(name string) *UniqueDef { u.Name = name; return u }

// CheckDef is a CHECK constraint with raw SQL.
type CheckDef struct {
	Name string
	SQL  string
}

// CheckConstraint is CHECK (sql), named when name is not empty.
func CheckConstraint(sql, name string) *CheckDef { return &CheckDef{Name: name, SQL: sql} }

// Index is an index over columns of a table.
type Index struct {
	Name    string
	Columns []string
	Unique  bool
	table   *Table
}

// Table is the indexed table.
func (ix *Index) Table() *Table { return ix.table }

// IndexOn is an index named name over columns.
func IndexOn(name string, columns ...string) *Index {
	return &Index{Name: name, Columns: append([]string(nil), columns...)}
}

// UniqueIndexOn is a unique index.
func UniqueIndexOn(name string, columns ...string) *Index {
	ix := IndexOn(name, columns...)
	ix.Unique = true
	return ix
}
