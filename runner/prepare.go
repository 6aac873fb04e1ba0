package runner

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"strconv"
	"strings"

	"ormlab/runner/trace"
)

// rtName is the identifier under which the runner's own hooks are imported
// into the program (see hooks.go). Learners cannot import the package
// themselves: it is not in the allow-list, which is checked before the
// import is injected.
const (
	rtName = "ormlabrt_"
	rtPath = "ormlab/runner/rt"
)

// prepared is a program parsed, checked and rewritten, ready for yaegi.
type prepared struct {
	file *ast.File // every file merged into one (yaegi compiles one AST)
}

// prepare parses the files into fset, refuses imports outside the
// playground, and rewrites the program so the runner can guard it:
//
//   - main gets a deferred hook that reports how it ended (a panic or a
//     return), so a finished program's leftover goroutines can be stopped.
//   - every go statement runs its call under a deferred hook that turns a
//     panic into the run's runtime error: in yaegi a panic on another
//     goroutine is not recovered and would kill the whole process (or the
//     browser worker).
//
// The files are merged into one *ast.File: yaegi's CompileAST takes a
// single node, and positions stay per file because each file is parsed into
// the same FileSet under its own name.
//   - loop variables get Go 1.22's per-iteration semantics, which yaegi
//     (written for older Go) lacks: closures and pointers taken in a loop
//     body must see that iteration's value.
//   - with ticks (the browser build), every loop body first calls a hook
//     that lets other goroutines run: js/wasm has no preemption, so without
//     it an endless loop would starve the goroutine that enforces the time
//     limit.
func prepare(fset *token.FileSet, files []File, allowed func(string) bool, ticks bool) (*prepared, *trace.Error) {
	if len(files) == 0 {
		return nil, &trace.Error{Kind: trace.ErrCompile, Message: "no Go files to run"}
	}
	var parsed []*ast.File
	seen := map[string]bool{}
	for _, f := range files {
		name := f.Name
		if name == "" {
			name = "main.go"
		}
		if seen[name] {
			return nil, &trace.Error{Kind: trace.ErrCompile, Message: fmt.Sprintf("two files are named %q", name)}
		}
		seen[name] = true
		// Object resolution is kept: the checks of check.go use it.
		af, err := parser.ParseFile(fset, name, f.Content, parser.ParseComments)
		if err != nil {
			return nil, parseError(err)
		}
		if af.Name.Name != "main" {
			return nil, posError(fset, af.Name.Pos(), trace.ErrCompile,
				fmt.Sprintf("package %s: a playground program is package main (every file)", af.Name.Name))
		}
		parsed = append(parsed, af)
	}

	merged := &ast.File{Name: ast.NewIdent("main"), Package: parsed[0].Package}
	type imp struct{ path, name string }
	byName := map[string]imp{}
	var importSpecs []ast.Spec
	hasMain := false
	for _, af := range parsed {
		for _, is := range af.Imports {
			p, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				return nil, posError(fset, is.Path.Pos(), trace.ErrCompile, "malformed import path "+is.Path.Value)
			}
			if !allowed(p) {
				return nil, posError(fset, is.Path.Pos(), trace.ErrCompile,
					fmt.Sprintf("package %q is not available in the playground", p))
			}
			local := path.Base(p)
			if is.Name != nil {
				local = is.Name.Name
			}
			if local == "_" || local == "." {
				// Blank and dot imports are kept as written (no merge conflict possible
				// for blank; dot imports are rare and yaegi handles them per package).
				importSpecs = append(importSpecs, is)
				continue
			}
			if prev, ok := byName[local]; ok {
				if prev.path != p {
					return nil, posError(fset, is.Pos(), trace.ErrCompile,
						fmt.Sprintf("%s is imported as both %q and %q in this program; rename one import", local, prev.path, p))
				}
				continue
			}
			byName[local] = imp{p, local}
			importSpecs = append(importSpecs, is)
		}
		for _, d := range af.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				continue
			}
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" && fd.Body != nil {
				hasMain = true
				guardMain(fd)
			}
			merged.Decls = append(merged.Decls, d)
		}
	}
	for _, af := range parsed {
		if e := checkFile(fset, af); e != nil {
			return nil, e
		}
	}
	if !hasMain {
		return nil, &trace.Error{Kind: trace.ErrCompile, Message: "function main is undeclared in the main package", File: parsed[0].Name.Name}
	}
	for _, af := range parsed {
		hideUnexportedFields(af)
	}
	ormLocal := ""
	for local, im := range byName {
		if im.path == ormPath {
			ormLocal = local
		}
	}
	nameModels(merged, ormLocal)
	consts := constNames(parsed)
	for _, d := range merged.Decls {
		ast.Inspect(d, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Body != nil {
					countCall(x.Body)
				}
			case *ast.FuncLit:
				countCall(x.Body)
			case *ast.CallExpr:
				parenFuncLits(x)
			case *ast.GoStmt:
				guardGo(x, consts)
			case *ast.ForStmt:
				perIterationFor(x)
				if ticks {
					x.Body.List = append([]ast.Stmt{&ast.ExprStmt{X: rtCall("Tick")}}, x.Body.List...)
				}
			case *ast.RangeStmt:
				perIterationRange(x)
				if ticks {
					x.Body.List = append([]ast.Stmt{&ast.ExprStmt{X: rtCall("Tick")}}, x.Body.List...)
				}
			}
			return true
		})
	}
	importSpecs = append(importSpecs, &ast.ImportSpec{
		Name: ast.NewIdent(rtName),
		Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(rtPath)},
	})
	merged.Decls = append([]ast.Decl{&ast.GenDecl{Tok: token.IMPORT, Lparen: 1, Specs: importSpecs, Rparen: 1}}, merged.Decls...)
	for _, s := range importSpecs {
		merged.Imports = append(merged.Imports, s.(*ast.ImportSpec))
	}
	return &prepared{file: merged}, nil
}

