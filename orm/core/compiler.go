package core

import (
	"fmt"
	"strings"
	"sync"

	"ormlab/dialect"
	_ "ormlab/dialect/all" // so that dialect.Get knows all four wherever core is used
)

// Statement kinds (Compiled.Kind), as in the runner's trace.
const (
	KindSelect = "select"
	KindInsert = "insert"
	KindUpdate = "update"
	KindDelete = "delete"
	KindDDL    = "ddl"
	KindOther  = "other"
)

// Executable is any statement Compile accepts: *SelectStmt,
// *CompoundSelect, *InsertStmt, *UpdateStmt, *DeleteStmt, the DDL
// statements and *TextClause.
type Executable interface {
	Kind() string
}

// Compiled is a statement compiled for one dialect.
type Compiled struct {
	SQL     string
	Params  []any // in the driver's order ($1, @p1 or ? order)
	Kind    string
	Dialect string
	// Returns is true when the statement yields rows (a SELECT, or DML
	// with RETURNING / OUTPUT).
	Returns bool
}

// Compile compiles stmt for d with bound parameters in d's driver style.
// Errors are wrapped in *CompileError (naming kind and dialect) around a
// typed cause: *dialect.UnsupportedError, *NoSuchColumnError, *TypeError….
func Compile(stmt Executable, d dialect.Dialect) (Compiled, error) {
	return compile(stmt, d, false)
}

// CompileInline compiles stmt for d with every value inlined as a safely
// escaped literal: the display form, for reading, not for running.
func CompileInline(stmt Executable, d dialect.Dialect) (string, error) {
	c, err := compile(stmt, d, true)
	return c.SQL, err
}

// CompileFor is Compile with a dialect name ("sqlite", "postgresql"…).
func CompileFor(stmt Executable, dialectName string) (Compiled, error) {
	d, err := dialect.Get(dialectName)
	if err != nil {
		return Compiled{}, err
	}
	return Compile(stmt, d)
}

// CompileAll compiles stmt for the four dialects in display order (inline
// form); a statement with RETURNING is shown without it, under a note, on a
// dialect that has none (MySQL); a dialect that cannot express it otherwise
// gets "-- " and the error. It is
// what the playground shows side by side.
func CompileAll(stmt Executable) map[string]string {
	out := make(map[string]string, 4)
	for _, n := range dialect.Names() {
		d, err := dialect.Get(n)
		if err == nil {
			var s string
			s, err = CompileInline(stmt, d)
			if err == nil {
				out[n] = s
				continue
			}
			if stripped, ok := StripReturning(stmt); ok {
				if s2, err2 := CompileInline(stripped, d); err2 == nil {
					out[n] = NoReturningNote + s2
					continue
				}
			}
		}
		out[n] = "-- " + err.Error()
	}
	return out
}

type compiler struct {
	d      dialect.Dialect
	o      *dialect.Options
	b      []byte
	params []any
	inline bool
	err    error
	// outer holds the FROM items of enclosing selects (correlation).
	outer []FromItem
	// froms is scratch space for FROM lists, used as a stack.
	froms []FromItem
	// colPrefix/unqualified change how columns render (OUTPUT, RETURNING,
	// INSERT column lists, DDL).
	colPrefix   string
	unqualified bool
	// depth counts enclosing selects (0: the statement itself).
	depth int
}

var compilerPool = sync.Pool{New: func() any { return &compiler{b: make([]byte, 0, 256)} }}

// dialectName is d.Name(), or "" when d is nil or broken (an interpreter
// may hand over a nil pointer inside a non-nil interface).
func dialectName(d dialect.Dialect) (name string) {
	if d == nil {
		return ""
	}
	defer func() {
		if recover() != nil {
			name = ""
		}
	}()
	if d.Options() == nil {
		return ""
	}
	return d.Name()
}

// stmtKind is stmt.Kind(), or "other" for a nil statement.
func stmtKind(stmt Executable) (kind string) {
	defer func() {
		if recover() != nil {
			kind = KindOther
		}
	}()
	if stmt == nil {
		return KindOther
	}
	return stmt.Kind()
}

