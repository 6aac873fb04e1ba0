// Package postgresql is the PostgreSQL dialect (parameters in pgx's $n
// style). Importing it registers "postgresql".
package postgresql

import (
	"encoding/hex"

	"ormlab/dialect"
)

// reserved holds PostgreSQL's reserved key words, including those that "can
// be function or type" (PostgreSQL docs, appendix C; pg_get_keywords()
// catcode R and T). A conformance test checks the list against a real server.
const reserved = `all analyse analyze and any array as asc asymmetric authorization binary both case cast
check collate collation column concurrently constraint create cross current_catalog current_date
current_role current_schema current_time current_timestamp current_user default deferrable desc
distinct do else end except false fetch for foreign freeze from full grant group having ilike in
initially inner intersect into is isnull join lateral leading left like limit localtime
localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
references returning right select session_user similar some symmetric system_user table
tablesample then to trailing true union unique user using variadic verbose when where window with`

var opts = &dialect.Options{
	Name: dialect.PostgreSQL,
	Features: dialect.Returning | dialect.NativeBoolean | dialect.Sequences | dialect.LimitOffset |
		dialect.ILike | dialect.AlterAddConstraint | dialect.IfExists | dialect.MultiValuesInsert |
		dialect.NativeUUID | dialect.OffsetFetch |
		dialect.SubqueryOrderBy,
	QuoteOpen: '"', QuoteClose: '"',
	Reserved:            dialect.WordSet(reserved),
	MaxIdentLength:      63,
	Placeholder:         dialect.Dollar,
	TrueLiteral:         "true",
	FalseLiteral:        "false",
	Concat:              dialect.ConcatPipes,
	Returning:           dialect.ReturningClause,
	InnerJoin:           "JOIN",
	EmptyInsert:         " DEFAULT VALUES",
	DropForeignKey:      "DROP CONSTRAINT",
	CreateIfNotExists:   true,
	StringNoLength:      "VARCHAR",
	MaxNumericPrecision: 1000,
	CastLiteralParams:   true,
	Types: dialect.TypeTable(map[dialect.TypeKind]string{
		dialect.TypeInteger: "INTEGER", dialect.TypeBigInteger: "BIGINT", dialect.TypeSmallInteger: "SMALLINT",
		dialect.TypeText: "TEXT", dialect.TypeBoolean: "BOOLEAN", dialect.TypeFloat: "FLOAT",
		dialect.TypeDate: "DATE", dialect.TypeDateTime: "TIMESTAMP WITHOUT TIME ZONE",
		dialect.TypeTime: "TIME WITHOUT TIME ZONE", dialect.TypeLargeBinary: "BYTEA",
		dialect.TypeJSON: "JSON", dialect.TypeUUID: "UUID",
	}),
}

// Dialect is PostgreSQL.
type Dialect struct{ dialect.Base }

// New returns the PostgreSQL dialect.
func New() *Dialect { return &Dialect{dialect.Base{Opts: opts}} }

func init() { dialect.Register(New()) }

// AutoincrementType: SERIAL types create and own a sequence.
func (d *Dialect) AutoincrementType(t dialect.TypeSpec) (string, bool) {
	switch t.Kind {
	case dialect.TypeInteger:
		return "SERIAL", true
	case dialect.TypeBigInteger:
		return "BIGSERIAL", true
	case dialect.TypeSmallInteger:
		return "SMALLSERIAL", true
	}
	return "", false
}

// AppendLiteral writes bytea as the hex escape form; with
// standard_conforming_strings on (the default since 9.1) backslashes in
// string literals are plain characters, so strings only double quotes.
func (d *Dialect) AppendLiteral(b []byte, v any) ([]byte, error) {
	return dialect.AppendLiteralCommon(b, opts, v, func(b, x []byte) []byte {
		b = append(b, `'\x`...)
		b = hex.AppendEncode(b, x)
		return append(b, "'::bytea"...)
	})
}
