package core

import (
	"time"

	"ormlab/dialect"
)

// Expr is a SQL expression: a column, a bound value, an operator, a function
// call, a subquery… Build them with the functions and methods of this
// package; the set is closed (the unexported method) so that the compiler
// knows every node kind.
type Expr interface {
	exprNode()
}

// ops gives every expression node the operator methods (Eq, Lt, Like, Add…).
// self is the node that embeds it.
type ops struct{ self Expr }

// Operator codes.
type opcode uint8

const (
	opEq opcode = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opLike
	opNotLike
	opILike
	opNotILike
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opConcat
	opAnd
	opOr
	opIs
	opIsNot
	// unary
	opNot
	opNeg
	opAsc
	opDesc
	opIsNull
	opIsNotNull
	opDistinct
)

var opText = [...]string{
	opEq: " = ", opNe: " != ", opLt: " < ", opLe: " <= ", opGt: " > ", opGe: " >= ",
	opLike: " LIKE ", opNotLike: " NOT LIKE ", opILike: " ILIKE ", opNotILike: " NOT ILIKE ",
	opAdd: " + ", opSub: " - ", opMul: " * ", opDiv: " / ", opMod: " % ", opConcat: " || ",
	opAnd: " AND ", opOr: " OR ", opIs: " IS ", opIsNot: " IS NOT ",
}

// Precedences, higher binds tighter; the compiler adds parentheses from them.
const (
	precAtom    = 100
	precUnary   = 95
	precMul     = 90
	precAdd     = 80
	precCompare = 50
	precNot     = 40
	precAnd     = 30
	precOr      = 20
	precLowest  = 0
)

func opPrec(op opcode) int {
	switch op {
	case opMul, opDiv, opMod:
		return precMul
	case opAdd, opSub, opConcat:
		return precAdd
	case opAnd:
		return precAnd
	case opOr:
		return precOr
	}
	return precCompare
}

func (o ops) bin(op opcode, v any) *BinaryExpr {
	b := &BinaryExpr{Left: o.self, Op: op, Right: bindFor(o.self, v)}
	b.self = b
	return b
}

// Eq is "x = v"; Eq(nil) is "x IS NULL".
func (o ops) Eq(v any) *BinaryExpr {
	if v == nil {
		return o.bin(opIs, Text("NULL"))
	}
	return o.bin(opEq, v)
}

// Ne is "x != v"; Ne(nil) is "x IS NOT NULL".
func (o ops) Ne(v any) *BinaryExpr {
	if v == nil {
		return o.bin(opIsNot, Text("NULL"))
	}
	return o.bin(opNe, v)
}

// Lt is "x < v".
func (o ops) Lt(v any) *BinaryExpr { return o.bin(opLt, v) }

// Le is "x <= v".
func (o ops) Le(v any) *BinaryExpr { return o.bin(opLe, v) }

// Gt is "x > v".
func (o ops) Gt(v any) *BinaryExpr { return o.bin(opGt, v) }

// Ge is "x >= v".
func (o ops) Ge(v any) *BinaryExpr { return o.bin(opGe, v) }

// Like is "x LIKE pattern".
func (o ops) Like(pattern any) *BinaryExpr { return o.bin(opLike, pattern) }

// NotLike is "x NOT LIKE pattern".
func (o ops) NotLike(pattern any) *BinaryExpr { return o.bin(opNotLike, pattern) }

// ILike is a case-insensitive LIKE: ILIKE on PostgreSQL, elsewhere
// "lower(x) LIKE lower(pattern)".
func (o ops) ILike(pattern any) *BinaryExpr { return o.bin(opILike, pattern) }

// NotILike is the negation of ILike.
func (o ops) NotILike(pattern any) *BinaryExpr { return o.bin(opNotILike, pattern) }

// Add is "x + v".
func (o ops) Add(v any) *BinaryExpr { return o.bin(opAdd, v) }

// Sub is "x - v".
func (o ops) Sub(v any) *BinaryExpr { return o.bin(opSub, v) }

// Mul is "x * v".
func (o ops) Mul(v any) *BinaryExpr { return o.bin(opMul, v) }

// Div is "x / v".
func (o ops) Div(v any) *BinaryExpr { return o.bin(opDiv, v) }

// Mod is "x % v".
func (o ops) Mod(v any) *BinaryExpr { return o.bin(opMod, v) }

