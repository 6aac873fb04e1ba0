package runner_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"ormlab/runner"
	"ormlab/runner/trace"
)

func run1(t *testing.T, src string) *trace.Trace {
	t.Helper()
	return runner.Run(context.Background(), runner.Request{Files: []runner.File{{Name: "main.go", Content: src}}, Timeout: 3 * time.Second})
}

func wantError(t *testing.T, tr *trace.Trace, kind string, line int, msgPart string) {
	t.Helper()
	if tr.Error == nil {
		t.Fatalf("want a %s error, got none (stdout %q)", kind, tr.Stdout)
	}
	if tr.Error.Kind != kind {
		t.Errorf("kind = %q, want %q (%+v)", tr.Error.Kind, kind, *tr.Error)
	}
	if line > 0 && tr.Error.Line != line {
		t.Errorf("line = %d, want %d (%+v)", tr.Error.Line, line, *tr.Error)
	}
	if !strings.Contains(tr.Error.Message, msgPart) {
		t.Errorf("message %q does not contain %q", tr.Error.Message, msgPart)
	}
	for _, internal := range []string{"ormlabrt_", "yaegi", "reflect.Value", "CFG"} {
		if strings.Contains(tr.Error.Message, internal) && !strings.Contains(msgPart, internal) {
			t.Errorf("message %q leaks interpreter internals (%s)", tr.Error.Message, internal)
		}
	}
}

func TestHelloOutputInTrace(t *testing.T) {
	// Nothing may reach the process's own stdout or stderr: swap them for
	// pipes while the program prints through every path it has.
	oldOut, oldErr := os.Stdout, os.Stderr
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout, os.Stderr = w, w
	var leaked []byte
	done := make(chan struct{})
	go func() { leaked, _ = io.ReadAll(r); close(done) }()
	tr := run1(t, `package main

import "fmt"

func main() {
	fmt.Println("hello", 42)
	fmt.Printf("%d-%s\n", 7, "x")
	fmt.Print("no newline")
	println(" println")
	var m map[string]int
	m["x"] = 1
}
`)
	os.Stdout, os.Stderr = oldOut, oldErr
	w.Close()
	<-done
	if len(leaked) != 0 {
		t.Errorf("the run wrote to the process's stdout/stderr: %q", leaked)
	}
	if want := "hello 42\n7-x\nno newline println\n"; tr.Stdout != want {
		t.Errorf("stdout = %q, want %q", tr.Stdout, want)
	}
	wantError(t, tr, trace.ErrRuntime, 11, "assignment to entry in nil map")
}

func TestForbiddenImports(t *testing.T) {
	for _, pkg := range []string{"os", "os/exec", "net", "net/http", "syscall", "syscall/js", "unsafe", "reflect",
		"io/fs", "io/ioutil", "plugin", "runtime", "runtime/debug", "path/filepath", "log", "database/sql",
		"C", "ormlab/runner/rt", "ormlab/driver", "github.com/traefik/yaegi/interp", "ormlab/runner"} {
		t.Run(strings.ReplaceAll(pkg, "/", "_"), func(t *testing.T) {
			tr := run1(t, fmt.Sprintf("package main\n\nimport (\n\t\"fmt\"\n\tx %q\n)\n\nvar _ = x.Foo\n\nfunc main() { fmt.Println() }\n", pkg))
			wantError(t, tr, trace.ErrCompile, 5, fmt.Sprintf("package %q is not available in the playground", pkg))
			if tr.Error != nil && (tr.Error.File != "main.go" || tr.Error.Col != 4) {
				t.Errorf("position %s:%d:%d, want main.go:5:4", tr.Error.File, tr.Error.Line, tr.Error.Col)
			}
		})
	}
}

