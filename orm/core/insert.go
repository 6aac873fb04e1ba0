package core

import (
	"fmt"
	"sort"
)

// InsertStmt is an INSERT: one row, many rows, or rows from a SELECT.
type InsertStmt struct {
	table     *Table
	rows      []map[string]any
	fromCols  []string
	fromSel   *SelectStmt
	returning []Expr
	err       error
}

// Kind is "insert".
func (*InsertStmt) Kind() string { return KindInsert }

// Insert starts an INSERT INTO table.
func Insert(table *Table) *InsertStmt {
	s := &InsertStmt{table: table}
	if table == nil {
		s.err = &StatementError{Construct: "INSERT", Reason: "the table is nil"}
	}
	return s
}

func (s *InsertStmt) clone() *InsertStmt {
	c := *s
	c.rows = c.rows[:len(c.rows):len(c.rows)]
	c.returning = c.returning[:len(c.returning):len(c.returning)]
	return &c
}

// Table is the target table.
func (s *InsertStmt) Table() *Table { return s.table }

// Values adds rows, each a map from column name to value (or expression).
// Several rows make one multi-row INSERT; every row must name the same
// columns. Columns not given get their client-side Default, if any.
func (s *InsertStmt) Values(rows ...map[string]any) *InsertStmt {
	c := s.clone()
	for _, r := range rows {
		c.rows = append(c.rows, r)
	}
	return c
}

// FromSelect is INSERT INTO table (columns) SELECT …
func (s *InsertStmt) FromSelect(columns []string, sel *SelectStmt) *InsertStmt {
	c := s.clone()
	c.fromCols = append([]string(nil), columns...)
	c.fromSel = sel
	if sel == nil {
		c.err = &StatementError{Construct: "INSERT … SELECT", Reason: "the select is nil"}
	}
	return c
}

// Returning asks for columns of the inserted rows: RETURNING on PostgreSQL
// and SQLite, OUTPUT inserted.… on SQL Server; MySQL cannot (use the
// driver's LastInsertId).
func (s *InsertStmt) Returning(columns ...any) *InsertStmt {
	c := s.clone()
	c.returning = returningList(c.table, c.returning, columns, &c.err)
	return c
}

// Err reports a mistake made while building the statement.
func (s *InsertStmt) Err() error { return s.err }

func returningList(t *Table, dst []Expr, columns []any, errp *error) []Expr {
	for _, col := range columns {
		switch x := col.(type) {
		case string:
			if t == nil {
				continue
			}
			dst = append(dst, t.C(x))
		case *Table:
			for _, c := range x.cols {
				dst = append(dst, c)
			}
		case nil:
			if *errp == nil {
				*errp = &StatementError{Construct: "RETURNING", Reason: "a column is nil"}
			}
		default:
			dst = append(dst, toExpr(col))
		}
	}
	return dst
}

// insertPlan is the resolved column list and rows of value expressions.
type insertPlan struct {
	cols []*ColumnObj
	rows [][]any // each value is a Go value or an Expr
}

func (s *InsertStmt) plan() (*insertPlan, error) {
	t := s.table
	p := &insertPlan{}
	if len(s.rows) == 0 {
		// No explicit values: still apply client-side defaults.
		s = &InsertStmt{table: t, rows: []map[string]any{{}}}
	}
	given := map[string]bool{}
	for _, r := range s.rows {
		for k := range r {
			given[k] = true
		}
	}
	// Unknown names, reported in a stable order.
	var unknown []string
	for k := range given {
		if t.lookup(k) == nil {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, &NoSuchColumnError{Table: t.Name, Column: unknown[0], Reason: "given to INSERT"}
	}
	for _, c := range t.cols {
		if given[c.Name] || c.hasDef {
			p.cols = append(p.cols, c)
		}
	}
	for i, r := range s.rows {
		row := make([]any, len(p.cols))
		for j, c := range p.cols {
			v, ok := r[c.Name]
			switch {
			case ok:
			case c.hasDef:
				v = c.def
				if f, isFunc := v.(func() any); isFunc {
					v = f()
				}
			default:
				return nil, &StatementError{Construct: "INSERT INTO " + t.Name,
					Reason: fmt.Sprintf("row %d has no value for column %s (every row of a multi-row insert must give the same columns)", i+1, c.Name)}
			}
			row[j] = v
		}
		p.rows = append(p.rows, row)
	}
	return p, nil
}
