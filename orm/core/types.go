package core

import (
	"strconv"
	"strings"

	"ormlab/dialect"
)

// Type is a generic column type: Integer(), String(50), Numeric(10, 2)…
// Each dialect names it in DDL (dialect.Dialect.TypeName).
type Type struct {
	spec dialect.TypeSpec
}

// Spec is the type as the dialect sees it.
func (t Type) Spec() dialect.TypeSpec { return t.spec }

// Kind is the generic kind (dialect.TypeInteger, …).
func (t Type) Kind() dialect.TypeKind { return t.spec.Kind }

// String is the generic name, e.g. "String(50)".
func (t Type) String() string {
	s := t.spec
	switch s.Kind {
	case dialect.TypeString:
		if s.Length > 0 {
			return "String(" + strconv.Itoa(s.Length) + ")"
		}
	case dialect.TypeNumeric:
		if s.Precision > 0 {
			return "Numeric(" + strconv.Itoa(s.Precision) + ", " + strconv.Itoa(s.Scale) + ")"
		}
	case dialect.TypeEnum:
		return "Enum(" + strings.Join(s.Enum, ", ") + ")"
	}
	return s.Kind.String()
}

// Integer is a 32-bit integer.
func Integer() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeInteger}} }

// BigInteger is a 64-bit integer.
func BigInteger() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeBigInteger}} }

// SmallInteger is a 16-bit integer.
func SmallInteger() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeSmallInteger}} }

// String is a VARCHAR(length). String(0) has no length, which MySQL refuses.
func String(length int) Type {
	return Type{dialect.TypeSpec{Kind: dialect.TypeString, Length: length}}
}

// TextType is unbounded text (SQLAlchemy's Text; the name Text is taken by
// raw SQL, core.Text("…"), as in SQLAlchemy's text()).
func TextType() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeText}} }

// Boolean is true/false (BIT on SQL Server, an integer on SQLite).
func Boolean() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeBoolean}} }

// Float is a floating-point number.
func Float() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeFloat}} }

// Numeric is an exact decimal with precision digits, scale after the point.
func Numeric(precision, scale int) Type {
	return Type{dialect.TypeSpec{Kind: dialect.TypeNumeric, Precision: precision, Scale: scale}}
}

// Date is a calendar date.
func Date() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeDate}} }

// DateTime is a date and time without time zone.
func DateTime() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeDateTime}} }

// Time is a time of day.
func Time() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeTime}} }

// LargeBinary is a byte string.
func LargeBinary() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeLargeBinary}} }

// JSON holds a JSON document; Go maps, slices and structs given as values
// are encoded with encoding/json.
func JSON() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeJSON}} }

// Enum is one of a fixed set of strings: ENUM on MySQL, elsewhere a VARCHAR
// with a CHECK constraint.
func Enum(values ...string) Type {
	return Type{dialect.TypeSpec{Kind: dialect.TypeEnum, Enum: append([]string(nil), values...)}}
}

// UUID is a universally unique identifier (text form "xxxxxxxx-xxxx-…").
func UUID() Type { return Type{dialect.TypeSpec{Kind: dialect.TypeUUID}} }

// nullType is the type of expressions whose type is unknown.
var nullType = Type{dialect.TypeSpec{Kind: dialect.TypeNull}}