func compile(stmt Executable, d dialect.Dialect, inline bool) (res Compiled, err error) {
	name := dialectName(d)
	if name == "" {
		return Compiled{}, &dialect.UnknownDialectError{Name: "<nil>", Known: dialect.Names()}
	}
	kind := stmtKind(stmt)
	// A compiler bug must never become a learner's panic.
	defer func() {
		if r := recover(); r != nil {
			res = Compiled{}
			err = &CompileError{Kind: kind, Dialect: name, Err: fmt.Errorf("internal compiler error: %v", r)}
		}
	}()
	c := compilerPool.Get().(*compiler)
	c.d, c.o, c.inline = d, d.Options(), inline
	c.b = c.b[:0]
	c.params = nil
	c.err = nil
	returns := c.statement(stmt)
	if c.err != nil {
		err = &CompileError{Kind: kind, Dialect: name, Err: c.err}
	} else {
		res = Compiled{SQL: string(c.b), Params: c.params, Kind: kind, Dialect: name, Returns: returns}
	}
	c.params, c.outer, c.froms = nil, c.outer[:0], c.froms[:0]
	c.colPrefix, c.unqualified, c.depth = "", false, 0
	if cap(c.b) <= 64<<10 {
		compilerPool.Put(c)
	}
	return res, err
}

func (c *compiler) fail(err error) {
	if c.err == nil && err != nil {
		c.err = err
	}
}

func (c *compiler) unsupported(construct, hint string) {
	c.fail(&dialect.UnsupportedError{Construct: construct, Dialect: c.o.Name, Hint: hint})
}

func (c *compiler) str(s string) { c.b = append(c.b, s...) }

// ident writes a quoted-if-needed name, validating it for this dialect.
func (c *compiler) ident(kind, name string) {
	// Fast path: printable ASCII within the length limit is always valid;
	// anything else gets the dialect's full check.
	if !printableASCII(name) || (c.o.MaxIdentLength > 0 && len(name) > c.o.MaxIdentLength) {
		if err := c.d.ValidateIdent(kind, name); err != nil {
			c.fail(err)
		}
	}
	c.b = c.d.AppendIdent(c.b, name)
}

func printableASCII(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func (c *compiler) statement(stmt Executable) bool {
	switch s := stmt.(type) {
	case *SelectStmt:
		if s == nil {
			break
		}
		c.selectStmt(s)
		return true
	case *CompoundSelect:
		if s == nil {
			break
		}
		c.compound(s)
		return true
	case *InsertStmt:
		if s == nil {
			break
		}
		c.insert(s)
		return len(s.returning) > 0
	case *UpdateStmt:
		if s == nil {
			break
		}
		c.update(s)
		return len(s.returning) > 0
	case *DeleteStmt:
		if s == nil {
			break
		}
		c.delete(s)
		return len(s.returning) > 0
	case *CreateTableStmt:
		if s != nil {
			c.createTable(s)
			return false
		}
	case *DropTableStmt:
		if s != nil {
			c.dropTable(s)
			return false
		}
	case *CreateIndexStmt:
		if s != nil {
			c.createIndex(s)
			return false
		}
	case *DropIndexStmt:
		if s != nil {
			c.dropIndex(s)
			return false
		}
	case *AddConstraintStmt:
		if s != nil {
			c.addConstraint(s)
			return false
		}
	case *DropConstraintStmt:
		if s != nil {
			c.dropConstraint(s)
			return false
		}
	case *TextClause:
		if s != nil {
			c.str(s.SQL)
			return s.Kind() == KindSelect
		}
	}
	c.fail(&StatementError{Construct: fmt.Sprintf("%T", stmt), Dialect: c.o.Name, Reason: "is not a statement this compiler knows (nil?)"})
	return false
}

// Kind guesses a raw statement's kind from its first word.
func (t *TextClause) Kind() string {
	w := strings.ToLower(firstWord(t.SQL))
	switch w {
	case "select", "with", "values", "pragma", "show", "explain":
		return KindSelect
	case "insert", "replace":
		return KindInsert
	case "update":
		return KindUpdate
	case "delete":
		return KindDelete
	case "create", "drop", "alter", "truncate":
		return KindDDL
	case "begin", "commit", "rollback", "savepoint":
		return w
	}
	return KindOther
}

func firstWord(s string) string {
	s = strings.TrimLeft(s, " \t\r\n(")
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '(' || s[i] == ';' {
			return s[:i]
		}
	}
	return s
}

