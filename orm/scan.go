package orm

import (
	"fmt"
	"reflect"
	"strings"

	"ormlab/orm/core"
)

// storeScalars stores the first column of each row in a scalar or a slice
// of scalars.
func storeScalars(dest reflect.Value, kind destKind, res *execResult, model string) error {
	dv := dest.Elem()
	if kind == destScalar {
		if len(res.rows) == 0 {
			return &resultError{sentinel: ErrNoResult, model: model}
		}
		return setAny(dv, res.rows[0][0], firstCol(res))
	}
	out := reflect.MakeSlice(dv.Type(), len(res.rows), len(res.rows))
	for i, row := range res.rows {
		if err := setAny(out.Index(i), row[0], firstCol(res)); err != nil {
			return err
		}
	}
	dv.Set(out)
	return nil
}

func firstCol(res *execResult) string {
	if len(res.cols) > 0 {
		return res.cols[0]
	}
	return "?"
}

// setAny stores a database value in any supported Go value (or any).
func setAny(f reflect.Value, v any, col string) error {
	if f.Kind() == reflect.Interface {
		if v == nil {
			f.SetZero()
		} else {
			f.Set(reflect.ValueOf(v))
		}
		return nil
	}
	c, e, _, ok := convOf(f.Type())
	if !ok {
		return &QueryError{Reason: fmt.Sprintf("cannot store column %s in Go type %s", col, f.Type())}
	}
	if err := setValue(f, c, e, v); err != nil {
		return &QueryError{Reason: "column " + col, Err: err}
	}
	return nil
}

// plainField finds the field of t for a result column: the column: tag,
// the snake_case name, or the field name ignoring case.
func plainFields(t reflect.Type, cols []string) ([][]int, error) {
	out := make([][]int, len(cols))
	for i, c := range cols {
		idx := findField(t, nil, c)
		if idx == nil {
			return nil, &QueryError{Model: typeName(t), Reason: fmt.Sprintf("no field for column %q (name a field %s, tag it `orm:\"column:%s\"`, or Label the expression)", c, camel(c), c)}
		}
		out[i] = idx
	}
	return out, nil
}

func findField(t reflect.Type, prefix []int, col string) []int {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Type != timeType {
			if r := findField(sf.Type, idx, col); r != nil {
				return r
			}
		}
		if !sf.IsExported() {
			continue
		}
		tag := parseTag(sf.Tag.Get("orm"))
		if tag.has("-") {
			continue
		}
		name := snakeCase(sf.Name)
		if v, ok := tag.get("column"); ok && v != "" {
			name = v
		}
		if name == col || strings.EqualFold(sf.Name, col) || strings.EqualFold(name, col) {
			return idx
		}
	}
	return nil
}

func camel(s string) string {
	parts := strings.Split(s, "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

// storePlain stores rows in structs that are not tracked by the session,
// matching columns to fields by name.
func storePlain(dest reflect.Value, kind destKind, t reflect.Type, res *execResult, model string) error {
	idx, err := plainFields(t, res.cols)
	if err != nil {
		return err
	}
	fill := func(sv reflect.Value, row []any) error {
		for i, fi := range idx {
			if err := setAny(sv.FieldByIndex(fi), row[i], res.cols[i]); err != nil {
				return err
			}
		}
		return nil
	}
	dv := dest.Elem()
	switch kind {
	case destSlicePtr, destSliceStruct:
		out := reflect.MakeSlice(dv.Type(), len(res.rows), len(res.rows))
		for i, row := range res.rows {
			el := out.Index(i)
			if kind == destSlicePtr {
				p := reflect.New(t)
				el.Set(p)
				el = p.Elem()
			}
			if err := fill(el, row); err != nil {
				return err
			}
		}
		dv.Set(out)
	case destStruct:
		if len(res.rows) == 0 {
			return &resultError{sentinel: ErrNoResult, model: model}
		}
		return fill(dv, res.rows[0])
	case destStructPtr:
		if len(res.rows) == 0 {
			dv.SetZero()
			return &resultError{sentinel: ErrNoResult, model: model}
		}
		p := reflect.New(t)
		if err := fill(p.Elem(), res.rows[0]); err != nil {
			return err
		}
		dv.Set(p)
	}
	return nil
}

// Result is the outcome of Session.Execute: the rows read in full.
type Result struct {
	cols     []string
	rows     [][]any
	affected int64
	lastID   int64
	hasID    bool
}

// Columns are the result's column names.
func (r *Result) Columns() []string { return r.cols }

// Rows are the rows (values as int64, float64, string, []byte, bool,
// time.Time or nil).
func (r *Result) Rows() [][]any { return r.rows }

// RowsAffected is the number of rows an INSERT, UPDATE or DELETE changed.
func (r *Result) RowsAffected() int64 { return r.affected }

// LastInsertID is the id of an inserted row where the database reports it.
func (r *Result) LastInsertID() (int64, bool) { return r.lastID, r.hasID }

// Scalar is the first column of the first row (nil when there is none).
func (r *Result) Scalar() any {
	if len(r.rows) == 0 || len(r.rows[0]) == 0 {
		return nil
	}
	return r.rows[0][0]
}

// Scan stores the rows in dest, as a Query would: a pointer to a scalar, a
// slice of scalars, a struct or a slice of structs (fields matched to
// columns by name; not tracked by any session).
func (r *Result) Scan(dest any) error {
	dv := reflect.ValueOf(dest)
	if !dv.IsValid() || dv.Kind() != reflect.Pointer || dv.IsNil() {
		return &QueryError{Reason: fmt.Sprintf("Scan needs a non-nil pointer, got %T", dest)}
	}
	q := (&Session{bases: map[*Base]bool{}, openIdx: -1}).Query(dest)
	if q.err != nil {
		return q.err
	}
	res := &execResult{cols: r.cols, rows: r.rows}
	if q.kind == destScalar || q.kind == destScalarSlice {
		return storeScalars(dv, q.kind, res, "")
	}
	return storePlain(dv, q.kind, q.elemType, res, "")
}

// Execute runs a statement in the session's transaction (after an
// autoflush): raw SQL, orm.Text("… WHERE name = :name"), with a
// map[string]any of :name parameters or positional ? parameters, or any
// core statement (Select, Insert, Update, Delete).
func (s *Session) Execute(stmt any, params ...any) (*Result, error) {
	var ex core.Executable
	switch x := stmt.(type) {
	case string:
		ex = core.Text(x)
	case core.Executable:
		ex = x
	case *Query:
		sel, err := x.build(x.selectColumns())
		if err != nil {
			return nil, err
		}
		ex = sel
	default:
		return nil, &QueryError{Reason: fmt.Sprintf("Execute: %T is not a statement (use orm.Text(\"…\") or orm.Select(…))", stmt)}
	}
	if s.cfg.autoflush {
		if err := s.autoflush(); err != nil {
			return nil, err
		}
	}
	res, err := s.run(ex, params)
	if err != nil {
		return nil, err
	}
	return &Result{cols: res.cols, rows: res.rows, affected: res.affected, lastID: res.lastID, hasID: res.hasID}, nil
}

// Scalar runs a statement and returns the first column of its first row.
func (s *Session) Scalar(stmt any, params ...any) (any, error) {
	r, err := s.Execute(stmt, params...)
	if err != nil {
		return nil, err
	}
	return r.Scalar(), nil
}