// parenFuncLits puts every function literal passed as an argument in
// parentheses. yaegi turns a literal passed straight to a compiled function
// (clock.Go(func() {…}) in a loop) into a Go func that reads the variables
// it captures when it is called, not as they were when it was created, so
// every such closure made in a loop saw the last iteration's values; a
// parenthesised literal is made into a closure value first, as Go does.
func parenFuncLits(call *ast.CallExpr) {
	for i, a := range call.Args {
		if fl, ok := a.(*ast.FuncLit); ok {
			call.Args[i] = &ast.ParenExpr{Lparen: fl.Pos(), X: fl, Rparen: fl.End() - 1}
		}
	}
}

// countCall makes every function body start with a call to the runner's
// Enter hook, which watches the stack depth: Go's own limit (a 1 GB stack)
// is a fatal error that would take the process or the browser worker down,
// so the runner panics first, recoverably (stack.go).
//
// The call carries the position of the body's opening brace: yaegi's panic
// banner names a function by the position of its first statement, and a
// runaway recursion is reported with that position.
func countCall(body *ast.BlockStmt) {
	call := rtCall("Enter")
	sel := call.Fun.(*ast.SelectorExpr)
	sel.X.(*ast.Ident).NamePos = body.Lbrace
	sel.Sel.NamePos = body.Lbrace
	call.Lparen, call.Rparen = body.Lbrace, body.Lbrace
	body.List = append([]ast.Stmt{&ast.ExprStmt{X: call}}, body.List...)
}

// rtCall builds ormlabrt_.<fn>(args...). Injected nodes carry no position:
// the panic locator (panicpos.go) ignores steps without a position, so the
// guards never hide the line that really panicked.
func rtCall(fn string, args ...ast.Expr) *ast.CallExpr {
	return &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent(rtName), Sel: ast.NewIdent(fn)}, Args: args}
}

// deferRecover builds `defer func() { ormlabrt_.<fn>(recover()) }()`.
func deferRecover(fn string) ast.Stmt {
	rec := &ast.CallExpr{Fun: ast.NewIdent("recover")}
	lit := &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: rtCall(fn, rec)}}},
	}
	return &ast.DeferStmt{Call: &ast.CallExpr{Fun: lit}}
}

func guardMain(fd *ast.FuncDecl) {
	fd.Body.List = append([]ast.Stmt{deferRecover("MainDone")}, fd.Body.List...)
}

var builtins = map[string]bool{
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true,
	"delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true,
	"new": true, "panic": true, "print": true, "println": true, "real": true, "recover": true,
}

