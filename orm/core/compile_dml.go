package core

import (
	"slices"

	"ormlab/dialect"
)

// returningStart writes OUTPUT inserted.… (SQL Server) at its place, or
// checks RETURNING is possible; the RETURNING clause itself is written by
// returningEnd.
func (c *compiler) returningStart(cols []Expr, prefix string) {
	if len(cols) == 0 {
		return
	}
	switch c.o.Returning {
	case dialect.ReturningNone:
		c.unsupported("RETURNING", "MySQL cannot return rows from INSERT, UPDATE or DELETE; read the new id with LastInsertId, or select the rows again")
	case dialect.ReturningOutput:
		c.str(" OUTPUT ")
		saved := c.colPrefix
		c.colPrefix = prefix
		c.selectList(cols)
		c.colPrefix = saved
	}
}

func (c *compiler) returningEnd(cols []Expr) {
	if len(cols) == 0 || c.o.Returning != dialect.ReturningClause {
		return
	}
	c.str(" RETURNING ")
	saved := c.unqualified
	c.unqualified = true
	c.selectList(cols)
	c.unqualified = saved
}

func (c *compiler) insert(s *InsertStmt) {
	t := s.table
	if !c.dmlTarget(s.err, t) {
		return
	}
	c.str("INSERT INTO ")
	c.ident("table", t.Name)
	if s.fromSel != nil {
		c.str(" (")
		for i, n := range s.fromCols {
			if i > 0 {
				c.str(", ")
			}
			if t.lookup(n) == nil {
				c.fail(&NoSuchColumnError{Table: t.Name, Column: n, Reason: "given to INSERT … SELECT"})
			}
			c.ident("column", n)
		}
		c.b = append(c.b, ')')
		c.returningStart(s.returning, "inserted.")
		c.b = append(c.b, ' ')
		c.selectStmt(s.fromSel)
		c.returningEnd(s.returning)
		return
	}
	p, err := s.plan()
	if err != nil {
		c.fail(err)
		return
	}
	if len(p.cols) == 0 {
		if len(p.rows) > 1 {
			c.fail(&StatementError{Construct: "INSERT INTO " + t.Name, Dialect: c.o.Name, Reason: "several rows with no columns"})
			return
		}
		// MySQL: INSERT INTO t () VALUES (); SQL Server puts OUTPUT first.
		c.returningStart(s.returning, "inserted.")
		c.str(c.o.EmptyInsert)
		c.returningEnd(s.returning)
		return
	}
	c.str(" (")
	for i, col := range p.cols {
		if i > 0 {
			c.str(", ")
		}
		c.ident("column", col.Name)
	}
	c.b = append(c.b, ')')
	c.returningStart(s.returning, "inserted.")
	if len(p.rows) > 1 {
		c.fail(dialect.Require(c.d, dialect.MultiValuesInsert, "a multi-row INSERT … VALUES", "insert the rows one by one"))
	}
	c.str(" VALUES ")
	if !c.inline {
		// One allocation for every bound value of a bulk insert.
		c.params = slices.Grow(c.params, len(p.rows)*len(p.cols))
		c.b = slices.Grow(c.b, len(p.rows)*(len(p.cols)*4+2))
	}
	for r, row := range p.rows {
		if r > 0 {
			c.str(", ")
		}
		c.b = append(c.b, '(')
		for i, v := range row {
			if i > 0 {
				c.str(", ")
			}
			c.value(p.cols[i], v)
		}
		c.b = append(c.b, ')')
	}
	c.returningEnd(s.returning)
}

// value writes a value assigned to col: an expression, or a checked bound
// value.
func (c *compiler) value(col *ColumnObj, v any) {
	if e, ok := v.(Expr); ok && e != nil {
		if sel, ok := e.(*SelectStmt); ok {
			e = sel.Scalar()
		}
		// Parenthesised unless atomic, as SQLAlchemy does: SET n=(n + 1).
		c.expr(e, precAtom)
		return
	}
	c.bind(v, col.Type, col)
}

func (c *compiler) update(s *UpdateStmt) {
	t := s.table
	if !c.dmlTarget(s.err, t) {
		return
	}
	if len(s.sets) == 0 {
		c.fail(&StatementError{Construct: "UPDATE " + t.Name, Dialect: c.o.Name, Reason: "sets no column (use Set or Values)"})
		return
	}
	c.str("UPDATE ")
	c.ident("table", t.Name)
	c.str(" SET ")
	// SET targets are never qualified; the values may be (SET n=users.n + 1).
	for i, sc := range s.sets {
		if i > 0 {
			c.str(", ")
		}
		c.ident("column", sc.col.Name)
		c.b = append(c.b, '=')
		c.value(sc.col, sc.val)
	}
	c.returningStart(s.returning, "inserted.")
	base := len(c.outer)
	c.outer = append(c.outer, t)
	c.where(s.where)
	c.outer = c.outer[:base]
	c.returningEnd(s.returning)
}

func (c *compiler) delete(s *DeleteStmt) {
	t := s.table
	if !c.dmlTarget(s.err, t) {
		return
	}
	c.str("DELETE FROM ")
	c.ident("table", t.Name)
	c.returningStart(s.returning, "deleted.")
	base := len(c.outer)
	c.outer = append(c.outer, t)
	c.where(s.where)
	c.outer = c.outer[:base]
	c.returningEnd(s.returning)
}

// dmlTarget reports whether an INSERT, UPDATE or DELETE can be compiled:
// neither the statement (built with a mistake, stmtErr) nor its table
// carries an error. A failure is recorded on the compiler.
func (c *compiler) dmlTarget(stmtErr error, t *Table) bool {
	if stmtErr != nil {
		c.fail(stmtErr)
		return false
	}
	if t.err != nil {
		c.fail(t.err)
		return false
	}
	return true
}
