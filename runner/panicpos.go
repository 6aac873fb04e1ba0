package runner

import (
	"context"
	"go/ast"
	"go/token"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/traefik/yaegi/interp"
)

// Finding the line of a runtime panic.
//
// yaegi prints "file:line:col: panic: main.f(...)" for each interpreted
// frame a panic unwinds, but the position is where the frame's function
// body starts, not the statement that panicked (a nil-map write on line 8
// comes back as the first statement of main). The runner therefore keeps
// that banner only as a fallback (bannerPosition) and, when a run ends in a
// panic, runs the program a second time under yaegi's debugger, stepping
// node by node and remembering, per goroutine, the position of the last
// node about to execute. When the same panic happens again, that position is
// the true one. The rerun discards its output, uses fresh simulated engines,
// and is bounded in time; it is skipped when the engines connect to a real
// server (Request.URL), where it would write to the database a second time.
//
// Steps inside `defer` statements are ignored: after a panic, the deferred
// calls run (and step) before the panic reaches the runner's guard, and
// they must not overwrite the panic's position. The runner's own injected
// nodes have no position and are skipped by the debugger itself.

// locateBudget bounds the rerun. Stepping costs a few microseconds per
// node, so this covers programs that run a few hundred thousand nodes
// before panicking; beyond, the banner's position stands.
const locateBudget = 3 * time.Second

func locatePanic(ctx context.Context, req Request, first *run) (token.Position, bool) {
	budget := locateBudget
	if req.Timeout < budget {
		budget = req.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	r := &run{req: req, ctx: ctx, cancel: cancel, locating: true}
	r.out = &output{limit: 1 << 30}
	r.orm = newORMRun(r)
	i, prog, terr := newInterpreter(r, discard{}, discard{})
	if terr != nil {
		return token.Position{}, false
	}
	defers := deferRanges(i.FileSet(), r.prepared.file)

	var (
		mu      sync.Mutex
		perG    = map[int]token.Position{}
		lastAny token.Position
	)
	var dbg *interp.Debugger
	var dbgReady = make(chan struct{})
	events := func(e *interp.DebugEvent) {
		<-dbgReady
		switch e.Reason() {
		case interp.DebugEnterGoRoutine:
			dbg.Interrupt(e.GoRoutine(), interp.DebugStepInto)
			return
		case interp.DebugExitGoRoutine, interp.DebugTerminate:
			return
		}
		id := e.GoRoutine()
		if frames := e.Frames(0, 1); len(frames) == 1 {
			pos := frames[0].Position()
			if pos.IsValid() && !inRanges(defers, pos) {
				mu.Lock()
				perG[id] = pos
				lastAny = pos
				mu.Unlock()
			}
		}
		// Resume from another goroutine: this one is about to wait for it.
		go func() {
			for ctx.Err() == nil {
				if err := dbg.Step(id, interp.DebugStepInto); err != interp.ErrRunning {
					return
				}
				runtime.Gosched()
			}
		}()
	}
	dbg = i.Debug(ctx, prog, events, nil)
	close(dbgReady)
	if err := dbg.Step(0, interp.DebugStepInto); err != nil {
		return token.Position{}, false
	}
	<-ctx.Done()
	dbg.Terminate()

	r.mu.Lock()
	same := r.panicVal != nil && panicMessage(r.panicVal) == panicMessage(first.panicVal)
	goPanic := r.panicGo
	r.mu.Unlock()
	if !same {
		return token.Position{}, false
	}
	mu.Lock()
	defer mu.Unlock()
	if goPanic {
		return lastAny, lastAny.IsValid()
	}
	pos, ok := perG[0]
	return pos, ok && pos.IsValid()
}

type posRange struct {
	file       string
	start, end int // byte offsets
}

// deferRanges lists the extents of the program's defer statements.
func deferRanges(fset *token.FileSet, f *ast.File) []posRange {
	var out []posRange
	ast.Inspect(f, func(n ast.Node) bool {
		if d, ok := n.(*ast.DeferStmt); ok && d.Defer.IsValid() {
			s, e := fset.Position(d.Pos()), fset.Position(d.End())
			out = append(out, posRange{s.Filename, s.Offset, e.Offset})
		}
		return true
	})
	return out
}

func inRanges(rs []posRange, p token.Position) bool {
	for _, r := range rs {
		if r.file == p.Filename && p.Offset >= r.start && p.Offset < r.end {
			return true
		}
	}
	return false
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
