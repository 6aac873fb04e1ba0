package core

import (
	"fmt"
	"strings"
)

// FromItem is something a SELECT reads from: *Table, *TableAlias,
// *Subquery or *Join.
type FromItem interface {
	fromNode()
}

// SelectStmt is a SELECT. Every method returns a new statement and leaves
// the receiver unchanged (as SQLAlchemy's generative select does), so a
// base query can be refined in several ways.
type SelectStmt struct {
	columns  []Expr
	froms    []FromItem
	joins    []joinStep
	where    []Expr
	groupBy  []Expr
	having   []Expr
	orderBy  []Expr
	limit    int64
	offset   int64
	distinct bool
	err      error
}

type joinStep struct {
	right FromItem
	on    Expr
	outer bool
}

func (*SelectStmt) exprNode() {}

// Kind is "select".
func (*SelectStmt) Kind() string { return KindSelect }

// Select starts a SELECT of columns: expressions, tables or aliases (all
// their columns), or "table.column" strings.
func Select(columns ...any) *SelectStmt {
	s := &SelectStmt{limit: -1, offset: -1}
	s.columns = s.addColumns(nil, columns)
	return s
}

func (s *SelectStmt) addColumns(dst []Expr, columns []any) []Expr {
	for _, c := range columns {
		switch x := c.(type) {
		case *Table:
			for _, col := range x.cols {
				dst = append(dst, col)
			}
		case *TableAlias:
			for _, col := range x.cols {
				dst = append(dst, col)
			}
		case *Subquery:
			for _, col := range x.cols {
				dst = append(dst, col)
			}
		case string:
			dst = append(dst, Col(x))
		case nil:
			s.fail(&StatementError{Construct: "SELECT", Reason: "a selected column is nil"})
		default:
			dst = append(dst, toExpr(c))
		}
	}
	return dst
}

func (s *SelectStmt) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// clone copies the statement; slices are capped so that appending to the
// copy never writes into the original's backing arrays.
func (s *SelectStmt) clone() *SelectStmt {
	c := *s
	c.columns = c.columns[:len(c.columns):len(c.columns)]
	c.froms = c.froms[:len(c.froms):len(c.froms)]
	c.joins = c.joins[:len(c.joins):len(c.joins)]
	c.where = c.where[:len(c.where):len(c.where)]
	c.groupBy = c.groupBy[:len(c.groupBy):len(c.groupBy)]
	c.having = c.having[:len(c.having):len(c.having)]
	c.orderBy = c.orderBy[:len(c.orderBy):len(c.orderBy)]
	return &c
}

// Columns adds columns to the select list.
func (s *SelectStmt) Columns(columns ...any) *SelectStmt {
	c := s.clone()
	c.columns = c.addColumns(c.columns, columns)
	return c
}

// Where adds conditions, joined with AND to any earlier ones.
func (s *SelectStmt) Where(conds ...Expr) *SelectStmt {
	c := s.clone()
	for _, e := range conds {
		if e != nil {
			c.where = append(c.where, e)
		}
	}
	return c
}

// Filter is Where.
func (s *SelectStmt) Filter(conds ...Expr) *SelectStmt { return s.Where(conds...) }

// From adds FROM items explicitly (tables the columns do not mention, or a
// Join built with core.Join).
func (s *SelectStmt) From(items ...FromItem) *SelectStmt {
	c := s.clone()
	for _, it := range items {
		if it == nil {
			c.fail(&StatementError{Construct: "SELECT … FROM", Reason: "a FROM item is nil"})
			continue
		}
		c.froms = append(c.froms, it)
	}
	return c
}

// Join adds an inner join to target from the statement's first FROM item.
// Without on, the condition comes from the single foreign key between them.
func (s *SelectStmt) Join(target FromItem, on ...Expr) *SelectStmt {
	return s.join(target, on, false)
}

// OuterJoin adds a LEFT OUTER JOIN.
func (s *SelectStmt) OuterJoin(target FromItem, on ...Expr) *SelectStmt {
	return s.join(target, on, true)
}

// LeftJoin is OuterJoin.
func (s *SelectStmt) LeftJoin(target FromItem, on ...Expr) *SelectStmt {
	return s.join(target, on, true)
}

func (s *SelectStmt) join(target FromItem, on []Expr, outer bool) *SelectStmt {
	c := s.clone()
	if target == nil {
		c.fail(&StatementError{Construct: "SELECT … JOIN", Reason: "the join target is nil"})
		return c
	}
	var cond Expr
	switch len(on) {
	case 0:
	case 1:
		cond = on[0]
	default:
		cond = And(on...)
	}
	c.joins = append(c.joins, joinStep{right: target, on: cond, outer: outer})
	return c
}

// GroupBy adds GROUP BY expressions (or "table.column" strings).
func (s *SelectStmt) GroupBy(items ...any) *SelectStmt {
	c := s.clone()
	for _, it := range items {
		c.groupBy = append(c.groupBy, orderItem(it))
	}
	return c
}

// Having adds HAVING conditions.
func (s *SelectStmt) Having(conds ...Expr) *SelectStmt {
	c := s.clone()
	for _, e := range conds {
		if e != nil {
			c.having = append(c.having, e)
		}
	}
	return c
}

// OrderBy adds ORDER BY items: expressions, x.Desc(), or names; a name
// starting with "-" sorts descending ("-created").
func (s *SelectStmt) OrderBy(items ...any) *SelectStmt {
	c := s.clone()
	for _, it := range items {
		c.orderBy = append(c.orderBy, orderItem(it))
	}
	return c
}

