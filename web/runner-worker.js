// ORM Lab runner worker: runs learners' programs in runner.wasm, off the
// page's main thread.
//
// Protocol (fixed; the page side is web/ + wasm/app):
//   page → worker  {type: "run", id, files: [{name, content}], options: {timeout_ms}}
//                  {type: "cancel", id}
//   worker → page  {type: "ready"}                 once runner.wasm is loaded
//                  {type: "result", id, trace}     trace: runner/trace.Trace as JSON
//                  {type: "error", id, message}    the run could not happen at all
//
// A new run cancels the one in progress (its partial trace is still
// posted). A program stuck in compiled code cannot be interrupted from here;
// the page terminates the worker after timeout + grace and starts a new one.
//
// wasm_exec.js and runner.wasm are loaded relative to this script's own URL,
// so the site works under any sub-path.
"use strict";

importScripts(new URL("wasm_exec.js", self.location.href).href);

let ready = false;
let announced = false; // "ready" is posted once, not again after a reload
let current = null; // {id, cancel}
const pending = []; // runs received before the wasm was ready

function post(msg) {
	self.postMessage(msg);
}

async function load() {
	const go = new Go();
	const url = new URL("runner.wasm", self.location.href).href;
	const readyPromise = new Promise((resolve) => { self.ormlabReady = resolve; });
	let instance;
	try {
		({ instance } = await WebAssembly.instantiateStreaming(fetch(url), go.importObject));
	} catch (e) {
		// Served with a MIME type other than application/wasm: fall back to bytes.
		const resp = await fetch(url);
		if (!resp.ok) throw new Error("loading runner.wasm: HTTP " + resp.status);
		({ instance } = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject));
	}
	go.run(instance).then(() => {
		// The Go side never returns on its own: it crashed. Fail the run in
		// progress and load a fresh instance, so the next run works.
		ready = false;
		const id = current ? current.id : null;
		current = null;
		post({ type: "error", id, message: "the runner crashed (an endless recursion exhausts the stack) and was restarted" });
		load().catch((e) => post({ type: "error", id: null, message: "could not reload the runner: " + String(e && e.message || e) }));
	});
	await readyPromise;
	ready = true;
	if (!announced) {
		announced = true;
		post({ type: "ready" });
	}
	warmUp();
	while (pending.length) start(pending.shift());
}

// warmUp runs a small ORM program once, in the background, right after
// loading: the first run of a fresh instance is several times slower than
// the next ones (the engine compiles the hot paths of the interpreter, the
// ORM and SQLite on first use), and the learner's first Run should not pay
// for it. A real run arriving meanwhile simply runs alongside.
function warmUp() {
	const program = [
		"package main",
		"",
		"import (",
		"\t\"fmt\"",
		"",
		"\t\"ormlab/orm\"",
		")",
		"",
		"type Warm struct {",
		"\tID   int    `orm:\"primary_key\"`",
		"\tName string `orm:\"size:10\"`",
		"}",
		"",
		"func main() {",
		"\te, _ := orm.CreateEngine(\"sqlite://\", orm.Echo(true))",
		"\tb := orm.NewBase()",
		"\tb.Map(Warm{}, \"warm\")",
		"\tb.CreateAll(e)",
		"\ts := orm.NewSession(e)",
		"\tdefer s.Close()",
		"\ts.Add(&Warm{Name: \"w\"})",
		"\ts.Commit()",
		"\tvar ws []*Warm",
		"\ts.Query(&ws).All()",
		"\tfmt.Println(len(ws))",
		"}",
		"",
	].join("\n");
	try {
		self.ormlabRun(JSON.stringify({ files: [{ name: "main.go", content: program }], options: { timeout_ms: 10000 } }), () => {});
	} catch (e) {
		// A failed warm-up only costs speed.
	}
}

function start(msg) {
	if (current) {
		current.cancel();
		current = null;
	}
	const request = JSON.stringify({ files: msg.files || [], options: msg.options || {} });
	const id = msg.id;
	let run = { id, cancel: () => {} };
	current = run;
	try {
		const cancel = self.ormlabRun(request, (traceJSON) => {
			if (current === run) current = null;
			let trace;
			try {
				trace = JSON.parse(traceJSON);
			} catch (e) {
				post({ type: "error", id, message: "the runner returned a malformed trace" });
				return;
			}
			post({ type: "result", id, trace });
		});
		if (typeof cancel === "function") {
			run.cancel = () => cancel();
		} else if (cancel instanceof Error) {
			current = null;
			post({ type: "error", id, message: cancel.message });
		}
	} catch (e) {
		current = null;
		post({ type: "error", id, message: String(e && e.message || e) });
	}
}

self.onmessage = (ev) => {
	const msg = ev.data || {};
	switch (msg.type) {
	case "run":
		if (!ready) {
			pending.length = 0; // only the latest run matters
			pending.push(msg);
			return;
		}
		start(msg);
		break;
	case "cancel":
		if (current && current.id === msg.id) {
			current.cancel();
		} else {
			const i = pending.findIndex((m) => m.id === msg.id);
			if (i >= 0) pending.splice(i, 1);
		}
		break;
	default:
		post({ type: "error", id: msg.id ?? null, message: "unknown message type " + JSON.stringify(msg.type) });
	}
};

load().catch((e) => {
	post({ type: "error", id: null, message: "could not load the runner: " + String(e && e.message || e) });
});
