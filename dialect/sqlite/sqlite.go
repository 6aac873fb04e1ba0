// Package sqlite is the SQLite dialect. Importing it registers "sqlite".
package sqlite

import "ormlab/dialect"

// reserved is SQLite's keyword list (https://sqlite.org/lang_keywords.html).
// SQLite accepts many of these as names, but quoting them all is always safe.
const reserved = `abort action add after all alter always analyze and as asc attach autoincrement
before begin between by cascade case cast check collate column commit conflict constraint create
cross current current_date current_time current_timestamp database default deferrable deferred
delete desc detach distinct do drop each else end escape except exclude exclusive exists explain
fail filter first following for foreign from full generated glob group groups having if ignore
immediate in index indexed initially inner insert instead intersect into is isnull join key last
left like limit match materialized natural no not nothing notnull null nulls of offset on or order
others outer over partition plan pragma preceding primary query raise range recursive references
regexp reindex release rename replace restrict returning right rollback row rows savepoint select
set table temp temporary then ties to transaction trigger unbounded union unique update using
vacuum values view virtual when where window with without`

var opts = &dialect.Options{
	Name: dialect.SQLite,
	// RETURNING exists since SQLite 3.35; both drivers ship 3.54.
	Features: dialect.Returning | dialect.LimitOffset | dialect.IfExists |
		dialect.MultiValuesInsert | dialect.LastInsertID |
		dialect.SubqueryOrderBy | dialect.ConsecutiveRowIDs,
	QuoteOpen: '"', QuoteClose: '"',
	Reserved:          dialect.WordSet(reserved),
	Placeholder:       dialect.Question,
	TrueLiteral:       "1",
	FalseLiteral:      "0",
	Concat:            dialect.ConcatPipes,
	Returning:         dialect.ReturningClause,
	InnerJoin:         "JOIN",
	EmptyInsert:       " DEFAULT VALUES",
	DropForeignKey:    "DROP CONSTRAINT",
	CreateIfNotExists: true,
	StringNoLength:    "VARCHAR",
	Types: dialect.TypeTable(map[dialect.TypeKind]string{
		dialect.TypeInteger: "INTEGER", dialect.TypeBigInteger: "BIGINT", dialect.TypeSmallInteger: "SMALLINT",
		dialect.TypeText: "TEXT", dialect.TypeBoolean: "BOOLEAN", dialect.TypeFloat: "FLOAT",
		dialect.TypeDate: "DATE", dialect.TypeDateTime: "DATETIME", dialect.TypeTime: "TIME",
		dialect.TypeLargeBinary: "BLOB", dialect.TypeJSON: "JSON",
		// No UUID type: 36 characters hold the canonical text form.
		dialect.TypeUUID: "CHAR(36)",
	}),
}

// Dialect is SQLite.
type Dialect struct{ dialect.Base }

// New returns the SQLite dialect.
func New() *Dialect { return &Dialect{dialect.Base{Opts: opts}} }

func init() { dialect.Register(New()) }

// AppendLimit: SQLite has no OFFSET without LIMIT; LIMIT -1 means none.
func (d *Dialect) AppendLimit(b []byte, l dialect.Limit) ([]byte, error) {
	if l.HasOffset() && !l.HasLimit() {
		l.Limit = -1
		b = append(b, " LIMIT -1"...)
		return d.Base.AppendLimit(b, l)
	}
	return d.Base.AppendLimit(b, l)
}

// AutoincrementType: only a column declared exactly INTEGER PRIMARY KEY
// becomes the rowid alias that autoincrements, so BigInteger and
// SmallInteger autoincrement keys are declared INTEGER too (SQLite integers
// are 64-bit whatever the declared name).
func (d *Dialect) AutoincrementType(t dialect.TypeSpec) (string, bool) {
	if t.Kind.IsInteger() {
		return "INTEGER", true
	}
	return "", false
}
