package runner_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"ormlab/runner"
	"ormlab/runner/progs"
)

// TestFaithfulToGo builds every lesson program and every program under
// runner/testdata/progs with the real Go toolchain, runs it, and checks
// that the interpreted run prints exactly the same output, without error.
func TestFaithfulToGo(t *testing.T) {
	all, err := progs.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 4 {
		t.Fatalf("found only %d programs; runner/testdata/progs should hold at least 4", len(all))
	}
	root, err := progs.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	bin := t.TempDir()
	for _, p := range all {
		t.Run(p.Name, func(t *testing.T) {
			exe := filepath.Join(bin, filepath.Base(p.Dir))
			build := exec.Command(goBin, "build", "-tags", progs.BuildTags, "-o", exe, "./"+p.Name)
			build.Dir = root
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build ./%s: %v\n%s", p.Name, err, out)
			}
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(exe)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("compiled program failed: %v\n%s", err, stderr.String())
			}
			tr := runner.Run(context.Background(), runner.Request{Files: p.Files, Timeout: 20 * time.Second})
			if tr.Error != nil {
				t.Fatalf("interpreted run failed: %+v", *tr.Error)
			}
			if tr.Stdout != stdout.String() {
				t.Errorf("output differs\n--- go build:\n%s\n--- interpreted:\n%s", stdout.String(), tr.Stdout)
			}
		})
	}
}
