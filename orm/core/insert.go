package core

import (
	"fmt"
	"sort"
)

// InsertStmt is an INSERT: one row, many rows, or rows from a SELECT.
type InsertStmt struct {
	table *Table
	rows  []map[string]any
	// The column-list form (ValuesList): names once, then one slice of
	// values per row, in that order. Bulk inserts use it to avoid a map
	// per row; it compiles to exactly the SQL the map form gives.
	listCols  []string
	listRows  [][]any
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
	c.listRows = c.listRows[:len(c.listRows):len(c.listRows)]
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
	if c.listCols != nil && len(rows) > 0 && c.err == nil {
		c.err = &StatementError{Construct: "INSERT INTO " + tableName(c.table), Reason: "Values cannot be mixed with ValuesList in one statement"}
	}
	for _, r := range rows {
		c.rows = append(c.rows, r)
	}
	return c
}

// ValuesList adds rows given as one list of column names and, for each
// row, its values in that order: the same statement as Values with one map
// per row, without building the maps (bulk inserts). It cannot be mixed
// with Values in one statement; every row must have one value per column.
func (s *InsertStmt) ValuesList(columns []string, rows ...[]any) *InsertStmt {
	c := s.clone()
	if len(c.rows) > 0 || (c.listCols != nil && !sameNames(c.listCols, columns)) {
		if c.err == nil {
			c.err = &StatementError{Construct: "INSERT INTO " + tableName(c.table), Reason: "ValuesList cannot be mixed with Values or with another column list in one statement"}
		}
		return c
	}
	if c.listCols == nil {
		c.listCols = append(make([]string, 0, len(columns)), columns...)
	}
	for i, r := range rows {
		if len(r) != len(columns) && c.err == nil {
			c.err = &StatementError{Construct: "INSERT INTO " + tableName(c.table),
				Reason: fmt.Sprintf("row %d has %d value(s) for %d column(s)", len(c.listRows)+i+1, len(r), len(columns))}
		}
	}
	c.listRows = append(c.listRows, rows...)
	return c
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func tableName(t *Table) string {
	if t == nil {
		return "?"
	}
	return t.Name
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
	if s.listCols != nil && len(s.listRows) > 0 {
		return s.planList()
	}
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

// planList is plan for the column-list form: the same columns in the same
// (table) order, so both forms compile to identical SQL.
func (s *InsertStmt) planList() (*insertPlan, error) {
	t := s.table
	at := make(map[string]int, len(s.listCols))
	for i, n := range s.listCols {
		if t.lookup(n) == nil {
			return nil, &NoSuchColumnError{Table: t.Name, Column: n, Reason: "given to INSERT"}
		}
		if _, dup := at[n]; dup {
			return nil, &StatementError{Construct: "INSERT INTO " + t.Name, Reason: fmt.Sprintf("column %s is given twice", n)}
		}
		at[n] = i
	}
	p := &insertPlan{}
	src := make([]int, 0, len(t.cols)) // per planned column: index in the row, or -1 (default)
	same := true
	for _, c := range t.cols {
		i, given := at[c.Name]
		if !given && !c.hasDef {
			continue
		}
		if !given {
			i = -1
		}
		if i != len(p.cols) {
			same = false
		}
		p.cols = append(p.cols, c)
		src = append(src, i)
	}
	p.rows = make([][]any, len(s.listRows))
	if same && len(p.cols) == len(s.listCols) {
		// The rows are already in table order: compile them as they are.
		copy(p.rows, s.listRows)
		return p, nil
	}
	flat := make([]any, len(p.rows)*len(p.cols))
	for r, vals := range s.listRows {
		row := flat[r*len(p.cols) : (r+1)*len(p.cols) : (r+1)*len(p.cols)]
		for j, i := range src {
			if i >= 0 {
				row[j] = vals[i]
				continue
			}
			v := p.cols[j].def
			if f, isFunc := v.(func() any); isFunc {
				v = f()
			}
			row[j] = v
		}
		p.rows[r] = row
	}
	return p, nil
}
