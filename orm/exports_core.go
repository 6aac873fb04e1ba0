package orm

import (
	"ormlab/orm/core"
)

// The SQL core, re-exported so that a program needs only "ormlab/orm"
// (the playground interprets programs and offers this package's symbols).
// Type aliases and thin wrappers, no generics: the interpreter calls them.

// Core types.
type (
	MetaData       = core.MetaData
	Table          = core.Table
	TableAlias     = core.TableAlias
	Column         = core.ColumnObj
	ColumnOption   = core.ColumnOption
	Type           = core.Type
	Expr           = core.Expr
	Executable     = core.Executable
	FromItem       = core.FromItem
	SelectStmt     = core.SelectStmt
	InsertStmt     = core.InsertStmt
	UpdateStmt     = core.UpdateStmt
	DeleteStmt     = core.DeleteStmt
	CompoundSelect = core.CompoundSelect
	Subquery       = core.Subquery
	TextClause     = core.TextClause
	ColumnRef      = core.ColumnRef
	FuncExpr       = core.FuncExpr
	LabelExpr      = core.LabelExpr
	BinaryExpr     = core.BinaryExpr
	UnaryExpr      = core.UnaryExpr
	BoolList       = core.BoolList
	FKOption       = core.FKOption
	ForeignKeyDef  = core.ForeignKeyDef
	PrimaryKeyDef  = core.PrimaryKeyDef
	UniqueDef      = core.UniqueDef
	CheckDef       = core.CheckDef
	Index          = core.Index
	JoinClause     = core.Join
)

// NewMetaData returns an empty MetaData (for imperative tables).
func NewMetaData() *MetaData { return core.NewMetaData() }

// NewColumn defines a column for MetaData.Table: NewColumn("id", Integer(), PrimaryKey()).
func NewColumn(name string, typ Type, options ...ColumnOption) *Column {
	return core.Column(name, typ, options...)
}

// Column types.

// Integer is a 32-bit integer column type.
func Integer() Type { return core.Integer() }

// BigInteger is a 64-bit integer column type.
func BigInteger() Type { return core.BigInteger() }

// SmallInteger is a 16-bit integer column type.
func SmallInteger() Type { return core.SmallInteger() }

// String is VARCHAR(length).
func String(length int) Type { return core.String(length) }

// TextType is unbounded text.
func TextType() Type { return core.TextType() }

// Boolean is true/false.
func Boolean() Type { return core.Boolean() }

// Float is a floating-point number.
func Float() Type { return core.Float() }

// Numeric is an exact decimal.
func Numeric(precision, scale int) Type { return core.Numeric(precision, scale) }

// Date is a calendar date.
func Date() Type { return core.Date() }

// DateTime is a date and time.
func DateTime() Type { return core.DateTime() }

// Time is a time of day.
func Time() Type { return core.Time() }

// LargeBinary is a byte string.
func LargeBinary() Type { return core.LargeBinary() }

// JSON holds a JSON document.
func JSON() Type { return core.JSON() }

// Enum is one of a fixed set of strings.
func Enum(values ...string) Type { return core.Enum(values...) }

// UUID is a universally unique identifier.
func UUID() Type { return core.UUID() }

// Column options.

// PrimaryKey makes a column (part of) the primary key.
func PrimaryKey() ColumnOption { return core.PrimaryKey() }

// NotNull forbids NULL.
func NotNull() ColumnOption { return core.NotNull() }

// Nullable allows NULL.
func Nullable() ColumnOption { return core.Nullable() }

// Unique adds a unique constraint on the column.
func Unique() ColumnOption { return core.Unique() }

// Indexed adds an index on the column.
func Indexed() ColumnOption { return core.Indexed() }

// Autoincrement forces generated values on or off.
func Autoincrement(on bool) ColumnOption { return core.Autoincrement(on) }

// Default is a client-side default value.
func Default(v any) ColumnOption { return core.Default(v) }

// ServerDefault is a default in the DDL.
func ServerDefault(v any) ColumnOption { return core.ServerDefault(v) }

// ForeignKey makes the column reference "table.column".
func ForeignKey(ref string, options ...FKOption) ColumnOption {
	return core.ForeignKey(ref, options...)
}

// OnDelete sets a foreign key's ON DELETE action.
func OnDelete(action string) FKOption { return core.OnDelete(action) }

// OnUpdate sets a foreign key's ON UPDATE action.
func OnUpdate(action string) FKOption { return core.OnUpdate(action) }

// Table-level constraints.

// PrimaryKeyConstraint declares a (composite) primary key.
func PrimaryKeyConstraint(columns ...string) *PrimaryKeyDef {
	return core.PrimaryKeyConstraint(columns...)
}

// UniqueConstraint is a unique constraint over columns.
func UniqueConstraint(columns ...string) *UniqueDef { return core.UniqueConstraint(columns...) }