func TestAllowedImportsWork(t *testing.T) {
	tr := run1(t, `package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

func main() {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%.2f", math.Sqrt(2))
	_ = context.Background()
	j, _ := json.Marshal(map[string]int{"a": 1})
	var n int64
	atomic.AddInt64(&n, 2)
	var once sync.Once
	once.Do(func() { n++ })
	s := []string{"b", "a"}
	sort.Strings(s)
	_ = rand.Intn(10)
	_, _ = io.ReadAll(strings.NewReader("x"))
	fmt.Println(b.String(), string(j), n, s, strconv.Itoa(5), unicode.IsUpper('A'), utf8.RuneLen('é'),
		errors.New("e"), time.Duration(90)*time.Second, slices.Contains(s, "a"))
}
`)
	if tr.Error != nil {
		t.Fatalf("unexpected error %+v", *tr.Error)
	}
	if want := "1.41 {\"a\":1} 3 [a b] 5 true 2 e 1m30s true\n"; tr.Stdout != want {
		t.Errorf("stdout = %q, want %q", tr.Stdout, want)
	}
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"undefined", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(nope)\n}\n", 6, 14, "undefined: nope"},
		{"syntax", "package main\n\nfunc main() {\n\tx := \n}\n", 5, 1, "expected"},
		{"type mismatch", "package main\n\nfunc main() {\n\tvar s string = 1\n\t_ = s\n}\n", 4, 0, ""},
		{"no main", "package main\n\nfunc f() {}\n", 0, 0, "function main is undeclared"},
		{"not package main", "package lib\n\nfunc main() {}\n", 1, 9, "package main"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := run1(t, c.src)
			wantError(t, tr, trace.ErrCompile, c.line, c.msg)
			if c.col > 0 && tr.Error != nil && tr.Error.Col != c.col {
				t.Errorf("col = %d, want %d", tr.Error.Col, c.col)
			}
		})
	}
}

