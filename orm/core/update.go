package core

import "sort"

// UpdateStmt is an UPDATE … SET … WHERE ….
type UpdateStmt struct {
	table     *Table
	sets      []setClause
	where     []Expr
	returning []Expr
	err       error
}

type setClause struct {
	col *ColumnObj
	val any
}

// Kind is "update".
func (*UpdateStmt) Kind() string { return KindUpdate }

// Update starts an UPDATE of table.
func Update(table *Table) *UpdateStmt {
	s := &UpdateStmt{table: table}
	if table == nil {
		s.err = &StatementError{Construct: "UPDATE", Reason: "the table is nil"}
	}
	return s
}

func (s *UpdateStmt) clone() *UpdateStmt {
	c := *s
	c.sets = c.sets[:len(c.sets):len(c.sets)]
	c.where = c.where[:len(c.where):len(c.where)]
	c.returning = c.returning[:len(c.returning):len(c.returning)]
	return &c
}

// Table is the target table.
func (s *UpdateStmt) Table() *Table { return s.table }

// Set assigns column = value (a Go value or an expression such as
// t.C("n").Add(1)).
func (s *UpdateStmt) Set(column string, value any) *UpdateStmt {
	c := s.clone()
	if c.table == nil {
		return c
	}
	col := c.table.lookup(column)
	if col == nil {
		if c.err == nil {
			c.err = &NoSuchColumnError{Table: c.table.Name, Column: column, Reason: "given to UPDATE … SET"}
		}
		return c
	}
	for i, sc := range c.sets {
		if sc.col == col {
			c.sets = append(c.sets[:0:0], c.sets...)
			c.sets[i].val = value
			return c
		}
	}
	c.sets = append(c.sets, setClause{col: col, val: value})
	return c
}

// Values sets several columns from a map (in the table's column order).
func (s *UpdateStmt) Values(values map[string]any) *UpdateStmt {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return s.colIndex(keys[i]) < s.colIndex(keys[j]) })
	c := s
	for _, k := range keys {
		c = c.Set(k, values[k])
	}
	return c
}

func (s *UpdateStmt) colIndex(name string) int {
	if s.table != nil {
		for i, c := range s.table.cols {
			if c.Name == name {
				return i
			}
		}
	}
	return 1 << 30
}

// Where adds conditions (AND).
func (s *UpdateStmt) Where(conds ...Expr) *UpdateStmt {
	c := s.clone()
	for _, e := range conds {
		if e != nil {
			c.where = append(c.where, e)
		}
	}
	return c
}

// Returning asks for columns of the updated rows (see InsertStmt.Returning).
func (s *UpdateStmt) Returning(columns ...any) *UpdateStmt {
	c := s.clone()
	c.returning = returningList(c.table, c.returning, columns, &c.err)
	return c
}

// Err reports a mistake made while building the statement.
func (s *UpdateStmt) Err() error { return s.err }
