// Package mysql is the MySQL / MariaDB dialect. Importing it registers
// "mysql".
package mysql

import (
	"strings"

	"ormlab/dialect"
)

// reserved holds MySQL 8 reserved words plus those MariaDB adds (OFFSET,
// RETURNING, ROWNUM). Non-reserved keywords need no quotes.
const reserved = `accessible add all alter analyze and as asc asensitive before between bigint binary
blob both by call cascade case change char character check collate column condition constraint
continue convert create cross cube cume_dist current_date current_time current_timestamp
current_user cursor database databases day_hour day_microsecond day_minute day_second dec decimal
declare default delayed delete dense_rank desc describe deterministic distinct distinctrow div
double drop dual each else elseif empty enclosed escaped except exists exit explain false fetch
first_value float float4 float8 for force foreign from fulltext function generated get grant
group grouping groups having high_priority hour_microsecond hour_minute hour_second if ignore in
index infile inner inout insensitive insert int int1 int2 int3 int4 int8 integer intersect
interval into io_after_gtids io_before_gtids is iterate join json_table key keys kill lag
last_value lateral lead leading leave left like limit linear lines load localtime localtimestamp
lock long longblob longtext loop low_priority master_bind master_ssl_verify_server_cert match
maxvalue mediumblob mediumint mediumtext middleint minute_microsecond minute_second mod modifies
natural not no_write_to_binlog nth_value ntile null numeric of on optimize optimizer_costs option
optionally or order out outer outfile over partition percent_rank precision primary procedure
purge range rank read reads read_write real recursive references regexp release rename repeat
replace require resignal restrict return revoke right rlike row rows row_number schema schemas
second_microsecond select sensitive separator set show signal smallint spatial specific sql
sqlexception sqlstate sqlwarning sql_big_result sql_calc_found_rows sql_small_result ssl starting
stored straight_join system table terminated then tinyblob tinyint tinytext to trailing trigger
true undo union unique unlock unsigned update usage use using utc_date utc_time utc_timestamp
values varbinary varchar varcharacter varying virtual when where while window with write xor
year_month zerofill offset returning rownum`

var opts = &dialect.Options{
	Name: dialect.MySQL,
	Features: dialect.LimitOffset | dialect.AlterAddConstraint | dialect.IfExists |
		dialect.MultiValuesInsert | dialect.NativeEnum | dialect.LastInsertID |
		dialect.SubqueryOrderBy,
	QuoteOpen: '`', QuoteClose: '`',
	Reserved:       dialect.WordSet(reserved),
	MaxIdentLength: 64,
	Placeholder:    dialect.Question,
	TrueLiteral:    "true",
	FalseLiteral:   "false",
	// || means OR unless sql_mode has PIPES_AS_CONCAT.
	Concat:    dialect.ConcatFunc,
	Returning: dialect.ReturningNone,
	InnerJoin: "INNER JOIN",
	// MySQL has no DEFAULT VALUES.
	EmptyInsert:         " () VALUES ()",
	AutoincrementSuffix: " AUTO_INCREMENT",
	BackslashEscapes:    true,
	NullBeforeDefault:   true,
	DropForeignKey:      "DROP FOREIGN KEY",
	DropIndexOnTable:    true,
	CreateIfNotExists:   true,
	// InnoDB parses SET DEFAULT but rejects the table.
	FKActions:           []string{"CASCADE", "SET NULL", "RESTRICT", "NO ACTION"},
	MaxNumericPrecision: 65,
	Types: dialect.TypeTable(map[dialect.TypeKind]string{
		dialect.TypeInteger: "INTEGER", dialect.TypeBigInteger: "BIGINT", dialect.TypeSmallInteger: "SMALLINT",
		dialect.TypeText: "TEXT", dialect.TypeBoolean: "BOOL", dialect.TypeFloat: "FLOAT",
		dialect.TypeDate: "DATE", dialect.TypeDateTime: "DATETIME", dialect.TypeTime: "TIME",
		dialect.TypeLargeBinary: "BLOB", dialect.TypeJSON: "JSON",
		dialect.TypeUUID: "CHAR(36)",
	}),
}

// Dialect is MySQL / MariaDB.
type Dialect struct{ dialect.Base }

// New returns the MySQL dialect.
func New() *Dialect { return &Dialect{dialect.Base{Opts: opts}} }

func init() { dialect.Register(New()) }

// AppendLimit: MySQL has no OFFSET without LIMIT; the documented idiom is
// the largest unsigned 64-bit value.
func (d *Dialect) AppendLimit(b []byte, l dialect.Limit) ([]byte, error) {
	if l.HasOffset() && !l.HasLimit() {
		b = append(b, " LIMIT 18446744073709551615"...)
	}
	return d.Base.AppendLimit(b, l)
}

// TypeName: MySQL has a native ENUM type.
func (d *Dialect) TypeName(t dialect.TypeSpec) (string, error) {
	if t.Kind == dialect.TypeEnum && len(t.Enum) > 0 {
		var sb strings.Builder
		sb.WriteString("ENUM(")
		for i, v := range t.Enum {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.Write(dialect.AppendString(nil, opts, v))
		}
		sb.WriteByte(')')
		return sb.String(), nil
	}
	return dialect.TypeNameCommon(opts, t)
}