func TestMultipleFiles(t *testing.T) {
	files := []runner.File{
		{Name: "main.go", Content: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(greet(\"ada\"), Version)\n}\n"},
		{Name: "greet.go", Content: "package main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nconst Version = 2\n\nfunc greet(n string) string { return fmt.Sprint(\"hi \", strings.ToUpper(n)) }\n"},
	}
	tr := runner.Run(context.Background(), runner.Request{Files: files})
	if tr.Error != nil || tr.Stdout != "hi ADA 2\n" {
		t.Fatalf("got %q %+v", tr.Stdout, tr.Error)
	}
	// An error in the second file is reported in that file.
	files[1].Content = strings.Replace(files[1].Content, "strings.ToUpper(n)", "strings.ToUpper(m)", 1)
	tr = runner.Run(context.Background(), runner.Request{Files: files})
	wantError(t, tr, trace.ErrCompile, 10, "undefined: m")
	if tr.Error != nil && tr.Error.File != "greet.go" {
		t.Errorf("file = %q, want greet.go", tr.Error.File)
	}
	// A panic in the second file too.
	files[1].Content = strings.Replace(files[1].Content, "return fmt.Sprint", "var p *struct{ X int }\n\t_ = p.X\n\treturn fmt.Sprint", 1)
	files[1].Content = strings.Replace(files[1].Content, "strings.ToUpper(m)", "strings.ToUpper(n)", 1)
	tr = runner.Run(context.Background(), runner.Request{Files: files})
	wantError(t, tr, trace.ErrRuntime, 11, "nil pointer dereference")
	if tr.Error != nil && tr.Error.File != "greet.go" {
		t.Errorf("file = %q, want greet.go", tr.Error.File)
	}
	// Two packages.
	files[1].Content = "package other\n"
	tr = runner.Run(context.Background(), runner.Request{Files: files})
	wantError(t, tr, trace.ErrCompile, 1, "package main")
}

func TestPanicLines(t *testing.T) {
	cases := []struct {
		name string
		src  string
		line int
		msg  string
	}{
		{"nil map in main after defer", `package main

import "fmt"

func main() {
	defer fmt.Println("deferred")
	var m map[string]int
	fmt.Println("before")
	m["a"] = 1
	fmt.Println("after")
}
`, 9, "panic: assignment to entry in nil map"},
		{"index in nested function", `package main

func at(xs []int, i int) int {
	n := len(xs)
	_ = n
	return xs[i]
}

func main() {
	xs := []int{1, 2, 3}
	println(at(xs, 1))
	println(at(xs, 5))
}
`, 6, "index out of range"},
		{"explicit panic", `package main

import "errors"

func check(ok bool) {
	if !ok {
		panic(errors.New("check failed"))
	}
}

func main() {
	check(true)
	check(false)
}
`, 7, "panic: check failed"},
		{"nil pointer", `package main

type Node struct {
	Next *Node
	V    int
}

func sum(n *Node) int {
	total := 0
	for p := n; ; p = p.Next {
		println("at", p != nil)
		total += p.V
	}
}

func main() {
	println(sum(&Node{V: 1}))
}
`, 12, "nil pointer dereference"},
		{"goroutine", `package main

import "time"

func work(c chan int) {
	v := <-c
	panic(v)
}

func main() {
	c := make(chan int)
	go work(c)
	c <- 42
	time.Sleep(time.Second)
}
`, 7, "panic: 42"},
		{"division by zero", `package main

import "fmt"

func div(a, b int) int {
	return a / b
}

func main() {
	fmt.Println(div(1, 0))
}
`, 6, "divide by zero"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := run1(t, c.src)
			wantError(t, tr, trace.ErrRuntime, c.line, c.msg)
		})
	}
}

func TestPanicKeepsPartialOutput(t *testing.T) {
	tr := run1(t, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"one\")\n\tpanic(\"stop\")\n}\n")
	wantError(t, tr, trace.ErrRuntime, 7, "panic: stop")
	if tr.Stdout != "one\n" {
		t.Errorf("stdout %q", tr.Stdout)
	}
}

func TestTimeouts(t *testing.T) {
	cases := map[string]string{
		"endless loop":    "package main\n\nfunc main() {\n\tx := 0\n\tfor {\n\t\tx++\n\t}\n}\n",
		"empty loop":      "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n",
		"sleep":           "package main\n\nimport \"time\"\n\nfunc main() {\n\ttime.Sleep(time.Hour)\n}\n",
		"blocked channel": "package main\n\nfunc main() {\n\tc := make(chan int)\n\t<-c\n}\n",
		"select forever":  "package main\n\nfunc main() {\n\tselect {}\n}\n",
		"busy goroutines": "package main\n\nimport \"sync\"\n\nfunc main() {\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 4; i++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tfor {\n\t\t\t}\n\t\t}()\n\t}\n\twg.Wait()\n}\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			limit := 500 * time.Millisecond
			start := time.Now()
			tr := runner.Run(context.Background(), runner.Request{Files: []runner.File{{Name: "main.go", Content: src}}, Timeout: limit})
			took := time.Since(start)
			wantError(t, tr, trace.ErrTimeout, 0, "ran longer than 500ms")
			grace := 500 * time.Millisecond
			if name == "busy goroutines" {
				// Four goroutines spinning on one thread (GOMAXPROCS 1) share
				// it with the stopper: allow more on a loaded machine.
				grace = 2 * time.Second
			}
			if took > limit+grace {
				t.Errorf("stopped after %v, want within %v", took, limit+grace)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	start := time.Now()
	tr := runner.Run(ctx, runner.Request{Files: []runner.File{{Name: "main.go", Content: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"started\")\n\tfor {\n\t}\n}\n"}}})
	wantError(t, tr, trace.ErrTimeout, 0, "cancelled")
	if time.Since(start) > time.Second {
		t.Errorf("cancel took %v", time.Since(start))
	}
	if tr.Stdout != "started\n" {
		t.Errorf("partial output lost: %q", tr.Stdout)
	}
}

func TestOutputLimit(t *testing.T) {
	start := time.Now()
	tr := runner.Run(context.Background(), runner.Request{Files: []runner.File{{Name: "main.go", Content: `package main

import (
	"fmt"
	"strings"
)

func main() {
	line := strings.Repeat("x", 1023)
	for i := 0; i < 10*1024; i++ {
		fmt.Println(line)
	}
	fmt.Println("not reached")
}
`}}})
	wantError(t, tr, trace.ErrLimit, 0, "output truncated")
	if len(tr.Stdout) != runner.DefaultOutputLimit {
		t.Errorf("kept %d bytes of output, want exactly %d", len(tr.Stdout), runner.DefaultOutputLimit)
	}
	if strings.Contains(tr.Stdout, "not reached") {
		t.Error("the program went on after the limit")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %v", took)
	}
}

func TestLeftoverGoroutinesStopped(t *testing.T) {
	start := time.Now()
	tr := runner.Run(context.Background(), runner.Request{Timeout: 20 * time.Second, Files: []runner.File{{Name: "main.go", Content: `package main

import "fmt"

func main() {
	go func() {
		for {
		}
	}()
	go func() {
		select {}
	}()
	fmt.Println("main done")
}
`}}})
	if tr.Error != nil {
		t.Fatalf("unexpected error %+v", *tr.Error)
	}
	if tr.Stdout != "main done\n" {
		t.Errorf("stdout %q", tr.Stdout)
	}
	// Far below the time limit: the run ended when main returned.
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("a finished program with leftover goroutines took %v", took)
	}
}

func TestRecoveredPanicIsNotAnError(t *testing.T) {
	tr := run1(t, `package main

import "fmt"

func main() {
	defer func() {
		fmt.Println("recovered:", recover())
	}()
	var xs []int
	_ = xs[3]
}
`)
	if tr.Error != nil {
		t.Fatalf("unexpected error %+v", *tr.Error)
	}
	if !strings.HasPrefix(tr.Stdout, "recovered: ") || !strings.Contains(tr.Stdout, "index out of range") {
		t.Errorf("stdout %q", tr.Stdout)
	}
}

func TestConcurrentRunsDoNotMix(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src := fmt.Sprintf("package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 100; i++ {\n\t\tfmt.Print(%d)\n\t}\n}\n", i)
			tr := runner.Run(context.Background(), runner.Request{Files: []runner.File{{Name: "main.go", Content: src}}})
			if want := strings.Repeat(fmt.Sprint(i), 100); tr.Stdout != want || tr.Error != nil {
				errs <- fmt.Sprintf("run %d: %q %+v", i, tr.Stdout, tr.Error)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestGo122LoopVariables(t *testing.T) {
	tr := run1(t, `package main

import "fmt"

func main() {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	var ps []*string
	for _, s := range []string{"a", "b"} {
		ps = append(ps, &s)
	}
	for _, f := range fs {
		fmt.Print(f())
	}
	fmt.Println(*ps[0], *ps[1])
	for i := 0; i < 10; i++ {
		if i == 2 {
			i += 5
		}
		fmt.Print(i)
	}
	fmt.Println()
}
`)
	if tr.Error != nil || tr.Stdout != "012a b\n01789\n" {
		t.Fatalf("got %q %+v", tr.Stdout, tr.Error)
	}
}

func TestTraceIsNeverNil(t *testing.T) {
	tr := runner.Run(context.Background(), runner.Request{})
	if tr == nil || tr.Error == nil || tr.Statements == nil || tr.Pool == nil || tr.Tables == nil {
		t.Fatalf("incomplete trace for an empty request: %+v", tr)
	}
}

func TestChecksYaegiSkips(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"unused import", "package main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nfunc main() { fmt.Println() }\n", 5, `"strings" imported and not used`},
		{"unused variable", "package main\n\nfunc main() {\n\tx := 1\n\ty, z := 2, 3\n\tprintln(x, z)\n}\n", 5, "declared and not used: y"},
		{"unused var decl", "package main\n\nfunc main() {\n\tvar total int\n}\n", 4, "declared and not used: total"},
		{"unused range value", "package main\n\nfunc main() {\n\tfor i, v := range []int{1} {\n\t\tprintln(i)\n\t}\n}\n", 4, "declared and not used: v"},
		{"missing return", "package main\n\nfunc f(x int) int {\n\tif x > 0 {\n\t\treturn 1\n\t}\n}\n\nfunc main() { println(f(1)) }\n", 7, "missing return"},
		{"missing return in closure", "package main\n\nfunc main() {\n\tf := func() (int, error) {\n\t\tfor i := 0; i < 3; i++ {\n\t\t\treturn i, nil\n\t\t}\n\t}\n\tprintln(f())\n}\n", 8, "missing return"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, run1(t, c.src), trace.ErrCompile, c.line, c.msg)
		})
	}
	// Terminating statements the specification allows: none is an error.
	ok := `package main

import "fmt"

func a(x int) int {
	if x > 0 {
		return 1
	} else {
		return 2
	}
}

func b() int {
	for {
	}
}

func c(x int) int {
	switch {
	case x > 0:
		return 1
	default:
		panic("no")
	}
}

func d(ch chan int) int {
	for {
		select {
		case v := <-ch:
			return v
		}
	}
}

func e(x any) string {
	switch x.(type) {
	case int:
		return "int"
	default:
		return "other"
	}
}

func main() {
	ch := make(chan int, 1)
	ch <- 4
	fmt.Println(a(1), c(1), d(ch), e(1))
	_ = b
}
`
	if tr := run1(t, ok); tr.Error != nil {
		t.Errorf("valid program refused: %+v", *tr.Error)
	}
}

func TestEndlessRecursion(t *testing.T) {
	// Go itself would die with a fatal "stack overflow" (no recover, the
	// process or the browser worker gone); the runner reports it instead.
	tr := runner.Run(context.Background(), runner.Request{Timeout: 30 * time.Second, NoLocate: true, Files: []runner.File{{Name: "main.go", Content: `package main

func down(n int) int {
	return down(n+1) + 1
}

func main() {
	println(down(0))
}
`}}})
	wantError(t, tr, trace.ErrRuntime, 3, "stack overflow")
	// A deep but finite recursion is fine.
	tr = run1(t, "package main\n\nimport \"fmt\"\n\nfunc depth(n int) int {\n\tif n == 0 {\n\t\treturn 0\n\t}\n\treturn depth(n-1) + 1\n}\n\nfunc main() { fmt.Println(depth(2000)) }\n")
	if tr.Error != nil || tr.Stdout != "2000\n" {
		t.Errorf("depth 2000: %q %+v", tr.Stdout, tr.Error)
	}
}
