// Package runner runs a learner's Go program (one or more files of package
// main) in the yaegi interpreter and returns the trace the UI shows: the
// program's output, every SQL statement its engines issued, the pool's
// events, the declared schema and the final table contents. The same code
// runs natively (cmd/ormlab, tests) and in the browser's runner worker
// (wasm/runner).
//
// Threads: yaegi's interpreter state is not safe under true parallelism
// between the goroutines of one program (a goroutine's call can read a frame
// slot another thread is writing and crash the process with "reflect.Value.
// Call: call of nil function"; see traefik/yaegi#1663). The browser is single
// threaded; a native process that runs programs with goroutines should call
// runtime.GOMAXPROCS(1) first, as cmd/ormlab and the runner's tests do.
//
// A run is sandboxed: the program may import only the curated packages of
// runner/symbols (no os, net, syscall, unsafe, reflect…), its output is
// captured and bounded, and it is stopped at its time limit. Everything the
// runner adds to a program is per run (no globals are patched), so runs may
// go on concurrently.
package runner

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"

	"github.com/traefik/yaegi/interp"

	"ormlab/runner/symbols"
	"ormlab/runner/trace"
)

// File is one source file of a program.
type File struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// Request is one run.
type Request struct {
	Files []File
	// Timeout is the wall-time limit (default 5 s).
	Timeout time.Duration
	// OutputLimit bounds the program's output in bytes (default 1 MB).
	OutputLimit int
	// StatementLimit bounds the number of SQL statements (default 10,000).
	StatementLimit int
	// PoolEventLimit bounds the number of connection pool events (default
	// 40,000: room for every statement's checkout, reset and return).
	PoolEventLimit int
	// URL, when set, makes every engine the program creates connect there
	// for real instead of the URL the program gave (native builds only).
	URL string
	// NoLocate skips the rerun that finds a runtime panic's exact line
	// (panicpos.go); the error then points at the panicking function.
	NoLocate bool
}

// Defaults.
const (
	DefaultTimeout        = 5 * time.Second
	DefaultOutputLimit    = 1 << 20
	DefaultStatementLimit = 10000
	DefaultPoolEventLimit = 40000
)

func (r *Request) defaults() {
	if r.Timeout <= 0 {
		r.Timeout = DefaultTimeout
	}
	if r.OutputLimit <= 0 {
		r.OutputLimit = DefaultOutputLimit
	}
	if r.StatementLimit <= 0 {
		r.StatementLimit = DefaultStatementLimit
	}
	if r.PoolEventLimit <= 0 {
		r.PoolEventLimit = DefaultPoolEventLimit
	}
}

// run is the state of one execution of a program.
type run struct {
	req    Request
	ctx    context.Context
	cancel context.CancelFunc
	out    *output
	orm    *ormRun // engines created by the program, their statements and pool events

	mu       sync.Mutex
	stop     *trace.Error // why the run was stopped early; the first reason wins
	panicVal any          // a runtime panic's value, to match it on the locating rerun
	panicGo  bool         // the panic happened on a goroutine other than main's
	finished bool         // main returned (normally or by a panic)
	over     bool         // the run is over: hooks called late do nothing

	ticks     uint32    // loop iterations seen by tick
	lastYield int64     // when tick last yielded to the host (UnixNano), see yieldEvery
	calls     uint32    // interpreted calls seen by enter
	locate    *locator  // set on the panic locator's rerun (panicpos.go)
	prepared  *prepared // the program as compiled
	stderr    *output   // the interpreter's own stderr (yaegi's panic banner), never shown
}

// setStop records why the run ends and stops it, engines included; later
// reasons are ignored.
func (r *run) setStop(e *trace.Error) {
	r.mu.Lock()
	if r.stop == nil && !r.over {
		r.stop = e
	}
	r.mu.Unlock()
	r.orm.stop()
	r.cancel()
}

func (r *run) isOver() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.over
}

func (r *run) locating() bool { return r.locate != nil }

