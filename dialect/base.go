package dialect

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Base implements every hook from an Options value. Dialect packages embed it
// and override the hooks that are not just data.
type Base struct {
	Opts *Options
}

// Name implements Dialect.
func (b *Base) Name() string { return b.Opts.Name }

// Options implements Dialect.
func (b *Base) Options() *Options { return b.Opts }

// Has implements Dialect.
func (b *Base) Has(f Feature) bool { return b.Opts.Features&f == f }

// NeedsQuote follows SQLAlchemy's rule: quote reserved words, names that are
// not entirely lower case, names starting with a digit or $, and names with
// characters other than letters, digits, _ and $.
func (b *Base) NeedsQuote(name string) bool { return needsQuote(b.Opts, name) }

func needsQuote(o *Options, name string) bool {
	if name == "" {
		return true
	}
	if c := name[0]; (c >= '0' && c <= '9') || c == '$' {
		return true
	}
	lower := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '$':
		case c >= 'A' && c <= 'Z':
			lower = false
		default:
			return true
		}
	}
	if !lower {
		return true
	}
	_, reserved := o.Reserved[name]
	return reserved
}

// AppendIdent implements Dialect: quotes when needed, doubling any quote
// character inside the name so no name can break out of its quotes.
func (b *Base) AppendIdent(dst []byte, name string) []byte {
	o := b.Opts
	if !needsQuote(o, name) {
		return append(dst, name...)
	}
	dst = append(dst, o.QuoteOpen)
	for i := 0; i < len(name); i++ {
		c := name[i]
		dst = append(dst, c)
		if c == o.QuoteClose {
			dst = append(dst, c)
		}
	}
	return append(dst, o.QuoteClose)
}

// ValidateIdent implements Dialect.
func (b *Base) ValidateIdent(kind, name string) error {
	if err := ValidateName(kind, name); err != nil {
		return err
	}
	if m := b.Opts.MaxIdentLength; m > 0 && len(name) > m {
		return &IdentifierError{Kind: kind, Name: name, Dialect: b.Opts.Name,
			Reason: fmt.Sprintf("%d bytes long, the limit is %d", len(name), m)}
	}
	return nil
}

// ValidateName rejects names that are invalid in every dialect.
func ValidateName(kind, name string) error {
	switch {
	case name == "":
		return &IdentifierError{Kind: kind, Name: name, Reason: "empty"}
	case !utf8.ValidString(name):
		return &IdentifierError{Kind: kind, Name: name, Reason: "not valid UTF-8"}
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] == 0x7f {
			return &IdentifierError{Kind: kind, Name: name, Reason: "contains a control character"}
		}
	}
	return nil
}

// AppendPlaceholder implements Dialect.
func (b *Base) AppendPlaceholder(dst []byte, n int) []byte {
	switch b.Opts.Placeholder {
	case Dollar:
		dst = append(dst, '$')
		return strconv.AppendInt(dst, int64(n), 10)
	case AtP:
		dst = append(dst, "@p"...)
		return strconv.AppendInt(dst, int64(n), 10)
	}
	return append(dst, '?')
}

// AppendSelectPrefix implements Dialect: nothing by default.
func (b *Base) AppendSelectPrefix(dst []byte, l Limit) []byte { return dst }

// AppendLimit implements Dialect: " LIMIT n OFFSET m". An OFFSET without a
// LIMIT is written with the dialect's "no limit" form in the overrides.
func (b *Base) AppendLimit(dst []byte, l Limit) ([]byte, error) {
	if l.HasLimit() {
		dst = append(dst, " LIMIT "...)
		dst = strconv.AppendInt(dst, l.Limit, 10)
	}
	if l.HasOffset() {
		dst = append(dst, " OFFSET "...)
		dst = strconv.AppendInt(dst, l.Offset, 10)
	}
	return dst, nil
}

// AppendBool implements Dialect.
func (b *Base) AppendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, b.Opts.TrueLiteral...)
	}
	return append(dst, b.Opts.FalseLiteral...)
}

// AppendLiteral implements Dialect for the common cases; dialects override it
// for bytes and string escaping rules through Options.
func (b *Base) AppendLiteral(dst []byte, v any) ([]byte, error) {
	return AppendLiteralCommon(dst, b.Opts, v, nil)
}