// guardGo rewrites `go f(a, b)` into
//
//	go func(call func()) { defer func() { ormlabrt_.GoDone(recover()) }(); call() }(
//		func() func() { f_, a_ := f, a; return func() { f_(a_, b) } }())
//
// The inner closure is built at the go statement, so the function value and
// the arguments are evaluated there, in the starting goroutine, as Go does.
// Constants stay inline: binding an untyped constant to a variable would fix
// its type and could stop the call from compiling.
func guardGo(gs *ast.GoStmt, consts map[string]bool) {
	pos := gs.Go
	call := gs.Call
	var lhs, rhs []ast.Expr
	bind := func(e ast.Expr, i int) ast.Expr {
		if isConstExpr(e, consts) {
			return e
		}
		id := &ast.Ident{NamePos: pos, Name: fmt.Sprintf("ormlab_a%d_", i)}
		lhs = append(lhs, id)
		rhs = append(rhs, e)
		return &ast.Ident{NamePos: pos, Name: id.Name}
	}
	fn := call.Fun
	if id, ok := fn.(*ast.Ident); !ok || !builtins[id.Name] {
		if _, isLit := fn.(*ast.FuncLit); !isLit {
			fn = bind(fn, 0)
		}
	}
	args := make([]ast.Expr, len(call.Args))
	for i, a := range call.Args {
		args[i] = bind(a, i+1)
	}
	inner := &ast.CallExpr{Fun: fn, Args: args, Ellipsis: call.Ellipsis, Lparen: call.Lparen, Rparen: call.Rparen}
	var body []ast.Stmt
	if len(lhs) > 0 {
		body = append(body, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, TokPos: pos, Rhs: rhs})
	}
	funcT := func() *ast.FuncType { return &ast.FuncType{Params: &ast.FieldList{}} }
	body = append(body, &ast.ReturnStmt{Return: pos, Results: []ast.Expr{
		&ast.FuncLit{Type: funcT(), Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: inner}}}},
	}})
	maker := &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: funcT()}}}},
		Body: &ast.BlockStmt{List: body},
	}}
	callID := ast.NewIdent("ormlab_call_")
	runner := &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{List: []*ast.Field{{Names: []*ast.Ident{callID}, Type: funcT()}}}},
		Body: &ast.BlockStmt{List: []ast.Stmt{
			deferRecover("GoDone"),
			&ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.Ident{NamePos: pos, Name: callID.Name}}},
		}},
	}
	gs.Call = &ast.CallExpr{Fun: runner, Args: []ast.Expr{maker}}
}

// constNames collects every constant name declared anywhere in the program
// (package level or local). A shadowing variable of the same name is then
// treated as a constant too: harmless, it is only evaluated a little later.
func constNames(files []*ast.File) map[string]bool {
	m := map[string]bool{"true": true, "false": true, "nil": true, "iota": true}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if gd, ok := n.(*ast.GenDecl); ok && gd.Tok == token.CONST {
				for _, s := range gd.Specs {
					for _, id := range s.(*ast.ValueSpec).Names {
						m[id.Name] = true
					}
				}
			}
			return true
		})
	}
	return m
}

func isConstExpr(e ast.Expr, consts map[string]bool) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return consts[x.Name]
	case *ast.ParenExpr:
		return isConstExpr(x.X, consts)
	case *ast.UnaryExpr:
		return isConstExpr(x.X, consts)
	case *ast.BinaryExpr:
		return isConstExpr(x.X, consts) && isConstExpr(x.Y, consts)
	case *ast.SelectorExpr:
		// math.Pi, time.Second: package constants. A field of a variable
		// (p.Name) is not constant, but the selector's base tells: an
		// imported package name is never a local variable in these programs.
		if id, ok := x.X.(*ast.Ident); ok && knownPackageNames[id.Name] {
			return true
		}
	}
	return false
}

// knownPackageNames are the names of importable packages whose exported
// constants may appear as go-statement arguments.
var knownPackageNames = map[string]bool{"math": true, "time": true, "utf8": true, "strconv": true, "unicode": true}

func parseError(err error) *trace.Error {
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		list.Sort()
		e := list[0]
		msg := e.Msg
		if len(list) > 1 {
			msg += fmt.Sprintf(" (and %d more errors)", len(list)-1)
		}
		return &trace.Error{Kind: trace.ErrCompile, Message: msg, File: e.Pos.Filename, Line: e.Pos.Line, Col: e.Pos.Column}
	}
	return &trace.Error{Kind: trace.ErrCompile, Message: err.Error()}
}

func posError(fset *token.FileSet, p token.Pos, kind, msg string) *trace.Error {
	pos := fset.Position(p)
	return &trace.Error{Kind: kind, Message: msg, File: pos.Filename, Line: pos.Line, Col: pos.Column}
}