// ---- expressions ----

// expr writes e, in parentheses when it binds more loosely than prec.
func (c *compiler) expr(e Expr, prec int) {
	switch x := e.(type) {
	case nil:
		c.fail(&StatementError{Construct: "expression", Dialect: c.o.Name, Reason: "is nil"})
	case *ColumnObj:
		c.column(x)
	case *BindParam:
		if x.standalone {
			c.literalParam(x)
			return
		}
		c.bind(x.Value, x.typ, x.col)
	case *TextClause:
		c.str(x.SQL)
	case *ColumnRef:
		c.columnRef(x)
	case *BinaryExpr:
		c.binary(x, prec)
	case *BoolList:
		c.boolList(x, prec)
	case *UnaryExpr:
		c.unary(x, prec)
	case *InExpr:
		c.in(x, prec)
	case *BetweenExpr:
		c.between(x, prec)
	case *FuncExpr:
		c.function(x)
	case *LabelExpr:
		// Inside an expression a label is just its expression; ORDER BY
		// and GROUP BY refer to it by name (orderItems).
		c.expr(x.X, prec)
	case *ExistsExpr:
		if x.Sel == nil {
			c.fail(&StatementError{Construct: "EXISTS", Reason: "the select is nil"})
			return
		}
		c.str("EXISTS (")
		c.nestedSelect(x.Sel)
		c.b = append(c.b, ')')
	case *ScalarSelect:
		if x.Sel == nil {
			c.fail(&StatementError{Construct: "scalar subquery", Reason: "the select is nil"})
			return
		}
		c.b = append(c.b, '(')
		c.nestedSelect(x.Sel)
		c.b = append(c.b, ')')
	case *SelectStmt:
		c.b = append(c.b, '(')
		c.nestedSelect(x)
		c.b = append(c.b, ')')
	case *starExpr:
		if x.from != nil {
			c.fromName(x.from)
			c.b = append(c.b, '.')
		}
		c.b = append(c.b, '*')
	case *errExpr:
		c.fail(x.err)
	case *CompoundSelect:
		c.b = append(c.b, '(')
		c.compound(x)
		c.b = append(c.b, ')')
	default:
		c.fail(&StatementError{Construct: fmt.Sprintf("%T", e), Dialect: c.o.Name, Reason: "is not an expression"})
	}
}

func (c *compiler) column(x *ColumnObj) {
	if x.err != nil {
		c.fail(x.err)
	}
	if c.colPrefix != "" {
		c.str(c.colPrefix)
	} else if !c.unqualified && x.from != nil {
		c.fromName(x.from)
		c.b = append(c.b, '.')
	}
	c.ident("column", x.Name)
}

// fromName writes the name a FROM item is referred to by.
func (c *compiler) fromName(f FromItem) {
	switch t := f.(type) {
	case *Table:
		c.ident("table", t.Name)
	case *TableAlias:
		c.ident("alias", t.Name)
	case *Subquery:
		c.ident("subquery", t.Name)
	default:
		c.fail(&StatementError{Construct: fmt.Sprintf("%T", f), Reason: "cannot qualify a column"})
	}
}

func (c *compiler) columnRef(x *ColumnRef) {
	if x.Table != "" && !c.unqualified {
		c.ident("table", x.Table)
		c.b = append(c.b, '.')
	}
	if x.Name == "*" {
		c.b = append(c.b, '*')
		return
	}
	c.ident("column", x.Name)
}