// Run interprets the program and returns its trace. It never panics and
// never writes to the process's stdout or stderr.
func Run(ctx context.Context, req Request) (tr *trace.Trace) {
	req.defaults()
	tr = newTrace()
	defer func() {
		// A bug in the runner or in the ORM must not take the worker down;
		// report it as a runtime error with the partial trace.
		if p := recover(); p != nil {
			tr.Error = &trace.Error{Kind: trace.ErrRuntime, Message: fmt.Sprintf("internal error in the playground: %v", p)}
		}
	}()
	r := execute(ctx, req, tr)
	_, overflow := r.panicVal.(StackOverflow)
	// (A runaway recursion is not rerun: it would only be slow again, and
	// the banner's position, the recursive function, says it all.)
	if tr.Error != nil && (tr.Error.Kind == trace.ErrRuntime || tr.Error.Kind == trace.ErrDatabase) && r != nil && r.panicVal != nil && !overflow && !req.NoLocate && req.URL == "" {
		// yaegi reports the position of the panicking *function*, not of the
		// statement: find the statement by running the program again under
		// yaegi's debugger (panicpos.go). Skipped with a URL override, where a
		// second run would write to a real database again.
		if pos, ok := locatePanic(ctx, req, r); ok {
			tr.Error.File, tr.Error.Line, tr.Error.Col = pos.Filename, pos.Line, pos.Column
		}
	}
	if tr.Error != nil && (tr.Error.Kind == trace.ErrRuntime || tr.Error.Kind == trace.ErrDatabase) && tr.Error.Line == 0 && r != nil && r.stderr != nil {
		if pos, ok := bannerPosition(r.stderr.buf.String()); ok {
			tr.Error.File, tr.Error.Line, tr.Error.Col = pos.Filename, pos.Line, pos.Column
		}
	}
	return tr
}

func newTrace() *trace.Trace { return trace.New() }

// newInterpreter builds an interpreter wired to run r, with the program
// prepared and compiled. It returns the compile error, if any, as a trace
// error.
func newInterpreter(r *run, stdout, stderr interface{ Write([]byte) (int, error) }) (*interp.Interpreter, *interp.Program, *trace.Error) {
	i := interp.New(interp.Options{
		Stdout: stdout,
		Stderr: stderr,
		Stdin:  strings.NewReader(""),
		Args:   []string{"main"},
		Env:    []string{},
		// An empty source file system and GOPATH: an import can never be
		// resolved from the host's files, only from the symbol tables.
		GoPath:               "/nonexistent",
		SourcecodeFilesystem: fstest.MapFS{},
		Unrestricted:         false,
	})
	exports := r.exports()
	needGenerics := false
	allowed := func(p string) bool {
		if p == rtPath {
			return false
		}
		if genericSource[p] {
			needGenerics = true
			return true
		}
		_, ok := exports[p+"/"+lastElem(p)]
		return ok
	}
	prep, terr := prepare(i.FileSet(), r.req.Files, allowed, needTicks)
	if terr != nil {
		return nil, nil, terr
	}
	if !needGenerics {
		// yaegi compiles the Go sources of slices, maps and cmp whenever
		// the table has the key "fmt/fmt": three quarters of a small run's
		// time. Without those imports, register fmt under an equivalent key
		// (path.Dir and path.Base give the same "fmt") and bind its printing
		// functions to the run's output ourselves (printFuncs).
		exports["fmt/./fmt"] = exports["fmt/fmt"]
		delete(exports, "fmt/fmt")
	}
	if err := i.Use(exports); err != nil {
		return nil, nil, &trace.Error{Kind: trace.ErrCompile, Message: "setting up the interpreter: " + err.Error()}
	}
	r.prepared = prep
	if r.locate != nil {
		instrumentStatements(prep.file, &r.locate.positions)
	}
	prog, err := compile(i, prep)
	if err != nil {
		return nil, nil, compileError(i.FileSet(), err)
	}
	return i, prog, nil
}

// genericSource are the packages yaegi itself compiles from Go source when
// fmt is in the symbol table (stdlib/generic): slices, maps, cmp.
var genericSource = map[string]bool{"slices": true, "maps": true, "cmp": true}