// Concat is string concatenation: "x || v", concat(x, v) on MySQL,
// "x + v" on SQL Server.
func (o ops) Concat(v any) *BinaryExpr { return o.bin(opConcat, v) }

// In is "x IN (v1, v2, …)"; In(sel) with one *SelectStmt is "x IN (SELECT …)".
// An empty list is always false.
func (o ops) In(values ...any) *InExpr { return newIn(o.self, values, false) }

// NotIn is "x NOT IN (…)"; an empty list is always true.
func (o ops) NotIn(values ...any) *InExpr { return newIn(o.self, values, true) }

// Between is "x BETWEEN lo AND hi".
func (o ops) Between(lo, hi any) *BetweenExpr {
	b := &BetweenExpr{X: o.self, Lo: bindFor(o.self, lo), Hi: bindFor(o.self, hi)}
	b.self = b
	return b
}

// IsNull is "x IS NULL".
func (o ops) IsNull() *UnaryExpr { return newUnary(opIsNull, o.self) }

// IsNotNull is "x IS NOT NULL".
func (o ops) IsNotNull() *UnaryExpr { return newUnary(opIsNotNull, o.self) }

// Asc orders ascending (for OrderBy).
func (o ops) Asc() *UnaryExpr { return newUnary(opAsc, o.self) }

// Desc orders descending (for OrderBy).
func (o ops) Desc() *UnaryExpr { return newUnary(opDesc, o.self) }

// Neg is "-x".
func (o ops) Neg() *UnaryExpr { return newUnary(opNeg, o.self) }

// And is "x AND other…" (for conditions).
func (o ops) And(others ...Expr) *BoolList { return And(append([]Expr{o.self}, others...)...) }

// Or is "x OR other…".
func (o ops) Or(others ...Expr) *BoolList { return Or(append([]Expr{o.self}, others...)...) }

// Label names the expression in a select list: "x AS name".
func (o ops) Label(name string) *LabelExpr {
	l := &LabelExpr{X: o.self, Name: name}
	l.self = l
	return l
}

// ---- node kinds ----

// BindParam is a value sent to the database as a parameter (or inlined in
// the display form). Typ is the type of the expression it is compared or
// assigned to, when known, so the value can be checked against it.
type BindParam struct {
	ops
	Value any
	typ   Type
	col   *ColumnObj // the column the value is compared to / assigned to
	// standalone: made by Literal, its type guessed from the Go value, so
	// dialects that must know parameter types get a CAST.
	standalone bool
}

func (*BindParam) exprNode() {}

// TextClause is raw SQL, written as is. It can be an expression or a whole
// statement (core.Text("PRAGMA foreign_keys")).
type TextClause struct {
	ops
	SQL string
}

func (*TextClause) exprNode() {}

// ColumnRef is a column named by "table.column" or "column" that is not
// bound to a Table object (core.Col). It adds nothing to FROM.
type ColumnRef struct {
	ops
	Table, Name string
}

func (*ColumnRef) exprNode() {}

// BinaryExpr is "left op right" (comparison, arithmetic, LIKE, concat).
type BinaryExpr struct {
	ops
	Left, Right Expr
	Op          opcode
}

func (*BinaryExpr) exprNode() {}

// BoolList is AND / OR of several conditions.
type BoolList struct {
	ops
	Op    opcode
	Items []Expr
}

func (*BoolList) exprNode() {}

// UnaryExpr is NOT x, -x, x ASC/DESC, x IS [NOT] NULL, DISTINCT x.
type UnaryExpr struct {
	ops
	Op opcode
	X  Expr
}

func (*UnaryExpr) exprNode() {}

// InExpr is "x [NOT] IN (list)" or "x [NOT] IN (subquery)".
type InExpr struct {
	ops
	X    Expr
	List []Expr
	Sub  *SelectStmt
	Not  bool
}

func (*InExpr) exprNode() {}

// BetweenExpr is "x BETWEEN lo AND hi".
type BetweenExpr struct {
	ops
	X, Lo, Hi Expr
}

func (*BetweenExpr) exprNode() {}

// FuncExpr is a SQL function call, "name(args…)".
type FuncExpr struct {
	ops
	Name string
	Args []Expr
	// noParens: CURRENT_TIMESTAMP and friends take no parentheses.
	noParens bool
	typ      Type
}

