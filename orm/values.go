package orm

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// conv says how a mapped field is read and written. Knowing it once per
// field keeps the per-row work to a switch instead of reflection lookups.
type conv uint8

const (
	convInt conv = iota + 1
	convUint
	convString
	convBool
	convFloat
	convTime
	convBytes
	convPtr // pointer to one of the above (nullable)
	convNullString
	convNullInt64
	convNullInt32
	convNullInt16
	convNullByte
	convNullFloat64
	convNullBool
	convNullTime
	convValuer // a compiled type implementing driver.Valuer and *T sql.Scanner
)

var (
	timeType       = reflect.TypeOf(time.Time{})
	bytesType      = reflect.TypeOf([]byte(nil))
	nullStringType = reflect.TypeOf(sql.NullString{})
	nullInt64Type  = reflect.TypeOf(sql.NullInt64{})
	nullInt32Type  = reflect.TypeOf(sql.NullInt32{})
	nullInt16Type  = reflect.TypeOf(sql.NullInt16{})
	nullByteType   = reflect.TypeOf(sql.NullByte{})
	nullFloatType  = reflect.TypeOf(sql.NullFloat64{})
	nullBoolType   = reflect.TypeOf(sql.NullBool{})
	nullTimeType   = reflect.TypeOf(sql.NullTime{})
	valuerType     = reflect.TypeOf((*driver.Valuer)(nil)).Elem()
	scannerType    = reflect.TypeOf((*sql.Scanner)(nil)).Elem()
)

// convOf classifies a Go field type; ok is false for types the ORM cannot
// store in a column. nullable reports a type that can hold NULL.
func convOf(t reflect.Type) (c conv, elem conv, nullable bool, ok bool) {
	switch t {
	case timeType:
		return convTime, 0, false, true
	case bytesType:
		return convBytes, 0, true, true
	case nullStringType:
		return convNullString, 0, true, true
	case nullInt64Type:
		return convNullInt64, 0, true, true
	case nullInt32Type:
		return convNullInt32, 0, true, true
	case nullInt16Type:
		return convNullInt16, 0, true, true
	case nullByteType:
		return convNullByte, 0, true, true
	case nullFloatType:
		return convNullFloat64, 0, true, true
	case nullBoolType:
		return convNullBool, 0, true, true
	case nullTimeType:
		return convNullTime, 0, true, true
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return convInt, 0, false, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return convUint, 0, false, true
	case reflect.String:
		return convString, 0, false, true
	case reflect.Bool:
		return convBool, 0, false, true
	case reflect.Float32, reflect.Float64:
		return convFloat, 0, false, true
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return convBytes, 0, true, true
		}
	case reflect.Pointer:
		e, _, _, eok := convOf(t.Elem())
		if eok && e < convPtr && t.Elem().Kind() != reflect.Pointer {
			return convPtr, e, true, true
		}
		return 0, 0, false, false
	}
	if t.Implements(valuerType) && reflect.PointerTo(t).Implements(scannerType) {
		return convValuer, 0, true, true
	}
	return 0, 0, false, false
}

// getValue reads a field as a value for the database and for snapshots:
// int64, uint64, string, bool, float64, time.Time, []byte or nil.
func getValue(f reflect.Value, c, elem conv) any {
	switch c {
	case convInt:
		return f.Int()
	case convUint:
		u := f.Uint()
		if u <= math.MaxInt64 {
			return int64(u)
		}
		return u
	case convString:
		return f.String()
	case convBool:
		return f.Bool()
	case convFloat:
		return f.Float()
	case convTime:
		return *(*time.Time)(unsafe.Pointer(f.UnsafeAddr()))
	case convBytes:
		if f.IsNil() {
			return nil
		}
		return f.Bytes()
	case convPtr:
		if f.IsNil() {
			return nil
		}
		return getValue(f.Elem(), elem, 0)
	case convNullString, convNullInt64, convNullInt32, convNullInt16, convNullByte,
		convNullFloat64, convNullBool, convNullTime, convValuer:
		v, err := f.Interface().(driver.Valuer).Value()
		if err != nil {
			return nil
		}
		return v
	}
	return nil
}

// snapValue is getValue with byte slices copied, so a snapshot does not
// change when the program writes into the slice.
func snapValue(f reflect.Value, c, elem conv) any {
	v := getValue(f, c, elem)
	if b, ok := v.([]byte); ok {
		return append([]byte(nil), b...)
	}
	return v
}

// equalValues compares two snapshot values.
func equalValues(a, b any) bool {
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || (x != x && y != y))
	}
	return a == b
}

