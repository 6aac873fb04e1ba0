//go:build wasmtest

// Package wasm tests runner.wasm under Node: every lesson and test program,
// and the limit cases, must give the same trace as the native runner
// (durations aside), and web/runner-worker.js must follow its protocol.
// Run with `make test-wasm` (go test -tags wasmtest ./tests/wasm/...).
package wasm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"ormlab/runner"
	"ormlab/runner/progs"
	"ormlab/runner/trace"
)

func TestMain(m *testing.M) {
	runtime.GOMAXPROCS(1) // see the runner's package documentation
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// built compiles runner.wasm once and returns a directory holding it with
// wasm_exec.js and runner-worker.js, laid out as in dist/.
func built(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := progs.ModuleRoot()
		if err != nil {
			buildErr = err
			return
		}
		buildDir, buildErr = os.MkdirTemp("", "ormlab-wasmtest-")
		if buildErr != nil {
			return
		}
		goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
		cmd := exec.Command(goBin, "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(buildDir, "runner.wasm"), "./wasm/runner")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building runner.wasm: %v\n%s", err, out)
			return
		}
		for src, dst := range map[string]string{
			filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
			filepath.Join(root, "web", "runner-worker.js"):                 "runner-worker.js",
		} {
			b, err := os.ReadFile(src)
			if err != nil {
				buildErr = err
				return
			}
			if err := os.WriteFile(filepath.Join(buildDir, dst), b, 0o644); err != nil {
				buildErr = err
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

func node(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: run `make deps` (or apt-get install -y nodejs)")
	}
	return p
}

// wireReq is a request in the harness's format.
type wireReq struct {
	Files         []runner.File      `json:"files"`
	Options       runner.WireOptions `json:"options"`
	CancelAfterMS int                `json:"cancel_after_ms,omitempty"`
}

type harnessOut struct {
	LoadMS    float64 `json:"load_ms"`
	StartupMS float64 `json:"startup_ms"`
	Results   []struct {
		Trace json.RawMessage `json:"trace"`
		MS    []float64       `json:"ms"`
	} `json:"results"`
}

// runWasm runs the requests in one Node process (one wasm instance).
func runWasm(t testing.TB, reqs []wireReq, repeat int) harnessOut {
	t.Helper()
	dir := built(t)
	in, _ := json.Marshal(map[string]any{"requests": reqs, "repeat": repeat})
	cmd := exec.Command(node(t), "harness.js", filepath.Join(dir, "wasm_exec.js"), filepath.Join(dir, "runner.wasm"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node harness: %v\n%s", err, stderr.String())
	}
	var h harnessOut
	if err := json.Unmarshal(out, &h); err != nil {
		t.Fatalf("harness output: %v\n%s", err, out)
	}
	if len(h.Results) != len(reqs) {
		t.Fatalf("harness returned %d results for %d requests", len(h.Results), len(reqs))
	}
	return h
}

// normalise zeroes what legitimately differs between two runs of the same
// program: durations and the pool's real-clock times.
func normalise(t testing.TB, raw []byte) map[string]any {
	t.Helper()
	var tr trace.Trace
	if err := json.Unmarshal(raw, &tr); err != nil {
		t.Fatalf("trace: %v\n%s", err, raw)
	}
	stable := tr.WithoutTimings()
	b, _ := json.Marshal(&stable)
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

// firstDiff names the first place where two decoded JSON values differ,
// with both values there.
func firstDiff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !reflect.DeepEqual(x[k], y[k]) {
				return firstDiff(path+"."+k, x[k], y[k])
			}
		}
		return path
	case []any:
		y, ok := b.([]any)
		if !ok {
			break
		}
		for i := 0; i < len(x) && i < len(y); i++ {
			if !reflect.DeepEqual(x[i], y[i]) {
				return firstDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i])
			}
		}
		return fmt.Sprintf("%s (lengths %d and %d)", path, len(x), len(y))
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return fmt.Sprintf("%s: %s vs %s", path, ja, jb)
}

