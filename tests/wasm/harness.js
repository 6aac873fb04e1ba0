// Node harness for runner.wasm: loads it the way web/runner-worker.js does
// (Go's wasm_exec.js, no file system given to the Go side), then runs the
// requests read as JSON on stdin and prints one JSON object on stdout:
//
//   node harness.js WASM_EXEC_JS RUNNER_WASM < {"requests": [...], "repeat": N}
//   → {"load_ms": …, "startup_ms": …, "results": [{"trace": {...}, "ms": [...]}, …]}
//
// Each request is a runner wire request ({"files", "options"}) plus an
// optional "cancel_after_ms" (the harness calls the returned cancel function).
"use strict";
const fs = require("fs");

const [wasmExec, wasmPath] = process.argv.slice(2);
if (!wasmExec || !wasmPath) {
	console.error("usage: node harness.js wasm_exec.js runner.wasm < requests.json");
	process.exit(2);
}
require(wasmExec);

async function main() {
	const input = JSON.parse(fs.readFileSync(0, "utf8"));
	const repeat = input.repeat || 1;
	const t0 = performance.now();
	const bytes = fs.readFileSync(wasmPath);
	const ready = new Promise((resolve) => { globalThis.ormlabReady = resolve; });
	const go = new Go();
	const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
	const t1 = performance.now();
	go.run(instance);
	await ready;
	const t2 = performance.now();

	const runOnce = (req) => new Promise((resolve) => {
		const { cancel_after_ms, ...wire } = req;
		const cancel = globalThis.ormlabRun(JSON.stringify(wire), (s) => resolve(JSON.parse(s)));
		if (cancel_after_ms) setTimeout(() => cancel(), cancel_after_ms);
	});

	const results = [];
	for (const req of input.requests) {
		const ms = [];
		let trace;
		for (let i = 0; i < repeat; i++) {
			const s = performance.now();
			trace = await runOnce(req);
			ms.push(performance.now() - s);
		}
		results.push({ trace, ms });
	}
	process.stdout.write(JSON.stringify({ load_ms: t1 - t0, startup_ms: t2 - t1, results }) + "\n", () => process.exit(0));
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