// CheckConstraint is CHECK (sql).
func CheckConstraint(sql, name string) *CheckDef { return core.CheckConstraint(sql, name) }

// IndexOn is an index over columns.
func IndexOn(name string, columns ...string) *Index { return core.IndexOn(name, columns...) }

// UniqueIndexOn is a unique index over columns.
func UniqueIndexOn(name string, columns ...string) *Index {
	return core.UniqueIndexOn(name, columns...)
}

// ForeignKeyConstraint is a table-level (composite) foreign key.
func ForeignKeyConstraint(columns []string, refs []string, options ...FKOption) *ForeignKeyDef {
	return core.ForeignKeyConstraint(columns, refs, options...)
}

// Statements.

// Select starts a SELECT of columns.
func Select(columns ...any) *SelectStmt { return core.Select(columns...) }

// Insert starts an INSERT INTO table.
func Insert(table *Table) *InsertStmt { return core.Insert(table) }

// Update starts an UPDATE of table.
func Update(table *Table) *UpdateStmt { return core.Update(table) }

// Delete starts a DELETE FROM table.
func Delete(table *Table) *DeleteStmt { return core.Delete(table) }

// Union combines selects with UNION.
func Union(selects ...*SelectStmt) *CompoundSelect { return core.Union(selects...) }

// UnionAll combines selects with UNION ALL.
func UnionAll(selects ...*SelectStmt) *CompoundSelect { return core.UnionAll(selects...) }

// Text is raw SQL (bind values with :name and a map, or with ?).
func Text(sql string) *TextClause { return core.Text(sql) }

// Expressions.

// Col names a column by "table.column" or "column".
func Col(ref string) *ColumnRef { return core.Col(ref) }

// Literal is a value as a bound parameter.
func Literal(v any) Expr { return core.Literal(v) }

// And joins conditions with AND.
func And(conds ...Expr) Expr { return core.And(conds...) }

// Or joins conditions with OR.
func Or(conds ...Expr) Expr { return core.Or(conds...) }

// Not is NOT x.
func Not(x Expr) Expr { return core.Not(x) }

// Asc orders ascending; x is an expression or a column name.
func Asc(x any) Expr { return core.Asc(nameToCol(x)) }

// Desc orders descending; x is an expression or a column name
// (Desc("title")).
func Desc(x any) Expr { return core.Desc(nameToCol(x)) }

// Distinct is DISTINCT x (inside an aggregate); x may be a column name.
func Distinct(x any) Expr { return core.Distinct(nameToCol(x)) }

// nameToCol reads a string as a column name ("title", "books.title"), not
// as a text value: ORDER BY 'title' would sort by a constant.
func nameToCol(x any) any {
	if s, ok := x.(string); ok {
		return core.Col(s)
	}
	return x
}

// Exists is EXISTS (sel).
func Exists(sel *SelectStmt) Expr { return core.Exists(sel) }

// Star is * in a select list.
func Star() Expr { return core.Star() }

// Func is any SQL function call.
func Func(name string, args ...any) *FuncExpr { return core.Func(name, args...) }

// Count is count(x), or count(*) with no argument.
func Count(x ...any) *FuncExpr { return core.Count(x...) }

// Sum is sum(x).
func Sum(x any) *FuncExpr { return core.Sum(x) }

// Avg is avg(x).
func Avg(x any) *FuncExpr { return core.Avg(x) }

// Min is min(x).
func Min(x any) *FuncExpr { return core.Min(x) }

// Max is max(x).
func Max(x any) *FuncExpr { return core.Max(x) }

// Lower is lower(x).
func Lower(x any) *FuncExpr { return core.Lower(x) }

// Upper is upper(x).
func Upper(x any) *FuncExpr { return core.Upper(x) }

// Coalesce is coalesce(a, b, …).
func Coalesce(args ...any) *FuncExpr { return core.Coalesce(args...) }

// CurrentTimestamp is CURRENT_TIMESTAMP.
func CurrentTimestamp() *FuncExpr { return core.CurrentTimestamp() }

// JoinOn is an explicit join for Select(…).From(…).
func JoinOn(left, right FromItem, on Expr) *JoinClause { return core.JoinOn(left, right, on) }

// OuterJoinOn is an explicit LEFT OUTER JOIN.
func OuterJoinOn(left, right FromItem, on Expr) *JoinClause {
	return core.OuterJoinOn(left, right, on)
}

// CompileAll compiles a statement for the four dialects (display form).
func CompileAll(stmt Executable) map[string]string { return core.CompileAll(stmt) }

// Errors of the core, for errors.Is.
var (
	ErrNoSuchTable      = core.ErrNoSuchTable
	ErrNoSuchColumn     = core.ErrNoSuchColumn
	ErrTypeMismatch     = core.ErrTypeMismatch
	ErrInvalidSchema    = core.ErrInvalidSchema
	ErrInvalidStatement = core.ErrInvalidStatement
	ErrUnsupported      = core.ErrUnsupported
)
