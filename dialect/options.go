package dialect

import "strings"

// Feature is a bitset of optional capabilities. Check them with
// Dialect.Has or Require, never by comparing dialect names.
type Feature uint32

const (
	// Returning: INSERT/UPDATE/DELETE … RETURNING cols (PostgreSQL, SQLite ≥ 3.35).
	Returning Feature = 1 << iota
	// OutputInserted: SQL Server's OUTPUT inserted.col / deleted.col.
	OutputInserted
	// NativeBoolean: a boolean column may stand alone as a condition.
	NativeBoolean
	// Sequences: CREATE SEQUENCE / nextval.
	Sequences
	// OffsetFetch: OFFSET n ROWS FETCH NEXT m ROWS ONLY (needs ORDER BY).
	OffsetFetch
	// TopN: SELECT TOP n.
	TopN
	// LimitOffset: LIMIT n OFFSET m.
	LimitOffset
	// ILike: a native ILIKE operator.
	ILike
	// AlterAddConstraint: ALTER TABLE … ADD CONSTRAINT (to break FK cycles).
	AlterAddConstraint
	// IfExists: DROP TABLE IF EXISTS / CREATE TABLE IF NOT EXISTS.
	IfExists
	// MultiValuesInsert: INSERT … VALUES (…), (…).
	MultiValuesInsert
	// NativeEnum: an ENUM('a','b') column type.
	NativeEnum
	// LastInsertID: the driver reports the new row's id (MySQL, SQLite).
	LastInsertID
	// NativeUUID: a UUID/UNIQUEIDENTIFIER column type.
	NativeUUID
	// SubqueryOrderBy: a subquery may have ORDER BY without LIMIT/OFFSET
	// (SQL Server refuses it in derived tables and subqueries).
	SubqueryOrderBy
	// ConsecutiveRowIDs: the rows of one multi-row INSERT into a table
	// whose key the database generates get consecutive keys, and the
	// driver's last insert id is the last row's (SQLite's rowid rule: each
	// new row takes the largest rowid plus one, one writer at a time). The
	// ORM reads a batch's keys from the last insert id instead of
	// RETURNING, which costs SQLite a buffered copy of the rows. (Not so
	// once a table holds the largest possible rowid, 2^63-1: SQLite then
	// picks new rowids at random. A program that stores that key by hand
	// should insert such rows one by one.)
	ConsecutiveRowIDs
)

var featureNames = []string{"Returning", "OutputInserted", "NativeBoolean", "Sequences", "OffsetFetch", "TopN",
	"LimitOffset", "ILike", "AlterAddConstraint", "IfExists", "MultiValuesInsert", "NativeEnum", "LastInsertID", "NativeUUID",
	"SubqueryOrderBy", "ConsecutiveRowIDs"}

