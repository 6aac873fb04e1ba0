package core

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"

	"ormlab/dialect"
)

// checkValue reports whether v fits col's type (nil always fits: NOT NULL
// is the database's to enforce).
func checkValue(col *ColumnObj, v any, dialectName string) error {
	_, err := prepValue(col, col.Type, v, dialectName)
	return err
}

// prepValue checks a Go value against a generic type and converts it to
// what every driver accepts (JSON documents become text).
func prepValue(col *ColumnObj, typ Type, v any, dialectName string) (any, error) {
	if v == nil {
		return nil, nil
	}
	fail := func(reason string) (any, error) {
		e := &TypeError{Type: typ.String(), Value: v, Reason: reason, Dialect: dialectName}
		if col != nil {
			e.Column = col.Name
			switch f := col.from.(type) {
			case *Table:
				e.Table = f.Name
			case *TableAlias:
				e.Table = f.Name
			case *Subquery:
				e.Table = f.Name
			}
			if e.Table == "" && col.table != nil {
				e.Table = col.table.Name
			}
		}
		if e.Table == "" {
			e.Table = "?"
		}
		if e.Column == "" {
			e.Column = "?"
		}
		return nil, e
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, nil
		}
		if _, isRat := v.(*big.Rat); !isRat {
			return prepValue(col, typ, rv.Elem().Interface(), dialectName)
		}
	}
	k := rv.Kind()
	spec := typ.spec
	switch spec.Kind {
	case dialect.TypeInteger, dialect.TypeBigInteger, dialect.TypeSmallInteger:
		var lo, hi int64 = math.MinInt64, math.MaxInt64
		switch spec.Kind {
		case dialect.TypeInteger:
			lo, hi = math.MinInt32, math.MaxInt32
		case dialect.TypeSmallInteger:
			lo, hi = math.MinInt16, math.MaxInt16
		}
		switch {
		case k >= reflect.Int && k <= reflect.Int64:
			if n := rv.Int(); n < lo || n > hi {
				return fail("out of range")
			}
		case k >= reflect.Uint && k <= reflect.Uintptr:
			if n := rv.Uint(); n > uint64(hi) {
				return fail("out of range")
			}
		default:
			return fail("an integer column takes Go integers")
		}
	case dialect.TypeString, dialect.TypeText, dialect.TypeEnum:
		if k != reflect.String {
			return fail("a text column takes Go strings")
		}
		s := rv.String()
		if spec.Kind == dialect.TypeString && spec.Length > 0 && utf8.RuneCountInString(s) > spec.Length {
			return fail(fmt.Sprintf("%d characters, longer than %d", utf8.RuneCountInString(s), spec.Length))
		}
		if spec.Kind == dialect.TypeEnum && !contains(spec.Enum, s) {
			return fail(fmt.Sprintf("not one of %q", spec.Enum))
		}
	case dialect.TypeBoolean:
		if k != reflect.Bool {
			return fail("a boolean column takes Go bools")
		}
	case dialect.TypeFloat, dialect.TypeNumeric:
		switch {
		case k >= reflect.Int && k <= reflect.Uintptr, k == reflect.Float32, k == reflect.Float64:
			if k == reflect.Float32 || k == reflect.Float64 {
				if f := rv.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
					return fail("NaN and infinities cannot be stored portably")
				}
			}
		case k == reflect.String && spec.Kind == dialect.TypeNumeric:
			if _, err := strconv.ParseFloat(rv.String(), 64); err != nil {
				return fail("not a decimal number")
			}
		default:
			if _, ok := v.(*big.Rat); ok && spec.Kind == dialect.TypeNumeric {
				return v.(*big.Rat).FloatString(max(spec.Scale, 0)), nil
			}
			return fail("a numeric column takes Go numbers")
		}
	case dialect.TypeDate, dialect.TypeDateTime, dialect.TypeTime:
		switch v.(type) {
		case time.Time, string:
		default:
			return fail("a date/time column takes time.Time or a string")
		}
	case dialect.TypeLargeBinary:
		if _, ok := v.([]byte); !ok && k != reflect.String {
			return fail("a binary column takes []byte")
		}
	case dialect.TypeJSON:
		switch x := v.(type) {
		case string:
			if !json.Valid([]byte(x)) {
				return fail("a string given to a JSON column must be a JSON document")
			}
			return x, nil
		case []byte:
			if !json.Valid(x) {
				return fail("bytes given to a JSON column must be a JSON document")
			}
			return string(x), nil
		case json.RawMessage:
			return string(x), nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fail("cannot be encoded as JSON: " + err.Error())
		}
		return string(b), nil
	case dialect.TypeUUID:
		switch x := v.(type) {
		case string:
			if !validUUID(x) {
				return fail(`a UUID is written like "123e4567-e89b-12d3-a456-426614174000"`)
			}
		case [16]byte:
			return formatUUID(x), nil
		default:
			if rv.Kind() == reflect.Array && rv.Len() == 16 && rv.Type().Elem().Kind() == reflect.Uint8 {
				var u [16]byte
				reflect.Copy(reflect.ValueOf(&u).Elem(), rv)
				return formatUUID(u), nil
			}
			return fail("a UUID column takes a string or a [16]byte")
		}
	}
	return v, nil
}

func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		ch := s[i]
		switch i {
		case 8, 13, 18, 23:
			if ch != '-' {
				return false
			}
		default:
			if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F') {
				return false
			}
		}
	}
	return true
}

func formatUUID(u [16]byte) string {
	const hexd = "0123456789abcdef"
	b := make([]byte, 0, 36)
	for i, x := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexd[x>>4], hexd[x&15])
	}
	return string(b)
}

// spreadSlice turns a slice of any element type (In([]int{1, 2})) into
// []any; []byte is a single value, not a list.
func spreadSlice(v any) ([]any, bool) {
	if _, isBytes := v.([]byte); isBytes {
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	if rv.Kind() == reflect.Array && rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}