// AppendLiteralCommon renders v as a literal. bytes renders []byte values
// (nil: X'hex').
func AppendLiteralCommon(dst []byte, o *Options, v any, bytes func([]byte, []byte) []byte) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "NULL"...), nil
	case bool:
		if x {
			return append(dst, o.TrueLiteral...), nil
		}
		return append(dst, o.FalseLiteral...), nil
	case string:
		if !o.BackslashEscapes && strings.IndexByte(x, 0) >= 0 {
			return dst, &UnsupportedError{Construct: "a NUL character in a string literal", Dialect: o.Name,
				Hint: "send the value as a parameter"}
		}
		return AppendString(dst, o, x), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int8:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case uint:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(dst, x, 10), nil
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint8:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case float64:
		return appendFloat(dst, o, x, 64)
	case float32:
		return appendFloat(dst, o, float64(x), 32)
	case *big.Rat:
		if x == nil {
			return append(dst, "NULL"...), nil
		}
		return append(dst, x.FloatString(10)...), nil
	case []byte:
		if x == nil {
			return append(dst, "NULL"...), nil
		}
		if bytes != nil {
			return bytes(dst, x), nil
		}
		dst = append(dst, "X'"...)
		dst = hex.AppendEncode(dst, x)
		return append(dst, '\''), nil
	case time.Time:
		return AppendString(dst, o, FormatTime(x)), nil
	case json.RawMessage:
		return AppendString(dst, o, string(x)), nil
	}
	// Named types of basic kinds (type Status string) render as their kind.
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return AppendString(dst, o, rv.String()), nil
	case reflect.Bool:
		return AppendLiteralCommon(dst, o, rv.Bool(), bytes)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(dst, rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return appendFloat(dst, o, rv.Float(), 64)
	case reflect.Pointer:
		if rv.IsNil() {
			return append(dst, "NULL"...), nil
		}
		return AppendLiteralCommon(dst, o, rv.Elem().Interface(), bytes)
	}
	return dst, &UnsupportedError{Construct: fmt.Sprintf("a literal of Go type %T", v), Dialect: o.Name,
		Hint: "use a string, number, bool, time.Time or []byte"}
}

func appendFloat(dst []byte, o *Options, f float64, bits int) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, &UnsupportedError{Construct: "the float literal " + strconv.FormatFloat(f, 'g', -1, 64), Dialect: o.Name}
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits), nil
}

// AppendString appends s as a quoted string literal: quotes are doubled, and
// backslashes too where the database treats them as escapes (MySQL). NUL
// bytes cannot appear in SQL text; they are written as the database's
// character function so the literal stays exact and safe.
func AppendString(dst []byte, o *Options, s string) []byte {
	dst = append(dst, '\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			dst = append(dst, '\'', '\'')
		case c == '\\' && o.BackslashEscapes:
			dst = append(dst, '\\', '\\')
		case c == 0 && o.BackslashEscapes:
			dst = append(dst, '\\', '0')
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '\'')
}

// FormatTime is the literal form of a time: date and time, with fractional
// seconds only when present. Times are written in their own zone, unzoned,
// because the generic DateTime type has no time zone.
func FormatTime(t time.Time) string {
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05.999999")
	}
	return t.Format("2006-01-02 15:04:05")
}

// TypeName implements Dialect from Options.Types, with the parameterised
// types (String, Numeric, Enum) built here.
func (b *Base) TypeName(t TypeSpec) (string, error) {
	return TypeNameCommon(b.Opts, t)
}

// TypeNameCommon is Base.TypeName, callable from overrides.
func TypeNameCommon(o *Options, t TypeSpec) (string, error) {
	switch t.Kind {
	case TypeString:
		if t.Length < 0 {
			return "", &UnsupportedError{Construct: "VARCHAR(" + strconv.Itoa(t.Length) + ")", Dialect: o.Name, Hint: "a length must be positive"}
		}
		if t.Length == 0 {
			if o.StringNoLength == "" {
				return "", &UnsupportedError{Construct: "VARCHAR without a length", Dialect: o.Name, Hint: "give String a length, e.g. String(100)"}
			}
			return o.StringNoLength, nil
		}
		return "VARCHAR(" + strconv.Itoa(t.Length) + ")", nil
	case TypeNumeric:
		if t.Precision == 0 {
			return "NUMERIC", nil
		}
		if t.Precision < 0 || t.Scale < 0 || t.Scale > t.Precision {
			return "", &UnsupportedError{Construct: fmt.Sprintf("NUMERIC(%d, %d)", t.Precision, t.Scale), Dialect: o.Name,
				Hint: "precision must be positive and scale between 0 and the precision"}
		}
		if o.MaxNumericPrecision > 0 && t.Precision > o.MaxNumericPrecision {
			return "", &UnsupportedError{Construct: fmt.Sprintf("NUMERIC(%d, %d)", t.Precision, t.Scale), Dialect: o.Name,
				Hint: fmt.Sprintf("the largest precision is %d", o.MaxNumericPrecision)}
		}
		return "NUMERIC(" + strconv.Itoa(t.Precision) + ", " + strconv.Itoa(t.Scale) + ")", nil
	case TypeEnum:
		if len(t.Enum) == 0 {
			return "", &UnsupportedError{Construct: "an Enum with no values", Dialect: o.Name}
		}
		// Non-native enums are a VARCHAR wide enough for the longest value
		// (the compiler adds a CHECK constraint), as SQLAlchemy does.
		n := 1
		for _, v := range t.Enum {
			if l := utf8.RuneCountInString(v); l > n {
				n = l
			}
		}
		return "VARCHAR(" + strconv.Itoa(n) + ")", nil
	}
	if int(t.Kind) < len(o.Types) && o.Types[t.Kind] != "" {
		return o.Types[t.Kind], nil
	}
	return "", &UnsupportedError{Construct: "the " + t.Kind.String() + " type", Dialect: o.Name}
}

// AutoincrementType implements Dialect: keep the type.
func (b *Base) AutoincrementType(t TypeSpec) (string, bool) { return "", false }
