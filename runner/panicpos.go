package runner

import (
	"bytes"
	"context"
	"go/ast"
	"go/token"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// Finding the line of a runtime panic.
//
// yaegi prints "file:line:col: panic: main.f(...)" for each interpreted
// frame a panic unwinds, but the position is where the frame's function
// body starts, not the statement that panicked (a nil-map write on line 8
// comes back as the first statement of main). Its debugger's node tracking
// is no better: it identifies nodes by their closure's code pointer, which
// many nodes share. So the runner keeps the banner only as a fallback
// (bannerPosition) and, when a run ends in a panic, runs the program a
// second time with every statement preceded by a call to a hook that
// records, per goroutine, the statement about to run. The panic guards
// (mainDone, goDone) run on the goroutine that panicked, so they read that
// goroutine's last statement: the line Go itself would report.
//
// The rerun discards its output, uses fresh simulated engines and is bounded
// in time; it is skipped when the engines connect to a real server
// (Request.URL), where it would write to the database a second time. The
// rerun's result is used only if the same panic happens again.
//
// Statements inside `defer` statements are not instrumented: deferred calls
// run after the panic, before the guard, and must not overwrite its
// position. (A deferred call of a named function still can: then the line
// is that function's.)

// locateBudget bounds the rerun.
const locateBudget = 3 * time.Second

// locator records the statement each goroutine is at, during the rerun.
type locator struct {
	positions []token.Pos // statement index → position (filled by prepare)
	mu        sync.Mutex
	at        map[uint64]int // goroutine id → statement index
	found     token.Pos
}

func (l *locator) hit(k int) {
	id := goid()
	l.mu.Lock()
	l.at[id] = k
	l.mu.Unlock()
}

// panicked is called by the guards on the panicking goroutine.
func (l *locator) panicked() {
	id := goid()
	l.mu.Lock()
	if k, ok := l.at[id]; ok && !l.found.IsValid() && k < len(l.positions) {
		l.found = l.positions[k]
	}
	l.mu.Unlock()
}

// goid is the current goroutine's id, from its stack header ("goroutine 7
// [running]:"). Slow-ish, which is fine: only the rerun calls it.
func goid() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	b := bytes.TrimPrefix(buf[:n], []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		id, _ := strconv.ParseUint(string(b[:i]), 10, 64)
		return id
	}
	return 0
}

func locatePanic(ctx context.Context, req Request, first *run) (token.Position, bool) {
	budget := locateBudget
	if req.Timeout < budget {
		budget = req.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	r := &run{req: req, ctx: ctx, cancel: cancel, locate: &locator{at: map[uint64]int{}}}
	r.out = &output{limit: 1 << 30}
	r.stderr = &output{limit: 0}
	r.orm = newORMRun(r)
	watchStop(r)
	i, prog, terr := newInterpreter(r, discard{}, r.stderr)
	if terr != nil {
		return token.Position{}, false
	}
	_, _ = i.ExecuteWithContext(ctx, prog)
	r.finish(newTrace(), nil) // closes the rerun's engines
	r.mu.Lock()
	same := r.panicVal != nil && panicMessage(r.panicVal) == panicMessage(first.panicVal)
	r.mu.Unlock()
	r.locate.mu.Lock()
	found := r.locate.found
	r.locate.mu.Unlock()
	if !same || !found.IsValid() {
		return token.Position{}, false
	}
	return i.FileSet().Position(found), true
}

// instrumentStatements puts ormlabrt_.At(k) before every statement of every
// block outside defer statements, recording each statement's position.
func instrumentStatements(f *ast.File, positions *[]token.Pos) {
	var visit func(n ast.Node) bool
	instrument := func(list []ast.Stmt) []ast.Stmt {
		out := make([]ast.Stmt, 0, 2*len(list))
		for _, s := range list {
			if s.Pos().IsValid() {
				k := len(*positions)
				*positions = append(*positions, s.Pos())
				out = append(out, &ast.ExprStmt{X: rtCall("At", &ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(k)})})
			}
			out = append(out, s)
		}
		return out
	}
	visit = func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.DeferStmt:
			return false
		case *ast.BlockStmt:
			for _, s := range x.List {
				ast.Inspect(s, visit)
			}
			x.List = instrument(x.List)
			return false
		case *ast.CaseClause:
			for _, s := range x.Body {
				ast.Inspect(s, visit)
			}
			x.Body = instrument(x.Body)
			return false
		case *ast.CommClause:
			for _, s := range x.Body {
				ast.Inspect(s, visit)
			}
			x.Body = instrument(x.Body)
			return false
		}
		return true
	}
	for _, d := range f.Decls {
		ast.Inspect(d, visit)
	}
}

// bannerLine matches yaegi's panic banner on the interpreter's stderr.
var bannerLine = regexp.MustCompile(`(?m)^([^:\s]+\.go):(\d+):(\d+): panic: `)

// bannerPosition is the first (innermost) frame position yaegi printed for a
// panic: the start of the function that panicked.
func bannerPosition(stderr string) (token.Position, bool) {
	m := bannerLine.FindStringSubmatch(stderr)
	if m == nil {
		return token.Position{}, false
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	return token.Position{Filename: m[1], Line: line, Column: col}, true
}
