package runner

import (
	"go/ast"
	"go/token"
	"strconv"
)

// nameModels gives interpreted models their Go names. yaegi builds a
// program's struct types at run time without a name (reflect's Name() is
// ""), so the ORM would call a model by its table ("INSERT products: …",
// Inspect(p).Model == "products") where the compiled program says
// "Product". For every call base.Map(T{}, …), base.MapInherited(T{}, …) or
// base.MapTable(T{}, …) on a variable that holds orm.NewBase(), with T a
// type the program declares, the runner appends orm.ModelName("T") — the
// option a learner could write — unless the call already names the model.
// Calls on other receivers are left alone (a learner's own Map method).
func nameModels(file *ast.File, ormLocal string) {
	if ormLocal == "" {
		return
	}
	types := map[string]bool{}
	bases := map[string]bool{}
	isNewBase := func(e ast.Expr) bool {
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return false
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		pkg, ok := sel.X.(*ast.Ident)
		return ok && pkg.Name == ormLocal && sel.Sel.Name == "NewBase"
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.TypeSpec:
			if x.TypeParams == nil {
				types[x.Name.Name] = true
			}
		case *ast.AssignStmt:
			for i, rhs := range x.Rhs {
				if i < len(x.Lhs) && isNewBase(rhs) {
					if id, ok := x.Lhs[i].(*ast.Ident); ok {
						bases[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for i, v := range x.Values {
				if i < len(x.Names) && isNewBase(v) {
					bases[x.Names[i].Name] = true
				}
			}
		}
		return true
	})
	if len(bases) == 0 {
		return
	}
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Ellipsis != token.NoPos || len(call.Args) < 2 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Map" && sel.Sel.Name != "MapInherited" && sel.Sel.Name != "MapTable") {
			return true
		}
		if recv, ok := sel.X.(*ast.Ident); !ok || !bases[recv.Name] {
			return true
		}
		name := modelTypeName(call.Args[0])
		if name == "" || !types[name] {
			return true
		}
		for _, a := range call.Args[2:] {
			if c, ok := a.(*ast.CallExpr); ok {
				if s, ok := c.Fun.(*ast.SelectorExpr); ok && s.Sel.Name == "ModelName" {
					return true
				}
			}
		}
		pos := call.Rparen
		call.Args = append(call.Args, &ast.CallExpr{
			Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: ormLocal}, Sel: &ast.Ident{NamePos: pos, Name: "ModelName"}},
			Lparen: pos,
			Args:   []ast.Expr{&ast.BasicLit{ValuePos: pos, Kind: token.STRING, Value: strconv.Quote(name)}},
			Rparen: pos,
		})
		return true
	})
}

// modelTypeName is T for the argument T{…} or &T{…}.
func modelTypeName(e ast.Expr) string {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return ""
	}
	if id, ok := lit.Type.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// ormPath is the import path of the package learners map models with.
const ormPath = "ormlab/orm"
