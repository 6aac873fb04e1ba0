// Package mssql is the SQL Server dialect, in the 2012+ forms of
// SQLAlchemy's mssql dialect (TOP n, OFFSET … FETCH with ORDER BY, OUTPUT
// inserted.*, IDENTITY, BIT, [quoted] names) and go-mssqldb's @pN
// parameters. Importing it registers "mssql".
package mssql

import (
	"encoding/hex"
	"strconv"
	"unicode/utf8"

	"ormlab/dialect"
)

// reserved holds the Transact-SQL reserved keywords.
const reserved = `add all alter and any as asc authorization backup begin between break browse bulk by
cascade case check checkpoint close clustered coalesce collate column commit compute constraint
contains containstable continue convert create cross current current_date current_time
current_timestamp current_user cursor database dbcc deallocate declare default delete deny desc
disk distinct distributed double drop dump else end errlvl escape except exec execute exists exit
external fetch file fillfactor for foreign freetext freetexttable from full function goto grant
group having holdlock identity identity_insert identitycol if in index inner insert intersect
into is join key kill left like lineno load merge national nocheck nonclustered not null nullif
of off offsets on open opendatasource openquery openrowset openxml option or order outer over
percent pivot plan precision primary print proc procedure public raiserror read readtext
reconfigure references replication restore restrict return revert revoke right rollback rowcount
rowguidcol rule save schema securityaudit select semantickeyphrasetable
semanticsimilaritydetailstable semanticsimilaritytable session_user set setuser shutdown some
statistics system_user table tablesample textsize then to top tran transaction trigger truncate
try_convert tsequal union unique unpivot update updatetext use user values varying view waitfor
when where while with within writetext`

var opts = &dialect.Options{
	Name: dialect.MSSQL,
	Features: dialect.OutputInserted | dialect.TopN | dialect.OffsetFetch | dialect.AlterAddConstraint |
		dialect.IfExists | dialect.MultiValuesInsert | dialect.Sequences | dialect.NativeUUID,
	QuoteOpen: '[', QuoteClose: ']',
	Reserved:            dialect.WordSet(reserved),
	MaxIdentLength:      128,
	Placeholder:         dialect.AtP,
	TrueLiteral:         "1",
	FalseLiteral:        "0",
	Concat:              dialect.ConcatPlus,
	Returning:           dialect.ReturningOutput,
	InnerJoin:           "JOIN",
	EmptyInsert:         " DEFAULT VALUES",
	AutoincrementSuffix: " IDENTITY",
	ExplicitNull:        true,
	NullBeforeDefault:   true,
	DropForeignKey:      "DROP CONSTRAINT",
	DropIndexOnTable:    true,
	// SQL Server has no RESTRICT (NO ACTION is its equivalent).
	FKActions:           []string{"CASCADE", "SET NULL", "SET DEFAULT", "NO ACTION"},
	StringNoLength:      "VARCHAR(max)",
	MaxNumericPrecision: 38,
	Types: dialect.TypeTable(map[dialect.TypeKind]string{
		dialect.TypeInteger: "INTEGER", dialect.TypeBigInteger: "BIGINT", dialect.TypeSmallInteger: "SMALLINT",
		// TEXT and IMAGE are deprecated since 2005; SQLAlchemy uses the
		// (max) types from SQL Server 2012 on.
		dialect.TypeText: "VARCHAR(max)", dialect.TypeBoolean: "BIT", dialect.TypeFloat: "FLOAT",
		dialect.TypeDate: "DATE", dialect.TypeDateTime: "DATETIME", dialect.TypeTime: "TIME",
		dialect.TypeLargeBinary: "VARBINARY(max)", dialect.TypeJSON: "NVARCHAR(max)",
		dialect.TypeUUID: "UNIQUEIDENTIFIER",
	}),
}

// Dialect is SQL Server.
type Dialect struct{ dialect.Base }

// New returns the SQL Server dialect.
func New() *Dialect { return &Dialect{dialect.Base{Opts: opts}} }

func init() { dialect.Register(New()) }

// AppendSelectPrefix: a LIMIT without OFFSET is SELECT TOP n.
func (d *Dialect) AppendSelectPrefix(b []byte, l dialect.Limit) []byte {
	if l.HasLimit() && !l.HasOffset() {
		b = append(b, "TOP "...)
		b = strconv.AppendInt(b, l.Limit, 10)
		b = append(b, ' ')
	}
	return b
}

// AppendLimit: with an OFFSET, SQL Server 2012+ uses OFFSET … ROWS FETCH
// NEXT … ROWS ONLY, which is only valid after an ORDER BY.
func (d *Dialect) AppendLimit(b []byte, l dialect.Limit) ([]byte, error) {
	if !l.HasOffset() {
		return b, nil // no clause, or TOP n in the prefix
	}
	if !l.HasOrderBy {
		return b, &dialect.UnsupportedError{Construct: "OFFSET without ORDER BY", Dialect: opts.Name,
			Hint: "SQL Server requires an ORDER BY when using an OFFSET; add OrderBy(...)"}
	}
	b = append(b, " OFFSET "...)
	b = strconv.AppendInt(b, l.Offset, 10)
	b = append(b, " ROWS"...)
	if l.HasLimit() {
		b = append(b, " FETCH NEXT "...)
		b = strconv.AppendInt(b, l.Limit, 10)
		b = append(b, " ROWS ONLY"...)
	}
	return b, nil
}

// AppendLiteral: binary as 0x…, and N'…' for strings beyond ASCII so that
// the literal is not squeezed through the database's code page.
func (d *Dialect) AppendLiteral(b []byte, v any) ([]byte, error) {
	if s, ok := v.(string); ok && !isASCII(s) && utf8.ValidString(s) {
		b = append(b, 'N')
		return dialect.AppendString(b, opts, s), nil
	}
	return dialect.AppendLiteralCommon(b, opts, v, func(b, x []byte) []byte {
		b = append(b, "0x"...)
		return hex.AppendEncode(b, x)
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
