//go:build js && wasm

// Command runner is runner.wasm, the playground's runner in the browser. It
// runs inside a Web Worker (web/runner-worker.js) and exposes one function:
//
//	const cancel = globalThis.ormlabRun(requestJSON, callback)
//
// requestJSON is a runner.WireRequest ({"files": [...], "options":
// {"timeout_ms": …}}); callback(traceJSON) is called once with the trace, or
// with {"error": …} JSON-encoded as a trace error when the request is
// malformed. The run goes on in a goroutine, so the call returns at once;
// calling cancel() stops it (the callback then gets the partial trace).
package main

import (
	"context"
	"encoding/json"
	"runtime"
	"runtime/debug"
	"syscall/js"

	"ormlab/runner"
	"ormlab/runner/trace"
)

// Garbage collection. A run of a lesson allocates ~4 MB (most of it one
// SQLite database's memory) over a live heap of ~4 MB, so with the default
// GOGC=100 the collector ran about twice inside every run; in wasm it has
// no other thread to run on, and it took about a third of a run's time.
// Letting the heap grow to gcPercent more than the live heap between
// collections, and collecting once after each result is posted (while the
// page renders it and the learner reads it), keeps collections out of runs.
// The memory limit still bounds the heap: near it the collector runs as
// often as it must, whatever gcPercent says.
const (
	gcPercent   = 800
	memoryLimit = 256 << 20
)

func main() {
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryLimit)
	js.Global().Set("ormlabRun", js.FuncOf(run))
	// Tell the bootstrap the function exists (it may have been loaded before
	// the callback was registered).
	if ready := js.Global().Get("ormlabReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {} // keep the Go side alive for later calls
}

func run(this js.Value, args []js.Value) any {
	if len(args) < 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeFunction {
		return js.Global().Get("Error").New("ormlabRun(requestJSON, callback): bad arguments")
	}
	reqJSON, cb := args[0].String(), args[1]
	ctx, cancel := context.WithCancel(context.Background())
	var cancelFn js.Func
	cancelFn = js.FuncOf(func(js.Value, []js.Value) any { cancel(); return nil })
	go func() {
		defer cancel()
		defer cancelFn.Release()
		var tr *trace.Trace
		req, err := runner.ParseWireRequest([]byte(reqJSON))
		if err != nil {
			tr = trace.New()
			tr.Error = &trace.Error{Kind: trace.ErrCompile, Message: err.Error()}
		} else {
			tr = runner.Run(ctx, req)
		}
		b, err := json.Marshal(tr)
		if err != nil {
			b = []byte(`{"stdout":"","error":{"kind":"runtime","message":"encoding the trace failed"}}`)
		}
		cb.Invoke(string(b))
		b, tr = nil, nil
		// The worker has posted the result: collect now, between runs,
		// rather than in the middle of the next one (see gcPercent).
		runtime.GC()
	}()
	return cancelFn
}