// perIterationRange gives `for k, v := range x` a fresh k and v per
// iteration (Go 1.22) by shadowing them at the top of the body.
func perIterationRange(rs *ast.RangeStmt) {
	if rs.Tok != token.DEFINE {
		return
	}
	var names []string
	for _, e := range []ast.Expr{rs.Key, rs.Value} {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			names = append(names, id.Name)
		}
	}
	shadow(rs.Body, names)
}

// perIterationFor does the same for `for i := 0; …; i++`, but only when the
// body can observe the difference (a closure, a go or defer statement, an
// address taken) and does not itself assign the variable: Go 1.22 copies
// such an assignment into the next iteration, which a shadow would lose.
func perIterationFor(fs *ast.ForStmt) {
	as, ok := fs.Init.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE {
		return
	}
	var names []string
	for _, e := range as.Lhs {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			names = append(names, id.Name)
		}
	}
	if len(names) == 0 {
		return
	}
	captures, assigns := false, false
	isLoopVar := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		if !ok {
			return false
		}
		for _, n := range names {
			if id.Name == n {
				return true
			}
		}
		return false
	}
	ast.Inspect(fs.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			captures = true
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				captures = true
			}
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				if isLoopVar(l) {
					assigns = true
				}
			}
		case *ast.IncDecStmt:
			if isLoopVar(x.X) {
				assigns = true
			}
		}
		return true
	})
	if captures && !assigns {
		shadow(fs.Body, names)
	}
}

func shadow(body *ast.BlockStmt, names []string) {
	if len(names) == 0 {
		return
	}
	var lhs, rhs []ast.Expr
	for _, n := range names {
		lhs = append(lhs, ast.NewIdent(n))
		rhs = append(rhs, ast.NewIdent(n))
	}
	body.List = append([]ast.Stmt{&ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs}}, body.List...)
}

// hideUnexportedFields tags every unexported field of the program's struct
// types with json:"-". yaegi builds struct types through reflect, which
// cannot create unexported fields, so it exports them as "X"+name; without
// the tag, encoding/json would marshal a field Go keeps private.
// (The tag key "playground" marks such fields for anything else that walks
// struct fields, e.g. the ORM's mapping.)
func hideUnexportedFields(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		st, ok := n.(*ast.StructType)
		if !ok || st.Fields == nil {
			return true
		}
		for _, fld := range st.Fields.List {
			if len(fld.Names) == 0 || ast.IsExported(fld.Names[0].Name) {
				continue
			}
			tag := ""
			if fld.Tag != nil {
				if t, err := strconv.Unquote(fld.Tag.Value); err == nil {
					tag = t
				}
			}
			if reflectTagLookup(tag, "json") {
				continue
			}
			if tag != "" {
				tag += " "
			}
			tag += `json:"-" playground:"unexported"`
			fld.Tag = &ast.BasicLit{ValuePos: fld.Type.End(), Kind: token.STRING, Value: strconv.Quote(tag)}
		}
		return true
	})
}

func reflectTagLookup(tag, key string) bool {
	return strings.Contains(" "+tag, " "+key+":\"")
}

// structNames maps the field-name signature of every struct type the
// program declares (see structSig) to its name, for the signatures that
// only one type has.
func (p *prepared) structNames() map[string]string {
	out := map[string]string{}
	dup := map[string]bool{}
	if p == nil {
		return out
	}
	ast.Inspect(p.file, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok || st.Fields == nil {
			return true
		}
		var b strings.Builder
		for _, f := range st.Fields.List {
			if len(f.Names) == 0 {
				// Embedded: the field is named after its type.
				t := f.Type
				if s, ok := t.(*ast.StarExpr); ok {
					t = s.X
				}
				switch x := t.(type) {
				case *ast.Ident:
					b.WriteString(x.Name)
				case *ast.SelectorExpr:
					b.WriteString(x.Sel.Name)
				}
				b.WriteByte(',')
				continue
			}
			for _, id := range f.Names {
				b.WriteString(id.Name)
				b.WriteByte(',')
			}
		}
		sig := b.String()
		if _, seen := out[sig]; seen {
			dup[sig] = true
		}
		out[sig] = ts.Name.Name
		return true
	})
	for sig := range dup {
		delete(out, sig)
	}
	return out
}
