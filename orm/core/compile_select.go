package core

import (
	"ormlab/dialect"
)

// selectStmt writes a SELECT at top level or as a nested select.
func (c *compiler) selectStmt(s *SelectStmt) {
	if s.err != nil {
		c.fail(s.err)
		return
	}
	if len(s.columns) == 0 {
		c.fail(&StatementError{Construct: "SELECT", Dialect: c.o.Name, Reason: "has no columns"})
		return
	}
	base := len(c.froms)
	c.computeFroms(s)
	froms := c.froms[base:len(c.froms):len(c.froms)]
	outerBase := len(c.outer)
	c.outer = append(c.outer, froms...)
	// Join targets are FROM items too, for nested selects' correlation.
	for _, j := range s.joins {
		c.outer = append(c.outer, j.right)
	}

	c.str("SELECT ")
	if s.distinct {
		c.str("DISTINCT ")
	}
	lim := dialect.Limit{Limit: s.limit, Offset: s.offset, HasOrderBy: len(s.orderBy) > 0}
	if c.depth > 0 && lim.HasOrderBy && !lim.HasLimit() && !lim.HasOffset() {
		c.fail(dialect.Require(c.d, dialect.SubqueryOrderBy, "ORDER BY in a subquery without LIMIT or OFFSET",
			"SQL Server accepts ORDER BY in a subquery only with TOP or OFFSET; drop the ORDER BY or add Limit(...)"))
	}
	c.b = c.d.AppendSelectPrefix(c.b, lim)
	c.selectList(s.columns)

	if len(froms) > 0 {
		c.str(" FROM ")
		for i, f := range froms {
			if i > 0 {
				c.str(", ")
			}
			c.fromItem(f)
			if i == 0 && len(s.joins) > 0 {
				c.joinChain(f, s.joins)
			}
		}
	} else if len(s.joins) > 0 {
		c.fail(&StatementError{Construct: "SELECT … JOIN", Dialect: c.o.Name, Reason: "there is no FROM item to join from"})
	}
	c.where(s.where)
	if len(s.groupBy) > 0 {
		c.str(" GROUP BY ")
		// The expression, not its label: SQL Server cannot group by an
		// output column name.
		c.exprList(s.groupBy)
	}
	if len(s.having) > 0 {
		c.str(" HAVING ")
		c.conds(s.having)
	}
	c.orderLimit(s.orderBy, lim)
	c.outer = c.outer[:outerBase]
	c.froms = c.froms[:base]
}

// nestedSelect compiles a subquery inside an expression (correlated with
// the enclosing selects).
func (c *compiler) nestedSelect(s *SelectStmt) {
	c.depth++
	c.selectStmt(s)
	c.depth--
}

func (c *compiler) orderLimit(orderBy []Expr, lim dialect.Limit) {
	if len(orderBy) > 0 {
		c.str(" ORDER BY ")
		c.orderItems(orderBy)
	}
	var err error
	c.b, err = c.d.AppendLimit(c.b, lim)
	c.fail(err)
}

func (c *compiler) where(conds []Expr) {
	if len(conds) > 0 {
		c.str(" WHERE ")
		c.conds(conds)
	}
}

// conds writes conditions joined by AND.
func (c *compiler) conds(conds []Expr) {
	if len(conds) == 1 {
		c.cond(conds[0], precLowest)
		return
	}
	for i, e := range conds {
		if i > 0 {
			c.str(" AND ")
		}
		c.cond(e, precAnd)
	}
}

// orderItems writes ORDER BY items; a labelled select column
// is referred to by its label (ORDER BY n DESC).
func (c *compiler) orderItems(list []Expr) {
	for i, e := range list {
		if i > 0 {
			c.str(", ")
		}
		if l, ok := e.(*LabelExpr); ok {
			c.ident("label", l.Name)
			continue
		}
		if u, ok := e.(*UnaryExpr); ok && (u.Op == opAsc || u.Op == opDesc) {
			if l, ok := u.X.(*LabelExpr); ok {
				c.ident("label", l.Name)
				if u.Op == opAsc {
					c.str(" ASC")
				} else {
					c.str(" DESC")
				}
				continue
			}
		}
		c.expr(e, precLowest)
	}
}

func (c *compiler) exprList(list []Expr) {
	for i, e := range list {
		if i > 0 {
			c.str(", ")
		}
		c.expr(e, precLowest)
	}
}

// selectList writes the columns, labelling repeated names (name, name_1)
// so every result column has a distinct name.
func (c *compiler) selectList(cols []Expr) {
	var names []string
	if hasDuplicateNames(cols) {
		names = resultNames(cols, nil)
	}
	for i, e := range cols {
		if i > 0 {
			c.str(", ")
		}
		if l, ok := e.(*LabelExpr); ok {
			c.expr(l.X, precLowest)
			c.str(" AS ")
			n := l.Name
			if names != nil {
				n = names[i]
			}
			c.ident("label", n)
			continue
		}
		c.expr(e, precLowest)
		if names != nil && names[i] != "" && names[i] != baseName(e) {
			c.str(" AS ")
			c.ident("label", names[i])
		}
	}
}

