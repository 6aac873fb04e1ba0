package runner_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"ormlab/runner"
	"ormlab/runner/progs"
	"ormlab/runner/trace"
)

// Every program's trace (statements, parameters, tables, pool events; not
// the timings) is the same on every run: a shared link reproduces what its
// author saw, and map iteration order never leaks into the SQL.
func TestTracesAreDeterministic(t *testing.T) {
	all, err := progs.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		t.Run(p.Name, func(t *testing.T) {
			var first []byte
			for i := 0; i < 4; i++ {
				tr := runner.Run(context.Background(), runner.Request{Files: p.Files, Timeout: 20 * time.Second})
				got := stableTrace(t, tr)
				if i == 0 {
					first = got
					continue
				}
				if string(got) != string(first) {
					t.Fatalf("run %d differs from run 1:\n%s\nvs\n%s", i+1, got, first)
				}
			}
		})
	}
}

// stableTrace is the trace as JSON without its timings.
func stableTrace(t *testing.T, tr *trace.Trace) []byte {
	t.Helper()
	c := tr.WithoutTimings()
	b, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
