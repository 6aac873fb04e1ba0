// Command ormlab runs playground programs from the command line with the
// same runner as the browser:
//
//	ormlab run [--json] [--url URL] [--timeout D] FILE.go…
//
// Without --json it prints the program's output on stdout and, when the
// program fails, the error with file:line on stderr. With --json it prints
// exactly one JSON object, the trace (see runner/trace). Exit status: 0 the
// program succeeded, 1 it failed, 2 usage error.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"

	"ormlab/runner"
	"ormlab/runner/trace"
)

func main() {
	// One thread: see the runner's package documentation (yaegi races).
	runtime.GOMAXPROCS(1)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: ormlab run [--json] [--url URL] [--timeout D] FILE.go…

  --json         print the run's trace as one JSON object
  --url URL      connect every engine the program creates to URL
                 (e.g. postgresql://postgres@127.0.0.1:5432/ormlab)
  --timeout D    wall-time limit, e.g. 10s (default 5s)
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	fs := flag.NewFlagSet("ormlab run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	asJSON := fs.Bool("json", false, "print the trace as JSON")
	url := fs.String("url", "", "connect every engine to this URL")
	timeout := fs.Duration("timeout", runner.DefaultTimeout, "wall-time limit")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "ormlab run: no Go files given")
		fmt.Fprint(stderr, usage)
		return 2
	}
	if *timeout <= 0 {
		fmt.Fprintln(stderr, "ormlab run: --timeout must be positive")
		return 2
	}
	var files []runner.File
	for _, path := range fs.Args() {
		b, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "ormlab run: %v\n", err)
			return 2
		}
		// Positions are reported with the name as given on the command line,
		// so an editor can jump to them.
		files = append(files, runner.File{Name: filepath.ToSlash(path), Content: string(b)})
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	tr := runner.Run(ctx, runner.Request{Files: files, Timeout: *timeout, URL: *url})

	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(tr); err != nil {
			fmt.Fprintf(stderr, "ormlab run: encoding the trace: %v\n", err)
			return 1
		}
	} else {
		io.WriteString(stdout, tr.Stdout)
	}
	if tr.Error != nil {
		fmt.Fprintln(stderr, formatError(tr.Error))
		return 1
	}
	return 0
}

// formatError renders a trace error as "file:line:col: kind: message",
// the shape compilers use so editors and terminals link it.
func formatError(e *trace.Error) string {
	pos := ""
	if e.File != "" {
		pos = e.File
		if e.Line > 0 {
			pos += fmt.Sprintf(":%d", e.Line)
			if e.Col > 0 {
				pos += fmt.Sprintf(":%d", e.Col)
			}
		}
		pos += ": "
	}
	return fmt.Sprintf("%s%s error: %s", pos, e.Kind, e.Message)
}