func lastElem(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// compile turns a yaegi panic during compilation (it has a few) into an error.
func compile(i *interp.Interpreter, prep *prepared) (prog *interp.Program, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return i.CompileAST(prep.file)
}

// execute runs the program once and fills the trace.
func execute(parent context.Context, req Request, tr *trace.Trace) *run {
	ctx, cancel := context.WithTimeout(parent, req.Timeout)
	defer cancel()
	r := &run{req: req, ctx: ctx, cancel: cancel}
	r.out = &output{limit: req.OutputLimit, onLimit: func() {
		r.setStop(&trace.Error{Kind: trace.ErrLimit, Message: fmt.Sprintf("output truncated: the program printed more than %s", byteSize(req.OutputLimit))})
	}}
	r.out.stopped = func() bool { return ctx.Err() != nil }
	r.orm = newORMRun(r)
	watchStop(r)

	r.stderr = &output{limit: 64 << 10}
	i, prog, terr := newInterpreter(r, r.out, r.stderr)
	if terr != nil {
		tr.Error = terr
		return r
	}
	_, err := i.ExecuteWithContext(ctx, prog)
	r.finish(tr, err)
	return r
}

// watchStop stops the engines when the run's context ends before the
// program finished (time limit, cancellation): a query or a pool wait in
// flight must end too. A program that finished keeps its engines until the
// final tables are read.
func watchStop(r *run) {
	context.AfterFunc(r.ctx, func() {
		r.mu.Lock()
		finished := r.finished
		r.mu.Unlock()
		if !finished {
			r.orm.stop()
		}
	})
}

// finish turns how Execute ended into the trace's error and fills the rest.
func (r *run) finish(tr *trace.Trace, err error) {
	r.mu.Lock()
	r.over = true
	stop, finished := r.stop, r.finished
	r.mu.Unlock()
	r.cancel()
	switch {
	case stop != nil:
		tr.Error = stop
	case finished:
		// main returned; Execute reports the cancellation that stopped the
		// program's leftover goroutines, which is not an error.
	case err != nil && errors.Is(err, context.DeadlineExceeded):
		tr.Error = &trace.Error{Kind: trace.ErrTimeout, Message: fmt.Sprintf("the program ran longer than %s and was stopped", r.req.Timeout)}
	case err != nil && errors.Is(err, context.Canceled):
		tr.Error = &trace.Error{Kind: trace.ErrTimeout, Message: "the run was cancelled"}
	case err != nil:
		var p interp.Panic
		if errors.As(err, &p) {
			// A panic outside main's guard: a package-level initializer or init().
			r.panicVal = unwrapPanic(p.Value)
			tr.Error = panicError(r.panicVal)
		} else {
			tr.Error = &trace.Error{Kind: trace.ErrRuntime, Message: cleanMessage(err.Error())}
		}
	}
	tr.Stdout, _ = r.out.finish()
	r.orm.finish(tr)
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// printFuncs binds fmt's functions that use the process's standard streams
// to the run: Print* write to the program's output, Scan* read an empty
// input. (yaegi does the same for the key "fmt/fmt", see newInterpreter.)
func (r *run) printFuncs(f map[string]reflect.Value, mt map[reflect.Value][]reflect.Type) {
	out := r.out
	in := strings.NewReader("")
	bind := func(name string, fn any, like any) {
		v := reflect.ValueOf(fn)
		f[name] = v
		mt[v] = mt[reflect.ValueOf(like)]
	}
	bind("Print", func(a ...any) (int, error) { return fmt.Fprint(out, a...) }, fmt.Print)
	bind("Printf", func(format string, a ...any) (int, error) { return fmt.Fprintf(out, format, a...) }, fmt.Printf)
	bind("Println", func(a ...any) (int, error) { return fmt.Fprintln(out, a...) }, fmt.Println)
	bind("Scan", func(a ...any) (int, error) { return fmt.Fscan(in, a...) }, fmt.Scan)
	bind("Scanf", func(format string, a ...any) (int, error) { return fmt.Fscanf(in, format, a...) }, fmt.Scanf)
	bind("Scanln", func(a ...any) (int, error) { return fmt.Fscanln(in, a...) }, fmt.Scanln)
}

// errRunStopped unwinds a goroutine blocked in one of the runner's own
// calls (time.Sleep) when the run is stopped.
var errRunStopped = errors.New("the run was stopped")

// exports is the symbol table of this run: the shared stdlib tables with
// the few symbols that must be per run replaced, the runner's hooks and the
// ORM packages with CreateEngine instrumented.
func (r *run) exports() interp.Exports {
	ex := interp.Exports{}
	for k, v := range symbols.Symbols {
		ex[k] = v
	}
	t := make(map[string]reflect.Value, len(symbols.Symbols["time/time"]))
	for k, v := range symbols.Symbols["time/time"] {
		t[k] = v
	}
	// time.Sleep that ends when the run is stopped: a sleeping goroutine is
	// inside compiled code, out of the interpreter's reach.
	t["Sleep"] = reflect.ValueOf(func(d time.Duration) {
		tm := time.NewTimer(d)
		defer tm.Stop()
		select {
		case <-tm.C:
		case <-r.ctx.Done():
			// Never return into a stopped program: it would run on until
			// yaegi notices the stop, and could even finish "successfully".
			panic(errRunStopped)
		}
	})
	ex["time/time"] = t
	e := make(map[string]reflect.Value, len(symbols.Symbols["errors/errors"]))
	for k, v := range symbols.Symbols["errors/errors"] {
		e[k] = v
	}
	e["As"] = reflect.ValueOf(errorsAs)
	ex["errors/errors"] = e
	mt := make(map[reflect.Value][]reflect.Type, len(symbols.MapTypes)+8)
	for k, v := range symbols.MapTypes {
		mt[k] = v
	}
	f := make(map[string]reflect.Value, len(symbols.Symbols["fmt/fmt"]))
	for k, v := range symbols.Symbols["fmt/fmt"] {
		f[k] = v
	}
	r.printFuncs(f, mt)
	ex["fmt/fmt"] = f
	ex["."] = map[string]reflect.Value{"MapTypes": reflect.ValueOf(mt)}
	ex[rtPath+"/rt"] = map[string]reflect.Value{
		"MainDone": reflect.ValueOf(r.mainDone),
		"GoDone":   reflect.ValueOf(r.goDone),
		"Tick":     reflect.ValueOf(r.tick),
		"At":       reflect.ValueOf(r.at),
		"Enter":    reflect.ValueOf(r.enter),
	}
	r.orm.exports(ex)
	return ex
}

// mainDone is deferred by the rewritten main (prepare.go). p is what main's
// recover() returned. It then waits for the run to be stopped, so that
// Execute returns through its context and yaegi halts every goroutine the
// program left running.
func (r *run) mainDone(p any) {
	p = unwrapPanic(p)
	if p == errRunStopped || r.ctx.Err() != nil {
		// Unwound by a blocking call that saw the stop, or ending after the
		// run was stopped (a query or pool wait returned its cancellation
		// error and the program went on): main did not finish in time.
		<-r.ctx.Done()
		return
	}
	if p != nil && r.locate != nil {
		r.locate.panicked()
	}
	r.mu.Lock()
	r.finished = true
	if p != nil && r.stop == nil && !r.over {
		r.panicVal = p
		r.stop = panicError(p)
	}
	r.mu.Unlock()
	r.cancel()
	<-r.ctx.Done()
}

// panicError is the trace error of a panic: kind "database" when the value
// is (or wraps) a failed statement, with its SQL, parameters and message.
func panicError(p any) *trace.Error {
	if se, ok := databaseError(p); ok {
		return &trace.Error{Kind: trace.ErrDatabase, Message: se.Error()}
	}
	return &trace.Error{Kind: trace.ErrRuntime, Message: panicMessage(p)}
}

// tick is called at the top of every loop body in the browser build (see
// prepare). Yielding now and then lets the timer that ends the run, and the
// goroutine that then stops the interpreter, get a turn.
//
// runtime.Gosched only switches goroutines: on js/wasm it never returns to
// the host's event loop, so a tight loop kept the browser worker from
// reading a cancel message (the page had to kill the worker). So every
// yieldEvery of wall time tick also sleeps briefly (yieldToHost): with
// every goroutine of the run asleep, Go returns to JavaScript, which
// delivers the waiting messages, cancel included.
func (r *run) tick() {
	if atomic.AddUint32(&r.ticks, 1)&255 != 0 {
		return
	}
	runtime.Gosched()
	if yieldEvery <= 0 {
		return
	}
	now := time.Now().UnixNano()
	last := atomic.LoadInt64(&r.lastYield)
	if last == 0 {
		atomic.CompareAndSwapInt64(&r.lastYield, 0, now)
		return
	}
	if time.Duration(now-last) >= yieldEvery && atomic.CompareAndSwapInt64(&r.lastYield, last, now) {
		yieldToHost(r.ctx)
	}
}

// yieldToHost gives the host's event loop a turn (js/wasm): a sleep during
// which no goroutine of the run can go on makes Go's scheduler return to
// JavaScript until the timer fires. It returns at once when the run is
// stopped.
func yieldToHost(ctx context.Context) {
	t := time.NewTimer(time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// at records the statement about to run (panic locator's rerun only).
func (r *run) at(k int) {
	if r.locate != nil {
		r.locate.hit(k)
	}
}

// goDone is deferred by every rewritten go statement: a panic on a
// goroutine ends the program, as in Go.
func (r *run) goDone(p any) {
	p = unwrapPanic(p)
	if p == nil || p == errRunStopped {
		return
	}
	if r.locate != nil {
		r.locate.panicked()
	}
	r.mu.Lock()
	if r.stop == nil && !r.over {
		r.panicVal = p
		r.panicGo = true
		r.stop = panicError(p)
	}
	r.mu.Unlock()
	r.cancel()
}

// guardClockGo wraps a function a program starts with VirtualClock.Go as
// the rewritten go statements are wrapped: a panic there ends the program.
func (r *run) guardClockGo(f func()) func() {
	return func() {
		defer func() { r.goDone(recover()) }()
		f()
	}
}

// unwrapPanic undoes yaegi's wrapping of a panic value: the interpreter
// panics with a reflect.Value holding the program's value.
func unwrapPanic(p any) any {
	for p != nil {
		v, ok := p.(reflect.Value)
		if !ok {
			return p
		}
		if !v.IsValid() || !v.CanInterface() {
			return nil
		}
		p = v.Interface()
	}
	return p
}