func (*FuncExpr) exprNode() {}

// LabelExpr is "x AS name" in a select list.
type LabelExpr struct {
	ops
	X    Expr
	Name string
}

func (*LabelExpr) exprNode() {}

// ExistsExpr is "EXISTS (subquery)".
type ExistsExpr struct {
	ops
	Sel *SelectStmt
}

func (*ExistsExpr) exprNode() {}

// ScalarSelect is a subquery used as a value: "(SELECT …)".
type ScalarSelect struct {
	ops
	Sel *SelectStmt
}

func (*ScalarSelect) exprNode() {}

// starExpr is "*" or "table.*".
type starExpr struct {
	ops
	from FromItem
}

func (*starExpr) exprNode() {}

// errExpr carries a construction error to compile time, so that building a
// statement never panics and never needs an error return in a chain.
type errExpr struct {
	ops
	err error
}

func (*errExpr) exprNode() {}

func newUnary(op opcode, x Expr) *UnaryExpr {
	u := &UnaryExpr{Op: op, X: x}
	u.self = u
	return u
}

func newIn(x Expr, values []any, not bool) *InExpr {
	in := &InExpr{X: x, Not: not}
	in.self = in
	if len(values) == 1 {
		switch s := values[0].(type) {
		case *SelectStmt:
			in.Sub = s
			return in
		case []any:
			values = s
		}
	}
	if len(values) == 1 {
		// In([]int{1,2}) : spread a slice of any element type.
		if spread, ok := spreadSlice(values[0]); ok {
			values = spread
		}
	}
	in.List = make([]Expr, len(values))
	for i, v := range values {
		in.List[i] = bindFor(x, v)
	}
	return in
}

// ---- constructors ----

// Literal is a value as a bound parameter (rendered inline in the display
// form).
func Literal(v any) *BindParam {
	b := &BindParam{Value: v, typ: goType(v), standalone: true}
	b.self = b
	return b
}

// goType guesses the generic type of a Go value.
func goType(v any) Type {
	switch v.(type) {
	case int, int8, int16, int32, uint8, uint16:
		return Integer()
	case int64, uint, uint32, uint64:
		return BigInteger()
	case float32, float64:
		return Float()
	case string:
		return String(0)
	case bool:
		return Boolean()
	case time.Time:
		return DateTime()
	case []byte:
		return LargeBinary()
	}
	return nullType
}

// Text is raw SQL, as an expression or as a statement. It is written as
// given in every dialect: the author is responsible for portability.
func Text(sql string) *TextClause {
	t := &TextClause{SQL: sql}
	t.self = t
	return t
}