// setValue stores a database value in a field, converting between the
// kinds drivers return (int64, float64, string, []byte, bool, time.Time,
// nil) and the field's Go type.
func setValue(f reflect.Value, c, elem conv, v any) error {
	if v == nil {
		f.SetZero()
		return nil
	}
	switch c {
	case convInt:
		n, err := toInt64(v)
		if err != nil {
			return err
		}
		if f.OverflowInt(n) {
			return fmt.Errorf("value %d overflows Go type %s", n, f.Type())
		}
		f.SetInt(n)
	case convUint:
		n, err := toInt64(v)
		if err != nil {
			if u, ok := v.(uint64); ok {
				f.SetUint(u)
				return nil
			}
			return err
		}
		if n < 0 || f.OverflowUint(uint64(n)) {
			return fmt.Errorf("value %d does not fit Go type %s", n, f.Type())
		}
		f.SetUint(uint64(n))
	case convString:
		s, err := toString(v)
		if err != nil {
			return err
		}
		f.SetString(s)
	case convBool:
		b, err := toBool(v)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case convFloat:
		x, err := toFloat(v)
		if err != nil {
			return err
		}
		f.SetFloat(x)
	case convTime:
		t, err := toTime(v)
		if err != nil {
			return err
		}
		*(*time.Time)(unsafe.Pointer(f.UnsafeAddr())) = t
	case convBytes:
		switch x := v.(type) {
		case []byte:
			f.SetBytes(append([]byte(nil), x...))
		case string:
			f.SetBytes([]byte(x))
		default:
			return fmt.Errorf("cannot store %T in []byte", v)
		}
	case convPtr:
		p := reflect.New(f.Type().Elem())
		if err := setValue(p.Elem(), elem, 0, v); err != nil {
			return err
		}
		f.Set(p)
	default:
		// sql.Null* and other Scanners: let them convert.
		if t, ok := v.(time.Time); ok && c != convNullTime && c != convValuer {
			v = t.Format(time.RFC3339Nano)
		}
		if c == convNullBool {
			if b, err := toBool(v); err == nil {
				v = b
			}
		}
		if c == convNullTime {
			if t, err := toTime(v); err == nil {
				v = t
			}
		}
		return f.Addr().Interface().(sql.Scanner).Scan(v)
	}
	return nil
}

func toInt64(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, fmt.Errorf("%d overflows int64", x)
		}
		return int64(x), nil
	case float64:
		if x != math.Trunc(x) {
			return 0, fmt.Errorf("%v is not a whole number", x)
		}
		return int64(x), nil
	case float32:
		return int64(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case string:
		return parseIntString(x)
	case []byte:
		return parseIntString(string(x))
	}
	return 0, fmt.Errorf("cannot store %T in an integer", v)
}

func parseIntString(s string) (int64, error) {
	if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		return n, nil
	}
	// Decimals come back as text from some drivers ("12.00").
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f != math.Trunc(f) {
		return 0, fmt.Errorf("%q is not an integer", s)
	}
	return int64(f), nil
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case int:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case string:
		return strconv.ParseFloat(strings.TrimSpace(x), 64)
	case []byte:
		return strconv.ParseFloat(strings.TrimSpace(string(x)), 64)
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	}
	return 0, fmt.Errorf("cannot store %T in a float", v)
}

func toBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case int:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case string:
		return strconv.ParseBool(strings.TrimSpace(x))
	case []byte:
		return strconv.ParseBool(strings.TrimSpace(string(x)))
	}
	return false, fmt.Errorf("cannot store %T in a bool", v)
}

func toString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	}
	return fmt.Sprint(v), nil
}

// timeLayouts are the text forms SQLite and MySQL use for dates and times.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"15:04:05.999999999",
}

func toTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		return parseTime(x)
	case []byte:
		return parseTime(string(x))
	case int64:
		return time.Unix(x, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("cannot store %T in a time.Time", v)
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	// modernc's default text form is Go's time.String(): drop the monotonic
	// part and the zone name.
	if i := strings.Index(s, " m="); i > 0 {
		s = s[:i]
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date/time", s)
}

// normKey turns a primary-key value into a comparable identity-map part:
// every integer becomes int64, []byte a string.
func normIdent(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint:
		return int64(x)
	case uint32:
		return int64(x)
	case uint16:
		return int64(x)
	case uint8:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return v
}

// canonicalValue reports whether v, just stored in f, is exactly what getValue
// would read back (so it can serve as the snapshot as is).
func canonicalValue(f reflect.Value, c, elem conv, v any) bool {
	switch c {
	case convInt:
		_, ok := v.(int64)
		return ok
	case convUint:
		n, ok := v.(int64)
		return ok && n >= 0
	case convString:
		_, ok := v.(string)
		return ok
	case convBool:
		_, ok := v.(bool)
		return ok
	case convFloat:
		_, ok := v.(float64)
		return ok && f.Kind() == reflect.Float64
	case convTime:
		_, ok := v.(time.Time)
		return ok
	case convBytes:
		_, ok := v.([]byte)
		return ok
	case convPtr:
		if v == nil {
			return true
		}
		if f.IsNil() {
			return false
		}
		return canonicalValue(f.Elem(), elem, 0, v)
	case convNullString:
		_, ok := v.(string)
		return ok || v == nil
	case convNullInt64, convNullInt32, convNullInt16, convNullByte:
		_, ok := v.(int64)
		return ok || v == nil
	case convNullFloat64:
		_, ok := v.(float64)
		return ok || v == nil
	case convNullBool:
		_, ok := v.(bool)
		return ok || v == nil
	case convNullTime:
		_, ok := v.(time.Time)
		return ok || v == nil
	}
	return false
}
