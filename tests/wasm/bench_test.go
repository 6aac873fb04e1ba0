//go:build wasmtest

package wasm

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"ormlab/runner"
	"ormlab/runner/progs"
)

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// BenchmarkWasm reports, for runner.wasm under Node: its size raw and
// brotli-compressed (budget 6 MB brotli), the time to instantiate it and
// to start the Go side, the first run of a trivial program (interpreter
// start-up, goal ≤ 300 ms) and the median run latency of every lesson and
// test program (goal ≤ 150 ms per lesson program). The figures are custom
// metrics; ns/op is the whole measurement.
//
//	go test -tags wasmtest -run '^$' -bench Wasm ./tests/wasm/
func BenchmarkWasm(b *testing.B) {
	dir := built(b)
	wasmPath := filepath.Join(dir, "runner.wasm")
	st, err := os.Stat(wasmPath)
	if err != nil {
		b.Fatal(err)
	}
	brotliSize := 0.0
	if _, err := exec.LookPath("brotli"); err != nil {
		b.Fatal("brotli is not installed: run `make deps` (or apt-get install -y brotli)")
	}
	out, err := exec.Command("brotli", "-c", "-q", "11", wasmPath).Output()
	if err != nil {
		b.Fatal(err)
	}
	brotliSize = float64(len(out))

	all, err := progs.All()
	if err != nil {
		b.Fatal(err)
	}
	hello := runner.File{Name: "main.go", Content: "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"}
	reqs := []wireReq{{Files: []runner.File{hello}}}
	for _, p := range all {
		reqs = append(reqs, wireReq{Files: p.Files, Options: runner.WireOptions{TimeoutMS: 20000}})
	}
	for i := 0; i < b.N; i++ {
		// First instance: the very first run, cold.
		cold := runWasm(b, reqs[:1], 1)
		h := runWasm(b, reqs, 15)
		b.ReportMetric(float64(st.Size())/1e6, "MB_raw")
		b.ReportMetric(brotliSize/1e6, "MB_brotli")
		b.ReportMetric(cold.LoadMS, "ms_instantiate")
		b.ReportMetric(cold.StartupMS, "ms_go_start")
		b.ReportMetric(cold.Results[0].MS[0], "ms_first_run")
		b.ReportMetric(median(h.Results[0].MS), "ms_hello_median")
		for j, p := range all {
			name := strings.NewReplacer("/", "_", "-", "_").Replace(p.Name)
			b.ReportMetric(median(h.Results[j+1].MS), "ms_"+name)
		}
	}
}