func orderItem(it any) Expr {
	if str, ok := it.(string); ok {
		if strings.HasPrefix(str, "-") {
			return Col(str[1:]).Desc()
		}
		return Col(str)
	}
	return toExpr(it)
}

// Limit sets LIMIT (TOP n on SQL Server).
func (s *SelectStmt) Limit(n int) *SelectStmt {
	c := s.clone()
	if n < 0 {
		c.fail(&StatementError{Construct: "LIMIT", Reason: fmt.Sprintf("%d is negative", n)})
	}
	c.limit = int64(n)
	return c
}

// Offset sets OFFSET (needs an ORDER BY on SQL Server).
func (s *SelectStmt) Offset(n int) *SelectStmt {
	c := s.clone()
	if n < 0 {
		c.fail(&StatementError{Construct: "OFFSET", Reason: fmt.Sprintf("%d is negative", n)})
	}
	c.offset = int64(n)
	return c
}

// Distinct makes it SELECT DISTINCT.
func (s *SelectStmt) Distinct() *SelectStmt {
	c := s.clone()
	c.distinct = true
	return c
}

// Scalar uses the select as a value: "(SELECT …)".
func (s *SelectStmt) Scalar() *ScalarSelect {
	x := &ScalarSelect{Sel: s}
	x.self = x
	return x
}

// Exists is EXISTS (this select).
func (s *SelectStmt) Exists() *ExistsExpr { return Exists(s) }

// Subquery names the select so that it can be used in FROM:
// FROM (SELECT …) AS name; read its columns with C.
func (s *SelectStmt) Subquery(name string) *Subquery {
	sq := &Subquery{Name: name, Sel: s}
	names := resultNames(s.columns, nil)
	for i, e := range s.columns {
		n := names[i]
		if n == "" {
			n = fmt.Sprintf("anon_%d", i+1)
		}
		col := &ColumnObj{Name: n, Type: typeOf(e), from: sq, nullable: true}
		col.self = col
		sq.cols = append(sq.cols, col)
	}
	return sq
}

// Union is this select UNION the others.
func (s *SelectStmt) Union(others ...*SelectStmt) *CompoundSelect {
	return newCompound("UNION", append([]*SelectStmt{s}, others...))
}

// UnionAll is this select UNION ALL the others.
func (s *SelectStmt) UnionAll(others ...*SelectStmt) *CompoundSelect {
	return newCompound("UNION ALL", append([]*SelectStmt{s}, others...))
}

// Err reports a mistake made while building the statement.
func (s *SelectStmt) Err() error { return s.err }

// ColumnNames are the names of the result columns (labels, column names,
// name_1 for a repeated name, "" for an unnamed expression).
func (s *SelectStmt) ColumnNames() []string { return resultNames(s.columns, nil) }

// resultNames computes each select-list item's result name, renaming
// repeats (name, name_1, …) the way the compiler labels them.
func resultNames(cols []Expr, dst []string) []string {
	dst = dst[:0]
	for _, e := range cols {
		n := baseName(e)
		if n != "" {
			n = uniqueName(n, dst)
		}
		dst = append(dst, n)
	}
	return dst
}

func uniqueName(n string, taken []string) string {
	if !contains(taken, n) {
		return n
	}
	for i := 1; ; i++ {
		cand := fmt.Sprintf("%s_%d", n, i)
		if !contains(taken, cand) {
			return cand
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func baseName(e Expr) string {
	switch x := e.(type) {
	case *ColumnObj:
		return x.Name
	case *ColumnRef:
		return x.Name
	case *LabelExpr:
		return x.Name
	}
	return ""
}

// Subquery is a named select in FROM.
type Subquery struct {
	Name string
	Sel  *SelectStmt
	cols []*ColumnObj
}

func (*Subquery) fromNode() {}

// C returns the subquery's column called name; a missing name gives a
// column carrying a *NoSuchColumnError (reported at compile time).
func (q *Subquery) C(name string) *ColumnObj {
	for _, c := range q.cols {
		if c.Name == name {
			return c
		}
	}
	c := &ColumnObj{Name: name, Type: nullType, from: q, err: &NoSuchColumnError{Table: q.Name, Column: name}}
	c.self = c
	return c
}

// Columns lists the subquery's columns.
func (q *Subquery) Columns() []*ColumnObj { return append([]*ColumnObj(nil), q.cols...) }

// Join is an explicit join, usable in From: core.Join(users, orgs, cond).
type Join struct {
	Left, Right FromItem
	On          Expr
	Outer       bool
}

func (*Join) fromNode() {}

// JoinOn is "left JOIN right ON on" (on nil: from the foreign key).
func JoinOn(left, right FromItem, on Expr) *Join { return &Join{Left: left, Right: right, On: on} }

// OuterJoinOn is "left LEFT OUTER JOIN right ON on".
func OuterJoinOn(left, right FromItem, on Expr) *Join {
	return &Join{Left: left, Right: right, On: on, Outer: true}
}

// Join chains another inner join onto j.
func (j *Join) Join(right FromItem, on Expr) *Join { return &Join{Left: j, Right: right, On: on} }

// OuterJoin chains a LEFT OUTER JOIN onto j.
func (j *Join) OuterJoin(right FromItem, on Expr) *Join {
	return &Join{Left: j, Right: right, On: on, Outer: true}
}