// bind writes a value as a placeholder (or inline literal) after checking
// it fits the type it is compared with or assigned to.
func (c *compiler) bind(v any, typ Type, col *ColumnObj) {
	if typ.spec.Kind != dialect.TypeNull && typ.spec.Kind != dialect.TypeInvalid {
		var err error
		v, err = prepValue(col, typ, v, c.o.Name)
		if err != nil {
			c.fail(err)
			return
		}
	}
	if c.inline {
		var err error
		c.b, err = c.d.AppendLiteral(c.b, v)
		c.fail(err)
		return
	}
	if c.params == nil {
		c.params = make([]any, 0, 8)
	}
	c.params = append(c.params, v)
	c.b = c.d.AppendPlaceholder(c.b, len(c.params))
}

// literalParam writes a core.Literal value: a plain parameter, or
// CAST(param AS type) where the server must know parameter types.
func (c *compiler) literalParam(x *BindParam) {
	k := x.typ.spec.Kind
	if c.inline || !c.o.CastLiteralParams || k == dialect.TypeNull || k == dialect.TypeInvalid {
		c.bind(x.Value, x.typ, nil)
		return
	}
	name, err := c.d.TypeName(x.typ.spec)
	if err != nil {
		c.bind(x.Value, x.typ, nil)
		return
	}
	c.str("CAST(")
	c.bind(x.Value, x.typ, nil)
	c.str(" AS ")
	c.str(name)
	c.b = append(c.b, ')')
}

func (c *compiler) open(need bool) {
	if need {
		c.b = append(c.b, '(')
	}
}

func (c *compiler) close(need bool) {
	if need {
		c.b = append(c.b, ')')
	}
}

func (c *compiler) binary(x *BinaryExpr, prec int) {
	switch x.Op {
	case opILike, opNotILike:
		if !c.d.Has(dialect.ILike) {
			// lower(x) LIKE lower(y): the portable case-insensitive match.
			p := prec > precCompare
			c.open(p)
			c.str("lower(")
			c.expr(x.Left, precLowest)
			if x.Op == opILike {
				c.str(") LIKE lower(")
			} else {
				c.str(") NOT LIKE lower(")
			}
			c.expr(x.Right, precLowest)
			c.b = append(c.b, ')')
			c.close(p)
			return
		}
	case opConcat:
		switch c.o.Concat {
		case dialect.ConcatFunc:
			c.str("concat(")
			c.concatArgs(x)
			c.b = append(c.b, ')')
			return
		case dialect.ConcatPlus:
			c.arith(x, " + ", prec)
			return
		}
	}
	c.arith(x, opText[x.Op], prec)
}

func (c *compiler) concatArgs(x *BinaryExpr) {
	if l, ok := x.Left.(*BinaryExpr); ok && l.Op == opConcat {
		c.concatArgs(l)
	} else {
		c.expr(x.Left, precLowest)
	}
	c.str(", ")
	c.expr(x.Right, precLowest)
}

func (c *compiler) arith(x *BinaryExpr, op string, prec int) {
	p := opPrec(x.Op)
	paren := prec > p
	c.open(paren)
	c.expr(x.Left, p)
	c.str(op)
	// The right side of a non-associative operator needs parentheses at
	// equal precedence: a - (b - c).
	c.expr(x.Right, p+1)
	c.close(paren)
}

func (c *compiler) boolList(x *BoolList, prec int) {
	if len(x.Items) == 0 {
		// An empty AND is true, an empty OR false.
		if x.Op == opAnd {
			c.str("1 = 1")
		} else {
			c.str("1 != 1")
		}
		return
	}
	if len(x.Items) == 1 {
		c.cond(x.Items[0], prec)
		return
	}
	p := opPrec(x.Op)
	paren := prec > p
	c.open(paren)
	for i, it := range x.Items {
		if i > 0 {
			c.str(opText[x.Op])
		}
		// AND and OR are associative: a nested list of the same kind
		// needs no parentheses, a looser one (OR inside AND) does.
		c.cond(it, p)
	}
	c.close(paren)
}

