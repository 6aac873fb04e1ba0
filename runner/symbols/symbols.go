// Package symbols holds the yaegi symbol tables of everything a playground
// program may import. The zz_*.go files are generated: run
// `go generate ./runner/symbols` after changing the exposed packages
// (spec/spec.go) or their APIs.
package symbols

import "reflect"

//go:generate go run ./gen -dir .

// Symbols maps "import/path/name" to the package's exported symbols, in the
// form yaegi's Interpreter.Use expects. Treat it as read-only: the runner
// copies what it changes per run.
var Symbols = map[string]map[string]reflect.Value{}
