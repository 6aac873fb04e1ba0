package engine

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Result is a statement's outcome, read in full: the rows a SELECT (or a
// RETURNING / OUTPUT clause) produced, normalised to int64, float64,
// string, []byte, bool, time.Time or nil, and the rows affected.
type Result struct {
	columns  []string
	rows     [][]any
	affected int64
	returns  bool
	pk       []any
}

// Columns are the result's column names (nil when it returns no rows).
func (r *Result) Columns() []string { return r.columns }

// Rows are the rows read, each with one value per column.
func (r *Result) Rows() [][]any { return r.rows }

// ReturnsRows reports whether the statement produced a result set.
func (r *Result) ReturnsRows() bool { return r.returns }

// RowsAffected is the number of rows an INSERT, UPDATE or DELETE changed
// (0 for a SELECT: count Rows instead).
func (r *Result) RowsAffected() int64 { return r.affected }

// InsertedPrimaryKey is the primary key of the row an INSERT created, read
// back by RETURNING (PostgreSQL, SQLite), OUTPUT (SQL Server) or the
// driver's LastInsertId (MySQL), as SQLAlchemy's inserted_primary_key. Nil
// when the statement was not an INSERT into a table with a generated key.
func (r *Result) InsertedPrimaryKey() []any { return r.pk }

// LastInsertID is InsertedPrimaryKey as an int64 when it is one integer.
func (r *Result) LastInsertID() (int64, bool) {
	if len(r.pk) == 1 {
		if id, ok := r.pk[0].(int64); ok {
			return id, true
		}
	}
	return 0, false
}

// Scalar is the first column of the first row, or nil.
func (r *Result) Scalar() any {
	if len(r.rows) == 0 || len(r.rows[0]) == 0 {
		return nil
	}
	return r.rows[0][0]
}

// First is the first row, or nil.
func (r *Result) First() []any {
	if len(r.rows) == 0 {
		return nil
	}
	return r.rows[0]
}

// sqlResult adapts a Result to database/sql's Result (core.Result), for
// core.Executor.
type sqlResult struct{ r *Result }

func (s sqlResult) LastInsertId() (int64, error) {
	if id, ok := s.r.LastInsertID(); ok {
		return id, nil
	}
	return 0, errors.New("engine: the statement produced no integer primary key")
}

func (s sqlResult) RowsAffected() (int64, error) { return s.r.affected, nil }

// readRows reads every row of rs, normalising values by the column's
// declared type.
//
// typed says the driver already returns booleans and times by declared
// type (ncruces SQLite, pgx), so the column types need not be fetched.
func readRows(rs *sql.Rows, typed bool) ([]string, [][]any, error) {
	cols, err := rs.Columns()
	if err != nil {
		return nil, nil, err
	}
	n := len(cols)
	// Each column's declared type is reduced to its base name once, not
	// for every value.
	types := make([]string, n)
	if !typed {
		if cts, err := rs.ColumnTypes(); err == nil {
			for i, ct := range cts {
				if i < len(types) {
					types[i] = baseType(strings.ToUpper(ct.DatabaseTypeName()))
				}
			}
		}
	}
	var rows [][]any
	scan := make([]any, n)
	ptrs := make([]any, n)
	for i := range scan {
		ptrs[i] = &scan[i]
	}
	// Rows are cut from slabs that grow with the result (8 rows, doubling
	// to 1,024): a large result costs a few dozen allocations instead of
	// one per row. Each row is capped, so appending to one never writes
	// into the next.
	var slab []any
	per := 8
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return cols, rows, err
		}
		if len(slab) < n {
			slab = make([]any, n*per)
			if per < 1024 {
				per *= 2
			}
		}
		row := slab[:n:n]
		slab = slab[n:]
		for i, v := range scan {
			row[i] = normalizeBase(v, types[i])
			scan[i] = nil
		}
		rows = append(rows, row)
	}
	return cols, rows, rs.Err()
}

// baseType is a declared type without its length or precision and without
// MySQL's UNSIGNED prefix: "VARCHAR(50)" -> "VARCHAR".
func baseType(dbType string) string {
	base := dbType
	if i := strings.IndexByte(base, '('); i >= 0 {
		base = base[:i]
	}
	return strings.TrimSpace(strings.TrimPrefix(base, "UNSIGNED "))
}

// normalize maps a driver value to one of the Go types Result promises.
// Drivers differ: MySQL's text protocol returns every value as []byte,
// SQLite has no booleans or times of its own, pgx returns int32s.
func normalize(v any, dbType string) any { return normalizeBase(v, baseType(dbType)) }

// normalizeBase is normalize with the declared type already reduced by
// baseType.
func normalizeBase(v any, base string) any {
	switch x := v.(type) {
	case nil, float64, bool, time.Time:
		return v
	case int64:
		if base != "" && isBoolType(base) {
			return x != 0
		}
		return v
	case string:
		if base != "" && isTimeType(base) {
			if t, ok := parseTime(x); ok {
				return t
			}
		}
		return v // as is: re-boxing x would allocate
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case uint:
		return int64(x)
	case float32:
		return float64(x)
	case []byte:
		return fromBytes(x, base)
	}
	return v
}

func isBoolType(t string) bool { return t == "BOOLEAN" || t == "BOOL" }

func isTimeType(t string) bool {
	switch t {
	case "DATE", "DATETIME", "TIMESTAMP", "TIMESTAMPTZ", "DATETIME2", "TIME":
		return true
	}
	return false
}

// fromBytes decodes MySQL text-protocol values (and SQLite text read as
// bytes) by declared type; binary types stay []byte.
func fromBytes(b []byte, t string) any {
	switch t {
	case "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "BINARY", "VARBINARY", "BYTEA", "BIT", "GEOMETRY", "":
		return append([]byte(nil), b...)
	case "INT", "INTEGER", "TINYINT", "SMALLINT", "MEDIUMINT", "BIGINT", "YEAR":
		if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			return n
		}
		if n, err := strconv.ParseUint(string(b), 10, 64); err == nil {
			return int64(n)
		}
	case "FLOAT", "DOUBLE", "REAL":
		if f, err := strconv.ParseFloat(string(b), 64); err == nil {
			return f
		}
	case "BOOLEAN", "BOOL":
		return string(b) == "1" || strings.EqualFold(string(b), "true")
	}
	if isTimeType(t) {
		if tm, ok := parseTime(string(b)); ok {
			return tm
		}
	}
	return string(b)
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"15:04:05.999999999",
}

func parseTime(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