type testCase struct {
	name string
	req  wireReq
	// check runs extra assertions on the wasm trace and its run time.
	check func(t *testing.T, tr *trace.Trace, ms float64)
}

func limitCases() []testCase {
	src := func(s string) []runner.File { return []runner.File{{Name: "main.go", Content: s}} }
	return []testCase{
		{name: "endless loop", req: wireReq{Files: src("package main\n\nfunc main() {\n\tn := 0\n\tfor {\n\t\tn++\n\t}\n}\n"), Options: runner.WireOptions{TimeoutMS: 1000}},
			check: func(t *testing.T, tr *trace.Trace, ms float64) {
				if tr.Error == nil || tr.Error.Kind != trace.ErrTimeout {
					t.Errorf("want a timeout error, got %+v", tr.Error)
				}
				if ms > 1500 {
					t.Errorf("endless loop stopped after %.0f ms, want ≤ 1500", ms)
				}
			}},
		{name: "10 MB print", req: wireReq{Files: src("package main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nfunc main() {\n\ts := strings.Repeat(\"y\", 1023)\n\tfor i := 0; i < 10240; i++ {\n\t\tfmt.Println(s)\n\t}\n}\n")},
			check: func(t *testing.T, tr *trace.Trace, ms float64) {
				if tr.Error == nil || tr.Error.Kind != trace.ErrLimit || len(tr.Stdout) != runner.DefaultOutputLimit {
					t.Errorf("want a limit error and 1 MB kept, got %+v and %d bytes", tr.Error, len(tr.Stdout))
				}
			}},
		{name: "panic line", req: wireReq{Files: src("package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"a\")\n\tvar m map[int]bool\n\tm[1] = true\n}\n")},
			check: func(t *testing.T, tr *trace.Trace, ms float64) {
				if tr.Error == nil || tr.Error.Kind != trace.ErrRuntime || tr.Error.Line != 8 {
					t.Errorf("want a runtime error on line 8, got %+v", tr.Error)
				}
			}},
		{name: "goroutine panic", req: wireReq{Files: src("package main\n\nimport \"time\"\n\nfunc main() {\n\tgo func() {\n\t\tvar p *struct{ X int }\n\t\tp.X = 1\n\t}()\n\ttime.Sleep(time.Second)\n}\n")},
			check: func(t *testing.T, tr *trace.Trace, ms float64) {
				if tr.Error == nil || tr.Error.Kind != trace.ErrRuntime || tr.Error.Line != 8 {
					t.Errorf("want a runtime error on line 8, got %+v", tr.Error)
				}
			}},
		{name: "compile error", req: wireReq{Files: src("package main\n\nfunc main() {\n\tundefinedThing()\n}\n")},
			check: func(t *testing.T, tr *trace.Trace, ms float64) {
				if tr.Error == nil || tr.Error.Kind != trace.ErrCompile || tr.Error.Line != 4 {
					t.Errorf("want a compile error on line 4, got %+v", tr.Error)
				}
			}},
		{name: "forbidden syscall/js", req: wireReq{Files: src("package main\n\nimport \"syscall/js\"\n\nfunc main() {\n\tjs.Global().Call(\"eval\", \"1\")\n}\n")},
			check: func(t *testing.T, tr *trace.Trace, ms float64) {
				if tr.Error == nil || tr.Error.Kind != trace.ErrCompile || !strings.Contains(tr.Error.Message, `package "syscall/js" is not available in the playground`) {
					t.Errorf("want the import refused, got %+v", tr.Error)
				}
			}},
		{name: "leftover goroutine", req: wireReq{Files: src("package main\n\nimport \"fmt\"\n\nfunc main() {\n\tgo func() {\n\t\tfor {\n\t\t}\n\t}()\n\tfmt.Println(\"done\")\n}\n"), Options: runner.WireOptions{TimeoutMS: 3000}},
			check: func(t *testing.T, tr *trace.Trace, ms float64) {
				if tr.Error != nil || tr.Stdout != "done\n" {
					t.Errorf("want a clean run, got %q %+v", tr.Stdout, tr.Error)
				}
			}},
	}
}

