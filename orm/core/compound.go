package core

import "fmt"

// CompoundSelect is SELECT … UNION [ALL] SELECT …, with its own ORDER BY,
// LIMIT and OFFSET.
type CompoundSelect struct {
	op      string // "UNION" or "UNION ALL"
	selects []*SelectStmt
	orderBy []Expr
	limit   int64
	offset  int64
	err     error
}

func (*CompoundSelect) exprNode() {}

// Kind is "select".
func (*CompoundSelect) Kind() string { return KindSelect }

// Union combines selects with UNION (duplicates removed).
func Union(selects ...*SelectStmt) *CompoundSelect { return newCompound("UNION", selects) }

// UnionAll combines selects with UNION ALL.
func UnionAll(selects ...*SelectStmt) *CompoundSelect { return newCompound("UNION ALL", selects) }

func newCompound(op string, selects []*SelectStmt) *CompoundSelect {
	c := &CompoundSelect{op: op, limit: -1, offset: -1}
	if len(selects) < 2 {
		c.err = &StatementError{Construct: op, Reason: fmt.Sprintf("needs at least two selects, got %d", len(selects))}
	}
	for i, s := range selects {
		if s == nil {
			c.err = &StatementError{Construct: op, Reason: fmt.Sprintf("select %d is nil", i+1)}
			continue
		}
		c.selects = append(c.selects, s)
	}
	return c
}

func (c *CompoundSelect) clone() *CompoundSelect {
	n := *c
	n.orderBy = n.orderBy[:len(n.orderBy):len(n.orderBy)]
	return &n
}

// OrderBy orders the combined result (by name or expression).
func (c *CompoundSelect) OrderBy(items ...any) *CompoundSelect {
	n := c.clone()
	for _, it := range items {
		n.orderBy = append(n.orderBy, orderItem(it))
	}
	return n
}

// Limit limits the combined result.
func (c *CompoundSelect) Limit(v int) *CompoundSelect {
	n := c.clone()
	n.limit = int64(v)
	if v < 0 {
		n.err = &StatementError{Construct: "LIMIT", Reason: fmt.Sprintf("%d is negative", v)}
	}
	return n
}

// Offset skips rows of the combined result.
func (c *CompoundSelect) Offset(v int) *CompoundSelect {
	n := c.clone()
	n.offset = int64(v)
	if v < 0 {
		n.err = &StatementError{Construct: "OFFSET", Reason: fmt.Sprintf("%d is negative", v)}
	}
	return n
}

// Err reports a mistake made while building the statement.
func (c *CompoundSelect) Err() error { return c.err }