// String lists the set features, e.g. "Returning|ILike".
func (f Feature) String() string {
	var parts []string
	for i, n := range featureNames {
		if f&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// PlaceholderStyle is how bind parameters are written.
type PlaceholderStyle uint8

const (
	// Question: ? (SQLite, MySQL drivers).
	Question PlaceholderStyle = iota
	// Dollar: $1, $2 (pgx).
	Dollar
	// AtP: @p1, @p2 (go-mssqldb).
	AtP
)

// ConcatStyle is how string concatenation is written.
type ConcatStyle uint8

const (
	// ConcatPipes: a || b (SQLite, PostgreSQL).
	ConcatPipes ConcatStyle = iota
	// ConcatFunc: concat(a, b) (MySQL, where || is OR by default).
	ConcatFunc
	// ConcatPlus: a + b (SQL Server).
	ConcatPlus
)

// ReturningStyle says where a statement's returned columns go.
type ReturningStyle uint8

const (
	// ReturningNone: the dialect cannot return rows from DML (MySQL).
	ReturningNone ReturningStyle = iota
	// ReturningClause: "RETURNING cols" at the end of the statement.
	ReturningClause
	// ReturningOutput: "OUTPUT inserted.cols" before VALUES / WHERE.
	ReturningOutput
)

// TypeKind names a generic column type.
type TypeKind uint8

// The generic types of issue 2.
const (
	TypeInvalid TypeKind = iota
	TypeInteger
	TypeBigInteger
	TypeSmallInteger
	TypeString
	TypeText
	TypeBoolean
	TypeFloat
	TypeNumeric
	TypeDate
	TypeDateTime
	TypeTime
	TypeLargeBinary
	TypeJSON
	TypeEnum
	TypeUUID
	TypeNull // the type of an untyped literal / expression
	// NumTypeKinds is the number of TypeKind values (size of Options.Types).
	NumTypeKinds
)

var typeKindNames = [...]string{"Invalid", "Integer", "BigInteger", "SmallInteger", "String", "Text", "Boolean",
	"Float", "Numeric", "Date", "DateTime", "Time", "LargeBinary", "JSON", "Enum", "UUID", "NullType"}

func (k TypeKind) String() string {
	if int(k) < len(typeKindNames) {
		return typeKindNames[k]
	}
	return "TypeKind(?)"
}

// IsInteger reports whether k is one of the integer types.
func (k TypeKind) IsInteger() bool {
	return k == TypeInteger || k == TypeBigInteger || k == TypeSmallInteger
}

// TypeSpec is a generic type with its parameters.
type TypeSpec struct {
	Kind      TypeKind
	Length    int // String; 0 means no length
	Precision int // Numeric; 0 means unspecified
	Scale     int
	Enum      []string // Enum values
	EnumName  string   // Enum type name (for dialects with named enum types)
}

// Options is a dialect as data (in the spirit of goqu's SQLDialectOptions):
// most differences between the four databases are values here, read by Base
// and by the compiler, so golden tables stay simple.
type Options struct {
	Name     string
	Features Feature

	QuoteOpen, QuoteClose byte
	// Reserved holds lower-case reserved words (quoted when used as names).
	Reserved map[string]struct{}
	// MaxIdentLength is the longest identifier accepted (0: no limit).
	MaxIdentLength int

	Placeholder  PlaceholderStyle
	TrueLiteral  string
	FalseLiteral string
	Concat       ConcatStyle
	Returning    ReturningStyle
	// InnerJoin is the keyword for an inner join ("JOIN" or "INNER JOIN").
	InnerJoin string
	// EmptyInsert is what follows "INSERT INTO t" when no column is given.
	EmptyInsert string
	// AutoincrementSuffix follows NOT NULL on an autoincrement column
	// (" AUTO_INCREMENT", " IDENTITY").
	AutoincrementSuffix string
	// ExplicitNull writes NULL on nullable columns in DDL (SQL Server, whose
	// default nullability depends on session settings).
	ExplicitNull bool
	// NullBeforeDefault writes NOT NULL / NULL before DEFAULT in a column
	// definition (MySQL and SQL Server, as SQLAlchemy does); otherwise
	// DEFAULT comes first.
	NullBeforeDefault bool
	// BackslashEscapes: backslashes in string literals must be doubled
	// (MySQL/MariaDB default sql_mode).
	BackslashEscapes bool
	// DropForeignKey is the ALTER TABLE clause that drops a foreign key
	// constraint ("DROP CONSTRAINT" or MySQL's "DROP FOREIGN KEY").
	DropForeignKey string
	// CastLiteralParams: a parameter with no column to take its type from
	// (core.Literal) is written CAST(? AS type), because the server must know
	// every parameter's type (PostgreSQL: "could not determine data type of
	// parameter $1", "operator is not unique: unknown - unknown").
	CastLiteralParams bool
	// DropIndexOnTable: DROP INDEX name ON table (MySQL, SQL Server).
	DropIndexOnTable bool
	// CreateIfNotExists: CREATE TABLE IF NOT EXISTS is accepted.
	CreateIfNotExists bool
	// FKActions lists the ON DELETE / ON UPDATE actions the database
	// accepts (nil: all five).
	FKActions []string
	// Types holds the DDL name of each generic type that has a fixed name.
	Types [NumTypeKinds]string
	// StringNoLength is the type of a String with no length ("" means it is
	// an error, as in MySQL).
	StringNoLength string
	// MaxNumericPrecision is the largest NUMERIC precision (0: no limit).
	MaxNumericPrecision int
}

// WordSet builds a reserved-word set from a space-separated list.
func WordSet(lists ...string) map[string]struct{} {
	m := make(map[string]struct{}, 256)
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[strings.ToLower(w)] = struct{}{}
		}
	}
	return m
}

// TypeTable builds Options.Types from a map.
func TypeTable(m map[TypeKind]string) [NumTypeKinds]string {
	var t [NumTypeKinds]string
	for k, v := range m {
		t[k] = v
	}
	return t
}