func hasDuplicateNames(cols []Expr) bool {
	for i := 1; i < len(cols); i++ {
		n := baseName(cols[i])
		if n == "" {
			continue
		}
		for j := 0; j < i; j++ {
			if baseName(cols[j]) == n {
				return true
			}
		}
	}
	return false
}

// computeFroms pushes s's FROM items onto c.froms: explicit ones first,
// then those its columns and conditions mention, minus join targets and,
// in a nested select, those of enclosing selects (correlation) as long as
// something remains.
func (c *compiler) computeFroms(s *SelectStmt) {
	base := len(c.froms)
	for _, f := range s.froms {
		c.addFrom(base, f)
	}
	explicit := len(c.froms)
	for _, e := range s.columns {
		c.collect(base, e)
	}
	for _, e := range s.where {
		c.collect(base, e)
	}
	for _, e := range s.groupBy {
		c.collect(base, e)
	}
	for _, e := range s.having {
		c.collect(base, e)
	}
	for _, e := range s.orderBy {
		c.collect(base, e)
	}
	// Remove join targets (they appear in the join chain), keeping the
	// first item as the root of the chain.
	if len(s.joins) > 0 {
		keep := c.froms[:base+1]
		if len(c.froms) == base {
			keep = c.froms[:base]
		}
		for i := len(keep); i < len(c.froms); i++ {
			f := c.froms[i]
			if !joinTarget(s.joins, f) {
				keep = append(keep, f)
			}
		}
		c.froms = keep
		// The root itself must not be a join target.
		if len(c.froms) > base && joinTarget(s.joins, c.froms[base]) {
			c.froms = append(c.froms[:base], c.froms[base+1:]...)
		}
		if explicit > len(c.froms) {
			explicit = len(c.froms)
		}
	}
	// Correlation: inferred items present in an enclosing select.
	if len(c.outer) > 0 && len(c.froms) > explicit {
		keep := c.froms[:explicit]
		for i := explicit; i < len(c.froms); i++ {
			if !containsFrom(c.outer, c.froms[i]) {
				keep = append(keep, c.froms[i])
			}
		}
		if len(keep) > base || len(s.joins) > 0 {
			c.froms = keep
		}
	}
}

func joinTarget(joins []joinStep, f FromItem) bool {
	for _, j := range joins {
		if covers(j.right, f) {
			return true
		}
	}
	return false
}

// covers reports whether FROM item f already provides g (a join provides
// every item inside it).
func covers(f, g FromItem) bool {
	if f == g {
		return true
	}
	if j, ok := f.(*Join); ok {
		return covers(j.Left, g) || covers(j.Right, g)
	}
	return false
}

func containsFrom(list []FromItem, f FromItem) bool {
	for _, x := range list {
		if covers(x, f) {
			return true
		}
	}
	return false
}

func (c *compiler) addFrom(base int, f FromItem) {
	if f == nil {
		return
	}
	for _, x := range c.froms[base:] {
		if covers(x, f) {
			return
		}
	}
	c.froms = append(c.froms, f)
}

// collect adds the FROM items an expression mentions (not descending into
// subqueries, which have their own FROM).
func (c *compiler) collect(base int, e Expr) {
	switch x := e.(type) {
	case *ColumnObj:
		if x.from != nil {
			c.addFrom(base, x.from)
		}
	case *BinaryExpr:
		c.collect(base, x.Left)
		c.collect(base, x.Right)
	case *BoolList:
		for _, it := range x.Items {
			c.collect(base, it)
		}
	case *UnaryExpr:
		c.collect(base, x.X)
	case *InExpr:
		c.collect(base, x.X)
		for _, it := range x.List {
			c.collect(base, it)
		}
	case *BetweenExpr:
		c.collect(base, x.X)
		c.collect(base, x.Lo)
		c.collect(base, x.Hi)
	case *FuncExpr:
		for _, a := range x.Args {
			c.collect(base, a)
		}
	case *LabelExpr:
		c.collect(base, x.X)
	case *starExpr:
		if x.from != nil {
			c.addFrom(base, x.from)
		}
	}
}

func (c *compiler) fromItem(f FromItem) {
	switch t := f.(type) {
	case *Table:
		c.ident("table", t.Name)
	case *TableAlias:
		c.ident("table", t.Table.Name)
		c.str(" AS ")
		c.ident("alias", t.Name)
	case *Subquery:
		if t.Sel == nil {
			c.fail(&StatementError{Construct: "subquery " + t.Name, Reason: "the select is nil"})
			return
		}
		c.b = append(c.b, '(')
		// A derived table cannot see the enclosing select's FROM.
		saved := c.outer
		c.outer = nil
		c.nestedSelect(t.Sel)
		c.outer = saved
		c.str(") AS ")
		c.ident("subquery", t.Name)
	case *Join:
		c.fromItem(t.Left)
		c.joinKeyword(t.Outer)
		c.fromItem(t.Right)
		c.str(" ON ")
		on := t.On
		if on == nil {
			var err error
			on, err = inferOn(t.Left, t.Right)
			if err != nil {
				c.fail(err)
				return
			}
		}
		c.cond(on, precLowest)
	default:
		c.fail(&StatementError{Construct: "FROM", Dialect: c.o.Name, Reason: "unknown FROM item"})
	}
}