// TestWasmMatchesNative runs every program and limit case in runner.wasm
// and natively, and compares the traces.
func TestWasmMatchesNative(t *testing.T) {
	all, err := progs.All()
	if err != nil {
		t.Fatal(err)
	}
	cases := limitCases()
	for _, p := range all {
		cases = append(cases, testCase{name: p.Name, req: wireReq{Files: p.Files, Options: runner.WireOptions{TimeoutMS: 20000}}})
	}
	reqs := make([]wireReq, len(cases))
	for i, c := range cases {
		reqs[i] = c.req
	}
	h := runWasm(t, reqs, 1)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wasmRaw := h.Results[i].Trace
			native := runner.Run(context.Background(), runner.Request{
				Files:   c.req.Files,
				Timeout: time.Duration(c.req.Options.TimeoutMS) * time.Millisecond,
			})
			nativeRaw, _ := json.Marshal(native)
			if got, want := normalise(t, wasmRaw), normalise(t, nativeRaw); !reflect.DeepEqual(got, want) {
				t.Errorf("wasm trace differs from native at %s\n--- wasm:\n%s\n--- native:\n%s", firstDiff("trace", got, want), clip(wasmRaw), clip(nativeRaw))
			}
			if c.check != nil {
				var tr trace.Trace
				json.Unmarshal(wasmRaw, &tr)
				c.check(t, &tr, h.Results[i].MS[0])
			}
		})
	}
}

func clip(b []byte) string {
	if len(b) > 3000 {
		return string(b[:3000]) + "…"
	}
	return string(b)
}

// TestWorkerProtocol drives web/runner-worker.js: ready, result, a new run
// cancelling the old one, an explicit cancel, an unknown message.
func TestWorkerProtocol(t *testing.T) {
	dir := built(t)
	sleeper := []runner.File{{Name: "main.go", Content: "package main\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\nfunc main() {\n\tfmt.Println(\"start\")\n\ttime.Sleep(3 * time.Second)\n\tfmt.Println(\"end\")\n}\n"}}
	hello := []runner.File{{Name: "main.go", Content: "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"}}
	opts := map[string]any{"timeout_ms": 5000}
	steps := []map[string]any{
		{"wait": map[string]any{"type": "ready"}},
		{"send": map[string]any{"type": "run", "id": 1, "files": hello, "options": opts}},
		{"wait": map[string]any{"type": "result", "id": 1}},
		{"send": map[string]any{"type": "run", "id": 2, "files": sleeper, "options": opts}},
		{"sleep": 200},
		{"send": map[string]any{"type": "run", "id": 3, "files": hello, "options": opts}},
		{"wait": map[string]any{"type": "result", "id": 2}},
		{"wait": map[string]any{"type": "result", "id": 3}},
		{"send": map[string]any{"type": "run", "id": 4, "files": sleeper, "options": opts}},
		{"sleep": 200},
		{"send": map[string]any{"type": "cancel", "id": 4}},
		{"wait": map[string]any{"type": "result", "id": 4}},
		{"send": map[string]any{"type": "bogus", "id": 5}},
		{"wait": map[string]any{"type": "error", "id": 5}},
	}
	byID, order := runWorkerShim(t, dir, steps)
	if order[0] != "ready/<nil>" {
		t.Errorf("first message %s, want ready", order[0])
	}
	if m := byID["result/1"]; m.Trace == nil || m.Trace.Stdout != "hello\n" || m.Trace.Error != nil {
		t.Errorf("run 1: %+v", m)
	}
	if m := byID["result/2"]; m.Trace == nil || m.Trace.Stdout != "start\n" || m.Trace.Error == nil || m.Trace.Error.Kind != trace.ErrTimeout {
		t.Errorf("run 2 should have been cancelled by run 3 with its partial output: %+v", m.Trace)
	}
	if m := byID["result/3"]; m.Trace == nil || m.Trace.Stdout != "hello\n" {
		t.Errorf("run 3: %+v", m.Trace)
	}
	if m := byID["result/4"]; m.Trace == nil || m.Trace.Error == nil || !strings.Contains(m.Trace.Error.Message, "cancelled") {
		t.Errorf("run 4 should have been cancelled: %+v", m.Trace)
	}
	if m, ok := byID["error/5"]; !ok || !strings.Contains(m.Message, "unknown message type") {
		t.Errorf("unknown message: %+v", m)
	}
	// Run 2 sleeps 3 s; cancelled by run 3 after 200 ms, its result must
	// come well before the sleep would have ended.
	if r1, r2 := byID["result/1"], byID["result/2"]; r2.AtMS-r1.AtMS > 2800 {
		t.Errorf("the cancelled run took %d ms after the previous result: not cancelled", r2.AtMS-r1.AtMS)
	}
}

