package core

// DeleteStmt is a DELETE FROM … WHERE ….
type DeleteStmt struct {
	table     *Table
	where     []Expr
	returning []Expr
	err       error
}

// Kind is "delete".
func (*DeleteStmt) Kind() string { return KindDelete }

// Delete starts a DELETE FROM table. Without Where it deletes every row.
func Delete(table *Table) *DeleteStmt {
	s := &DeleteStmt{table: table}
	if table == nil {
		s.err = &StatementError{Construct: "DELETE", Reason: "the table is nil"}
	}
	return s
}

func (s *DeleteStmt) clone() *DeleteStmt {
	c := *s
	c.where = c.where[:len(c.where):len(c.where)]
	c.returning = c.returning[:len(c.returning):len(c.returning)]
	return &c
}

// Table is the target table.
func (s *DeleteStmt) Table() *Table { return s.table }

// Where adds conditions (AND).
func (s *DeleteStmt) Where(conds ...Expr) *DeleteStmt {
	c := s.clone()
	for _, e := range conds {
		if e != nil {
			c.where = append(c.where, e)
		}
	}
	return c
}

// Returning asks for columns of the deleted rows: RETURNING, or OUTPUT
// deleted.… on SQL Server.
func (s *DeleteStmt) Returning(columns ...any) *DeleteStmt {
	c := s.clone()
	c.returning = returningList(c.table, c.returning, columns, &c.err)
	return c
}

// Err reports a mistake made while building the statement.
func (s *DeleteStmt) Err() error { return s.err }