func (c *compiler) joinKeyword(outer bool) {
	if outer {
		c.str(" LEFT OUTER JOIN ")
	} else {
		c.b = append(c.b, ' ')
		c.str(c.o.InnerJoin)
		c.b = append(c.b, ' ')
	}
}

// joinChain writes the joins of a select after its root FROM item.
func (c *compiler) joinChain(root FromItem, joins []joinStep) {
	for i, j := range joins {
		c.joinKeyword(j.outer)
		c.fromItem(j.right)
		c.str(" ON ")
		on := j.on
		if on == nil {
			// Only an inferred condition needs the chain so far as a tree.
			var left FromItem = root
			for _, prev := range joins[:i] {
				left = &Join{Left: left, Right: prev.right}
			}
			var err error
			on, err = inferOn(left, j.right)
			if err != nil {
				c.fail(err)
				return
			}
		}
		c.cond(on, precLowest)
	}
}

// inferOn finds the join condition from the one foreign key between the
// tables of left and the table of right.
func inferOn(left, right FromItem) (Expr, error) {
	rt, ralias := baseTable(right)
	if rt == nil {
		return nil, &StatementError{Construct: "JOIN", Reason: "give an ON condition when joining a subquery"}
	}
	var found []Expr
	var walk func(f FromItem)
	walk = func(f FromItem) {
		if j, ok := f.(*Join); ok {
			walk(j.Left)
			walk(j.Right)
			return
		}
		lt, lalias := baseTable(f)
		if lt == nil {
			return
		}
		// right references left, or left references right
		for _, fk := range rt.fks {
			if fk.RefTable == lt.Name {
				found = append(found, fkCond(ralias, rt, fk.Columns, lalias, lt, fk.RefColumns))
			}
		}
		if lt != rt {
			for _, fk := range lt.fks {
				if fk.RefTable == rt.Name {
					found = append(found, fkCond(lalias, lt, fk.Columns, ralias, rt, fk.RefColumns))
				}
			}
		}
	}
	walk(left)
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, &StatementError{Construct: "JOIN " + rt.Name, Reason: "no foreign key links it to the tables before it; give the ON condition"}
	}
	return nil, &StatementError{Construct: "JOIN " + rt.Name, Reason: "more than one foreign key links it to the tables before it; give the ON condition"}
}

func baseTable(f FromItem) (*Table, FromItem) {
	switch t := f.(type) {
	case *Table:
		return t, t
	case *TableAlias:
		return t.Table, t
	}
	return nil, nil
}

func fkCond(from FromItem, t *Table, cols []string, refFrom FromItem, rt *Table, refCols []string) Expr {
	conds := make([]Expr, 0, len(cols))
	for i := range cols {
		a := colOf(from, t, cols[i])
		b := colOf(refFrom, rt, refCols[i])
		conds = append(conds, a.Eq(b))
	}
	if len(conds) == 1 {
		return conds[0]
	}
	return And(conds...)
}

func colOf(from FromItem, t *Table, name string) *ColumnObj {
	if a, ok := from.(*TableAlias); ok {
		return a.C(name)
	}
	return t.C(name)
}

func (c *compiler) compound(s *CompoundSelect) {
	if s.err != nil {
		c.fail(s.err)
		return
	}
	for i, sel := range s.selects {
		if i > 0 {
			c.b = append(c.b, ' ')
			c.str(s.op)
			c.b = append(c.b, ' ')
		}
		// A member with its own ORDER BY / LIMIT needs parentheses, which
		// SQLite does not accept; keep members plain.
		if len(sel.orderBy) > 0 || sel.limit >= 0 || sel.offset >= 0 {
			c.fail(&StatementError{Construct: s.op, Dialect: c.o.Name,
				Reason: "a member select has ORDER BY / LIMIT / OFFSET; put them on the union itself"})
			return
		}
		c.selectStmt(sel)
	}
	lim := dialect.Limit{Limit: s.limit, Offset: s.offset, HasOrderBy: len(s.orderBy) > 0}
	if lim.HasLimit() && !lim.HasOffset() && c.d.Has(dialect.TopN) && !c.d.Has(dialect.LimitOffset) {
		// TOP n cannot apply to a whole UNION; OFFSET … FETCH can.
		if len(s.orderBy) == 0 {
			c.unsupported("LIMIT on a UNION without ORDER BY", "SQL Server needs ORDER BY for OFFSET … FETCH; add OrderBy(...)")
			return
		}
		lim.Offset = 0
	}
	c.orderLimit(s.orderBy, lim)
}