// TestWorkerCancelsTightLoop: a program spinning in a loop that calls
// nothing still reads the worker's cancel message (the runner yields to the
// event loop now and then), so the page need not kill the worker: the
// cancelled run answers with its partial output long before its time limit.
func TestWorkerCancelsTightLoop(t *testing.T) {
	dir := built(t)
	spin := []runner.File{{Name: "main.go", Content: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"spinning\")\n\tn := 0\n\tfor {\n\t\tn++\n\t}\n}\n"}}
	hello := []runner.File{{Name: "main.go", Content: "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"}}
	opts := map[string]any{"timeout_ms": 8000}
	steps := []map[string]any{
		{"wait": map[string]any{"type": "ready"}},
		{"send": map[string]any{"type": "run", "id": 1, "files": hello, "options": opts}},
		{"wait": map[string]any{"type": "result", "id": 1}},
		{"send": map[string]any{"type": "run", "id": 2, "files": spin, "options": opts}},
		{"sleep": 300},
		{"send": map[string]any{"type": "cancel", "id": 2}},
		{"wait": map[string]any{"type": "result", "id": 2}},
		{"send": map[string]any{"type": "run", "id": 3, "files": hello, "options": opts}},
		{"wait": map[string]any{"type": "result", "id": 3}},
	}
	byID, _ := runWorkerShim(t, dir, steps)
	r1, r2 := byID["result/1"], byID["result/2"]
	if r2.Trace == nil || r2.Trace.Error == nil || !strings.Contains(r2.Trace.Error.Message, "cancelled") || r2.Trace.Stdout != "spinning\n" {
		t.Fatalf("the spinning run should end cancelled with its output: %+v", r2.Trace)
	}
	// Cancelled after 300 ms; its time limit is 8 s. (A generous bound: the
	// machine may be loaded; without yielding it would be 8 s.)
	if d := r2.AtMS - r1.AtMS; d > 4000 {
		t.Errorf("the cancelled loop answered %d ms after it started: the cancel was not read", d)
	}
	if m := byID["result/3"]; m.Trace == nil || m.Trace.Stdout != "hello\n" {
		t.Errorf("the run after the cancelled one: %+v", m.Trace)
	}
}

// shimMsg is one message the worker posted, as worker_shim.js prints it.
type shimMsg struct {
	Type    string       `json:"type"`
	ID      any          `json:"id"`
	Trace   *trace.Trace `json:"trace"`
	Message string       `json:"message"`
	AtMS    int          `json:"at_ms"`
}

// runWorkerShim plays steps (send / wait / sleep) against the worker in
// dir under Node and returns its messages keyed "type/id", and their order.
func runWorkerShim(t *testing.T, dir string, steps []map[string]any) (map[string]shimMsg, []string) {
	t.Helper()
	in, _ := json.Marshal(steps)
	cmd := exec.Command(node(t), "worker_shim.js", dir)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("worker shim: %v\n%s\n%s", err, out, stderr.String())
	}
	byID := map[string]shimMsg{}
	var order []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var m shimMsg
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("bad line %q", line)
		}
		key := fmt.Sprintf("%s/%v", m.Type, m.ID)
		byID[key] = m
		order = append(order, key)
	}
	return byID, order
}