// Col names a column by "table.column" or "column", not bound to a Table.
// To get a bound column (with its type and FROM) use MetaData.Col or Table.C.
func Col(ref string) *ColumnRef {
	c := &ColumnRef{}
	if i := lastDot(ref); i >= 0 {
		c.Table, c.Name = ref[:i], ref[i+1:]
	} else {
		c.Name = ref
	}
	c.self = c
	return c
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

// And joins conditions with AND (nil items are skipped).
func And(conds ...Expr) *BoolList { return newBoolList(opAnd, conds) }

// Or joins conditions with OR (nil items are skipped).
func Or(conds ...Expr) *BoolList { return newBoolList(opOr, conds) }

func newBoolList(op opcode, conds []Expr) *BoolList {
	items := make([]Expr, 0, len(conds))
	for _, c := range conds {
		if c != nil {
			items = append(items, c)
		}
	}
	l := &BoolList{Op: op, Items: items}
	l.self = l
	return l
}

// Not is "NOT x".
func Not(x Expr) *UnaryExpr { return newUnary(opNot, x) }

// Asc orders by x ascending; x may be a column name.
func Asc(x any) *UnaryExpr { return newUnary(opAsc, toExpr(x)) }

// Desc orders by x descending; x may be a column name.
func Desc(x any) *UnaryExpr { return newUnary(opDesc, toExpr(x)) }

// Distinct is "DISTINCT x", for aggregates: Count(Distinct(x)).
func Distinct(x any) *UnaryExpr { return newUnary(opDistinct, toExpr(x)) }

// Exists is "EXISTS (sel)".
func Exists(sel *SelectStmt) *ExistsExpr {
	e := &ExistsExpr{Sel: sel}
	e.self = e
	return e
}

// Func is any SQL function call: Func("lower", x).
func Func(name string, args ...any) *FuncExpr {
	f := &FuncExpr{Name: name, typ: nullType}
	if len(args) > 0 {
		f.Args = make([]Expr, len(args))
		for i, a := range args {
			f.Args[i] = toExpr(a)
		}
	}
	f.self = f
	return f
}

func typedFunc(name string, typ Type, args ...any) *FuncExpr {
	f := Func(name, args...)
	f.typ = typ
	return f
}

// Count is count(x), or count(*) with no argument.
func Count(x ...any) *FuncExpr {
	if len(x) == 0 || x[0] == nil {
		f := typedFunc("count", Integer())
		f.Args = []Expr{&starExpr{}}
		return f
	}
	return typedFunc("count", Integer(), x...)
}

// Sum is sum(x).
func Sum(x any) *FuncExpr { return typedFunc("sum", typeOf(toExpr(x)), x) }

// Avg is avg(x).
func Avg(x any) *FuncExpr { return typedFunc("avg", Float(), x) }

// Min is min(x).
func Min(x any) *FuncExpr { return typedFunc("min", typeOf(toExpr(x)), x) }

// Max is max(x).
func Max(x any) *FuncExpr { return typedFunc("max", typeOf(toExpr(x)), x) }

// Lower is lower(x).
func Lower(x any) *FuncExpr { return typedFunc("lower", TextType(), x) }

// Upper is upper(x).
func Upper(x any) *FuncExpr { return typedFunc("upper", TextType(), x) }

// Coalesce is coalesce(a, b, …): the first argument that is not NULL.
func Coalesce(args ...any) *FuncExpr {
	if len(args) == 0 {
		return typedFunc("coalesce", nullType)
	}
	// Later values take the first argument's type, as a comparison would.
	first := toExpr(args[0])
	f := typedFunc("coalesce", typeOf(first))
	f.Args = make([]Expr, len(args))
	f.Args[0] = first
	for i, a := range args[1:] {
		f.Args[i+1] = bindFor(first, a)
	}
	return f
}

// CurrentTimestamp is CURRENT_TIMESTAMP.
func CurrentTimestamp() *FuncExpr {
	f := typedFunc("CURRENT_TIMESTAMP", DateTime())
	f.noParens = true
	return f
}

// Star is "*" in a select list.
func Star() Expr { return &starExpr{} }

// ---- helpers ----

// toExpr turns a Go value into an expression: expressions stay, a
// *SelectStmt becomes a scalar subquery, anything else is a bound value.
func toExpr(v any) Expr {
	switch x := v.(type) {
	case Expr:
		if x == nil {
			return Literal(nil)
		}
		if s, ok := x.(*SelectStmt); ok {
			return s.Scalar()
		}
		return x
	}
	return Literal(v)
}

// bindFor turns the right side of an operator into an expression, typing
// bound values after the left side.
func bindFor(left Expr, v any) Expr {
	if e, ok := v.(Expr); ok && e != nil {
		if s, ok := e.(*SelectStmt); ok {
			return s.Scalar()
		}
		return e
	}
	b := &BindParam{Value: v, typ: typeOf(left)}
	if c, ok := left.(*ColumnObj); ok {
		b.col = c
	}
	b.self = b
	return b
}

// typeOf is the (generic) type of an expression, nullType when unknown.
func typeOf(e Expr) Type {
	switch x := e.(type) {
	case *ColumnObj:
		return x.Type
	case *BindParam:
		return x.typ
	case *BinaryExpr:
		switch x.Op {
		case opAdd, opSub, opMul, opDiv, opMod, opConcat:
			return typeOf(x.Left)
		}
		return Boolean()
	case *FuncExpr:
		return x.typ
	case *LabelExpr:
		return typeOf(x.X)
	case *UnaryExpr:
		switch x.Op {
		case opNot, opIsNull, opIsNotNull:
			return Boolean()
		}
		return typeOf(x.X)
	case *BoolList, *InExpr, *BetweenExpr, *ExistsExpr:
		return Boolean()
	case *ScalarSelect:
		if x.Sel != nil && len(x.Sel.columns) == 1 {
			return typeOf(x.Sel.columns[0])
		}
	}
	return nullType
}

var _ = dialect.TypeNull
