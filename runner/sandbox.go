package runner

import (
	"errors"
	"reflect"
)

// errorsAs is errors.As for interpreted programs. The standard one asks
// reflect whether the target's element type implements error; a type
// declared in interpreted code has no methods as far as reflect knows, so
// errors.As(err, &notFound) would panic. This version walks the same chain
// and also looks inside yaegi's error wrapper (a struct whose IValue field
// holds the program's own value), matching by assignability.
func errorsAs(err error, target any) bool {
	if target == nil {
		panic("errors: target cannot be nil")
	}
	tv := reflect.ValueOf(target)
	if tv.Kind() != reflect.Pointer || tv.IsNil() {
		panic("errors: target must be a non-nil pointer")
	}
	elem := tv.Type().Elem()
	if elem.Kind() == reflect.Interface {
		return errors.As(err, target)
	}
	var walk func(e error) bool
	walk = func(e error) bool {
		for e != nil {
			for _, c := range candidates(e) {
				if c.IsValid() && c.Type().AssignableTo(elem) {
					tv.Elem().Set(c)
					return true
				}
			}
			switch u := e.(type) {
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			case interface{ Unwrap() []error }:
				for _, inner := range u.Unwrap() {
					if walk(inner) {
						return true
					}
				}
				return false
			default:
				return false
			}
		}
		return false
	}
	return walk(err)
}

func candidates(e error) []reflect.Value {
	v := reflect.ValueOf(e)
	out := []reflect.Value{v}
	inner := v
	for inner.Kind() == reflect.Pointer && !inner.IsNil() {
		inner = inner.Elem()
	}
	if inner.Kind() == reflect.Struct {
		if f := inner.FieldByName("IValue"); f.IsValid() && f.CanInterface() {
			iv := f
			for iv.Kind() == reflect.Interface && !iv.IsNil() {
				iv = iv.Elem()
			}
			if rv, ok := iv.Interface().(reflect.Value); ok {
				iv = rv
			}
			out = append(out, iv)
		}
	}
	return out
}