// cond writes a condition. Dialects without a native boolean cannot use a
// boolean column alone as a condition: "active" becomes "active = 1".
func (c *compiler) cond(e Expr, prec int) {
	if !c.d.Has(dialect.NativeBoolean) && isBareBool(e) {
		p := prec > precCompare
		c.open(p)
		c.expr(e, precCompare)
		c.str(" = ")
		c.b = c.d.AppendBool(c.b, true)
		c.close(p)
		return
	}
	c.expr(e, prec)
}

func isBareBool(e Expr) bool {
	switch x := e.(type) {
	case *ColumnObj:
		return x.Type.spec.Kind == dialect.TypeBoolean
	case *BindParam:
		_, ok := x.Value.(bool)
		return ok
	}
	return false
}

func (c *compiler) unary(x *UnaryExpr, prec int) {
	switch x.Op {
	case opNot:
		if !c.d.Has(dialect.NativeBoolean) && isBareBool(x.X) {
			p := prec > precCompare
			c.open(p)
			c.expr(x.X, precCompare)
			c.str(" = ")
			c.b = c.d.AppendBool(c.b, false)
			c.close(p)
			return
		}
		p := prec > precNot
		c.open(p)
		c.str("NOT ")
		// Always parenthesise a compound operand: NOT (a = b) reads clearly
		// and means the same in every dialect.
		c.cond(x.X, precAtom)
		c.close(p)
	case opNeg:
		c.b = append(c.b, '-')
		c.expr(x.X, precUnary)
	case opAsc:
		c.expr(x.X, precCompare)
		c.str(" ASC")
	case opDesc:
		c.expr(x.X, precCompare)
		c.str(" DESC")
	case opIsNull, opIsNotNull:
		p := prec > precCompare
		c.open(p)
		c.expr(x.X, precCompare+1)
		if x.Op == opIsNull {
			c.str(" IS NULL")
		} else {
			c.str(" IS NOT NULL")
		}
		c.close(p)
	case opDistinct:
		c.str("DISTINCT ")
		c.expr(x.X, precCompare)
	}
}

func (c *compiler) in(x *InExpr, prec int) {
	p := prec > precCompare
	if x.Sub == nil && len(x.List) == 0 {
		// IN () is not SQL: an empty IN is false, an empty NOT IN true.
		c.open(p)
		if x.Not {
			c.str("1 = 1")
		} else {
			c.str("1 != 1")
		}
		c.close(p)
		return
	}
	c.open(p)
	c.expr(x.X, precCompare+1)
	if x.Not {
		c.str(" NOT IN (")
	} else {
		c.str(" IN (")
	}
	if x.Sub != nil {
		c.nestedSelect(x.Sub)
	} else {
		for i, v := range x.List {
			if i > 0 {
				c.str(", ")
			}
			c.expr(v, precLowest)
		}
	}
	c.b = append(c.b, ')')
	c.close(p)
}

func (c *compiler) between(x *BetweenExpr, prec int) {
	p := prec > precCompare
	c.open(p)
	c.expr(x.X, precCompare+1)
	c.str(" BETWEEN ")
	c.expr(x.Lo, precCompare+1)
	c.str(" AND ")
	c.expr(x.Hi, precCompare+1)
	c.close(p)
}

func (c *compiler) function(x *FuncExpr) {
	if !validFuncName(x.Name) {
		c.fail(&dialect.IdentifierError{Kind: "function", Name: x.Name, Dialect: c.o.Name,
			Reason: "a function name is letters, digits, _ and . only (it is written unquoted)"})
		return
	}
	c.str(x.Name)
	if x.noParens {
		return
	}
	c.b = append(c.b, '(')
	for i, a := range x.Args {
		if i > 0 {
			c.str(", ")
		}
		c.expr(a, precLowest)
	}
	c.b = append(c.b, ')')
}

func validFuncName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '.') {
			return false
		}
	}
	return true
}
