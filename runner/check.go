package runner

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"strconv"

	"ormlab/runner/trace"
)

// Checks the Go compiler makes and yaegi does not: without them a program
// would run in the playground and then fail to build with `go build`, which
// the lessons promise never happens. The three most common are done here,
// syntactically: an import that is not used, a local variable that is never
// used, and a function with results that can end without a return. (The
// variable check counts any mention as a use, so it is a little more
// lenient than Go's, never stricter.)

// checkFile returns the first such error in f, or nil. f must have been
// parsed with object resolution (prepare does).
func checkFile(fset *token.FileSet, f *ast.File) *trace.Error {
	if e := unusedImports(fset, f); e != nil {
		return e
	}
	if e := unusedVars(fset, f); e != nil {
		return e
	}
	return missingReturns(fset, f)
}

func unusedVars(fset *token.FileSet, f *ast.File) *trace.Error {
	declared := map[*ast.Object]*ast.Ident{}
	var order []*ast.Object
	declare := func(id *ast.Ident) {
		if id == nil || id.Name == "_" || id.Obj == nil || id.Obj.Kind != ast.Var {
			return
		}
		if _, ok := declared[id.Obj]; !ok {
			declared[id.Obj] = id
			order = append(order, id.Obj)
		}
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE {
					for _, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok && id.Obj != nil && id.Obj.Decl == x {
							declare(id)
						}
					}
				}
			case *ast.RangeStmt:
				if x.Tok == token.DEFINE {
					for _, e := range []ast.Expr{x.Key, x.Value} {
						if id, ok := e.(*ast.Ident); ok && id.Obj != nil && id.Obj.Pos() == id.Pos() {
							declare(id)
						}
					}
				}
			case *ast.DeclStmt:
				if gd, ok := x.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
					for _, sp := range gd.Specs {
						for _, id := range sp.(*ast.ValueSpec).Names {
							declare(id)
						}
					}
				}
			}
			return true
		})
	}
	if len(declared) == 0 {
		return nil
	}
	used := map[*ast.Object]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Obj != nil {
			if decl, ok := declared[id.Obj]; ok && decl != id {
				used[id.Obj] = true
			}
		}
		return true
	})
	for _, o := range order {
		if !used[o] {
			id := declared[o]
			return posError(fset, id.Pos(), trace.ErrCompile, fmt.Sprintf("declared and not used: %s", id.Name))
		}
	}
	return nil
}

func unusedImports(fset *token.FileSet, f *ast.File) *trace.Error {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, is := range f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		name := path.Base(p)
		if is.Name != nil {
			name = is.Name.Name
		}
		if name == "_" || name == "." {
			continue
		}
		if !used[name] {
			msg := fmt.Sprintf("%q imported and not used", p)
			if is.Name != nil {
				msg = fmt.Sprintf("%q imported as %s and not used", p, name)
			}
			return posError(fset, is.Pos(), trace.ErrCompile, msg)
		}
	}
	return nil
}

func missingReturns(fset *token.FileSet, f *ast.File) *trace.Error {
	var found *trace.Error
	check := func(ft *ast.FuncType, body *ast.BlockStmt) {
		if found != nil || body == nil || ft.Results == nil || len(ft.Results.List) == 0 {
			return
		}
		if !terminates(body) {
			found = posError(fset, body.Rbrace, trace.ErrCompile, "missing return")
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			check(x.Type, x.Body)
		case *ast.FuncLit:
			check(x.Type, x.Body)
		}
		return found == nil
	})
	return found
}

// terminates implements the Go specification's "terminating statements".
func terminates(s ast.Stmt) bool {
	switch x := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return x.Tok == token.GOTO || x.Tok == token.FALLTHROUGH
	case *ast.ExprStmt:
		if call, ok := x.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
		return false
	case *ast.BlockStmt:
		return len(x.List) > 0 && terminates(x.List[len(x.List)-1])
	case *ast.IfStmt:
		return x.Else != nil && terminates(x.Body) && terminates(x.Else)
	case *ast.LabeledStmt:
		return terminates(x.Stmt)
	case *ast.ForStmt:
		return x.Cond == nil && !breaks(x.Body, labelOf(x))
	case *ast.SwitchStmt:
		return clausesTerminate(x.Body, labelOf(x))
	case *ast.TypeSwitchStmt:
		return clausesTerminate(x.Body, labelOf(x))
	case *ast.SelectStmt:
		for _, c := range x.Body.List {
			cc := c.(*ast.CommClause)
			if len(cc.Body) == 0 || !terminates(cc.Body[len(cc.Body)-1]) || breaksList(cc.Body, "") {
				return false
			}
		}
		return true
	}
	return false
}

// labelOf is filled in by the caller's LabeledStmt; the common case, an
// unlabeled loop or switch, only looks for a bare break.
func labelOf(ast.Stmt) string { return "" }

func clausesTerminate(body *ast.BlockStmt, label string) bool {
	hasDefault := false
	for _, c := range body.List {
		cc := c.(*ast.CaseClause)
		if cc.List == nil {
			hasDefault = true
		}
		if len(cc.Body) == 0 || !terminates(cc.Body[len(cc.Body)-1]) || breaksList(cc.Body, label) {
			return false
		}
	}
	return hasDefault
}

func breaksList(list []ast.Stmt, label string) bool {
	for _, s := range list {
		if breaks(s, label) {
			return true
		}
	}
	return false
}

// breaks reports whether s contains a break that leaves the enclosing
// statement: an unlabeled break not inside a nested loop, switch or select,
// or any labeled break (conservatively: it may name the enclosing one).
func breaks(s ast.Node, label string) bool {
	found := false
	var walk func(n ast.Node, nested bool)
	walk = func(n ast.Node, nested bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if found || m == nil {
				return false
			}
			if m != n {
				switch m.(type) {
				case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
					walk(m, true)
					return false
				case *ast.FuncLit:
					return false
				}
			}
			if b, ok := m.(*ast.BranchStmt); ok && b.Tok == token.BREAK {
				if b.Label != nil || !nested {
					found = true
				}
			}
			return true
		})
	}
	walk(s, false)
	return found
}
