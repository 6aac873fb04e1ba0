package runner_test

import (
	"os"
	"runtime"
	"testing"
)

// TestMain runs the tests on one OS thread, as runner.Run's documentation
// asks of every process that runs programs with goroutines (yaegi's frames
// race under true parallelism).
func TestMain(m *testing.M) {
	runtime.GOMAXPROCS(1)
	os.Exit(m.Run())
}
