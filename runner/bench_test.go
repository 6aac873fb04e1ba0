package runner_test

import (
	"context"
	"testing"
	"time"

	"ormlab/runner"
	"ormlab/runner/progs"
)

// BenchmarkRun measures the run latency of every lesson and test program
// natively (goal: median ≤ 50 ms per lesson program). Run with
// go test -run '^$' -bench Run ./runner/
func BenchmarkRun(b *testing.B) {
	all, err := progs.All()
	if err != nil {
		b.Fatal(err)
	}
	all = append([]progs.Program{{Name: "hello", Files: []runner.File{{Name: "main.go", Content: "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"}}}}, all...)
	for _, p := range all {
		b.Run(p.Name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				tr := runner.Run(context.Background(), runner.Request{Files: p.Files, Timeout: 20 * time.Second})
				if tr.Error != nil && i == 0 {
					b.Logf("%s: %s error: %s", p.Name, tr.Error.Kind, tr.Error.Message)
				}
			}
		})
	}
}
