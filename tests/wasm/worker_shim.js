// Runs web/runner-worker.js under Node with the few Web Worker globals it
// uses (self, location, importScripts, fetch, postMessage), to test the
// worker protocol without a browser. fetch serves files from the worker's
// directory and returns no streaming Response, so the worker's fallback
// path (instantiate from bytes) is the one exercised.
//
//   node worker_shim.js DIR < script.json
//
// DIR holds runner-worker.js, wasm_exec.js and runner.wasm. The script is a
// list of steps: {"send": msg}, {"wait": {"type": t, "id": id}}, {"sleep": ms}.
// Every worker → page message is printed as one JSON line, with "at_ms".
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL, fileURLToPath } = require("url");

const dir = path.resolve(process.argv[2]);
const steps = JSON.parse(fs.readFileSync(0, "utf8"));
const t0 = performance.now();

globalThis.self = globalThis;
self.location = { href: pathToFileURL(path.join(dir, "runner-worker.js")).href };
globalThis.importScripts = (...urls) => { for (const u of urls) require(fileURLToPath(u)); };
globalThis.fetch = async (url) => {
	const b = fs.readFileSync(fileURLToPath(url));
	return { ok: true, status: 200, arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) };
};
const seen = [];
let wake = () => {};
globalThis.postMessage = (msg) => {
	const line = { ...msg, at_ms: Math.round(performance.now() - t0) };
	process.stdout.write(JSON.stringify(line) + "\n");
	seen.push(msg);
	wake();
};

require(path.join(dir, "runner-worker.js"));

function waitFor(want, timeoutMs) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error("timed out waiting for " + JSON.stringify(want))), timeoutMs);
		const check = () => {
			const i = seen.findIndex((m) => m.type === want.type && (want.id === undefined || m.id === want.id));
			if (i >= 0) {
				seen.splice(i, 1);
				clearTimeout(timer);
				resolve();
				return true;
			}
			return false;
		};
		if (!check()) wake = () => { check(); };
	});
}

(async () => {
	for (const step of steps) {
		if (step.send) self.onmessage({ data: step.send });
		else if (step.wait) await waitFor(step.wait, 20000);
		else if (step.sleep) await new Promise((r) => setTimeout(r, step.sleep));
	}
	process.exit(0);
})().catch((e) => {
	console.error(String(e));
	process.exit(1);
});
